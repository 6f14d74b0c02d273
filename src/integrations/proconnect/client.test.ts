import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import { decodeProtectedHeader } from 'jose';
import { startSandbox, type RunningSandbox } from '../../../test/support/sandbox.ts';
import { testConfig } from '../../../test/support/config.ts';
import { freePort } from '../../../test/support/ports.ts';
import { createProConnectStandIn } from '../../sandbox/proconnect/index.ts';
import { FranceConnectBrowser, openAuthorize } from '../franceconnect/testing/login-as.ts';
import { createProConnectClient, type ProConnectClient } from './client.ts';

/** Our ProConnect client against the stand-in, over real HTTP (contract §2–§5, §8). */
describe('ProConnect client ↔ stand-in', () => {
  let sandbox: RunningSandbox;
  let client: ProConnectClient;

  before(async () => {
    sandbox = await startSandbox({ only: ['proconnect'] });
    client = createProConnectClient(sandbox.config.proConnect);
  });
  after(() => sandbox.close());

  it('logs an agent of Majastres in: checked ID token (RS256), userinfo with the SIRET chosen at login', async () => {
    const { url, attempt } = await client.startLogin();
    const authorize = new URL(url);
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    assert.ok((authorize.searchParams.get('state') ?? '').length >= 32);
    assert.ok((authorize.searchParams.get('nonce') ?? '').length >= 32);
    const callback = await new FranceConnectBrowser().loginAs('secretariat@majastres.fr', url);
    assert.equal(callback.origin + callback.pathname, sandbox.config.proConnect.redirectUri);
    const result = await client.completeLogin(callback, attempt);
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.user.siret, '21040107100019');
    assert.equal(result.user.email, 'secretariat@majastres.fr');
    assert.equal(result.user.organizationLabel, 'Commune de Majastres');
    assert.deepEqual(result.user.roles, ['agent_public', 'agent_public_territorial']);
    assert.equal(result.acr, 'eidas1');
    assert.equal(decodeProtectedHeader(result.idToken).alg, 'RS256');
  });

  it('refuses a callback whose state is not the one the login started with', async () => {
    const { url, attempt } = await client.startLogin();
    const callback = await new FranceConnectBrowser().loginAs('enfance@belley.fr', url);
    const result = await client.completeLogin(callback, { ...attempt, state: 'another-state-of-at-least-32-characters' });
    assert.deepEqual(result, { ok: false, error: { kind: 'state_mismatch' } });
  });

  it('refuses a code redeemed with another nonce (replay into another login)', async () => {
    const { url, attempt } = await client.startLogin();
    const callback = await new FranceConnectBrowser().loginAs('enfance@belley.fr', url);
    const result = await client.completeLogin(callback, { ...attempt, nonce: 'n'.repeat(43) });
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.error.kind, 'invalid_response');
  });

  it('gives access_denied when the agent presses "Annuler"', async () => {
    const { url, attempt } = await client.startLogin();
    const callback = await new FranceConnectBrowser().cancelLogin(url);
    const result = await client.completeLogin(callback, attempt);
    assert.equal(!result.ok && result.error.kind, 'access_denied');
  });

  it('skips the e-mail page when login_hint names the agent', async () => {
    const { url, attempt } = await client.startLogin({ loginHint: 'enfance@belley.fr' });
    const outcome = await openAuthorize(url);
    assert.equal(outcome.kind, 'redirected');
    const result = outcome.kind === 'redirected' ? await client.completeLogin(outcome.url, attempt) : null;
    assert.ok(result?.ok);
    assert.equal(result.user.siret, '21010034300016');
  });

  it('answers login_required to prompt=none without a ProConnect session', async () => {
    const { url, attempt } = await client.startLogin();
    const silent = new URL(url);
    silent.searchParams.set('prompt', 'none');
    const outcome = await openAuthorize(silent);
    assert.equal(outcome.kind, 'redirected');
    const result = outcome.kind === 'redirected' ? await client.completeLogin(outcome.url, attempt) : null;
    assert.equal(result && !result.ok && result.error.kind, 'login_required');
  });

  it('sends idp_hint_not_found back for an unknown identity provider', async () => {
    const { url } = await client.startLogin();
    const hinted = new URL(url);
    hinted.searchParams.set('idp_hint', 'no-such-fi');
    const outcome = await openAuthorize(hinted);
    assert.equal(outcome.kind === 'redirected' && outcome.url.searchParams.get('error'), 'idp_hint_not_found');
  });

  it('keeps a bad request on its own page: Y000400 without state, Y030031 for an unregistered redirect_uri', async () => {
    const { url } = await client.startLogin();
    const noState = new URL(url);
    noState.searchParams.delete('state');
    const first = await openAuthorize(noState);
    assert.ok(first.kind === 'page' && first.status === 400 && first.html.includes('Y000400'));
    const elsewhere = new URL(url);
    elsewhere.searchParams.set('redirect_uri', 'https://phishing.example/callback');
    const second = await openAuthorize(elsewhere);
    assert.ok(second.kind === 'page' && second.status === 400 && second.html.includes('Y030031'));
  });

  it('logs out through ProConnect back to our post-logout page with the state; Y030111 for another address', async () => {
    const browser = new FranceConnectBrowser();
    const { url, attempt } = await client.startLogin();
    const result = await client.completeLogin(await browser.loginAs('secretariat@majastres.fr', url), attempt);
    assert.ok(result.ok);
    const back = await browser.logout(await client.logoutUrl(result.idToken, 'logout-state-0123456789'));
    assert.equal(back.origin + back.pathname, sandbox.config.proConnect.postLogoutRedirectUri);
    assert.equal(back.searchParams.get('state'), 'logout-state-0123456789');

    const wrong = new URL(await client.logoutUrl(result.idToken, 'x'));
    wrong.searchParams.set('post_logout_redirect_uri', 'https://phishing.example/');
    const page = await openAuthorize(wrong);
    assert.ok(page.kind === 'page' && page.html.includes('Y030111'));
  });
});

describe('ProConnect stand-in as a public-only service provider', () => {
  it('refuses an employee of a private company with Y500015, whose back link carries access_denied', async () => {
    const port = await freePort();
    const config = testConfig(port);
    const app = Fastify({ logger: false });
    await createProConnectStandIn({ publicOnly: true })(app, { publicUrl: config.sandbox.publicUrl, dataDir: null, config });
    await app.listen({ host: '127.0.0.1', port });
    try {
      const client = createProConnectClient(config.proConnect);
      const { url } = await client.startLogin({ loginHint: 'dev@octo.com' });
      const outcome = await openAuthorize(url);
      assert.ok(outcome.kind === 'page' && outcome.status === 403 && outcome.html.includes('Y500015'));
      const back = /href="([^"]+)"/.exec(outcome.html)?.[1]?.replaceAll('&amp;', '&');
      assert.equal(new URL(back ?? 'http://x/').searchParams.get('error'), 'access_denied');
    } finally {
      await app.close();
    }
  });
});
