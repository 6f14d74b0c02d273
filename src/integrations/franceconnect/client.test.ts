import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { decodeProtectedHeader } from 'jose';
import { startSandbox, type RunningSandbox } from '../../../test/support/sandbox.ts';
import { freePort } from '../../../test/support/ports.ts';
import { createFranceConnectClient, FRANCECONNECT_SCOPE, FranceConnectUnreachableError, type FranceConnectClient } from './client.ts';
import { rotateFranceConnectSigningKeys } from '../../sandbox/franceconnect/index.ts';
import { PERSONAS } from '../../sandbox/franceconnect/personas.ts';
import { FranceConnectBrowser, cancelLogin, loginAs, openAuthorize } from './testing/login-as.ts';

/** Our relying party against the stand-in, over real HTTP. */

let sandbox: RunningSandbox;
let fc: RunningSandbox['config']['franceConnect'];
let client: FranceConnectClient;

before(async () => {
  sandbox = await startSandbox({ only: ['franceconnect'] });
  fc = sandbox.config.franceConnect;
  client = createFranceConnectClient(fc);
});
after(() => sandbox.close());

const pivot = (login: string) => {
  const claims = PERSONAS.find((p) => p.login === login)?.claims;
  assert.ok(claims, login);
  const { given_name, given_name_array, family_name, birthdate, gender, birthplace, birthcountry } = claims;
  return { given_name, given_name_array, family_name, birthdate, gender, birthplace, birthcountry };
};

describe('FranceConnect client: the authorization request', () => {
  it('asks for FC\'s parameters only: eidas1, our scopes, long state and nonce, no PKCE', async () => {
    const { url, state, nonce } = await client.startLogin();
    const authorize = new URL(url);
    assert.equal(`${authorize.origin}${authorize.pathname}`, `${fc.issuer}/authorize`);
    assert.deepEqual(
      [...authorize.searchParams.keys()].sort(),
      ['acr_values', 'client_id', 'nonce', 'redirect_uri', 'response_type', 'scope', 'state'],
    );
    assert.equal(authorize.searchParams.get('acr_values'), 'eidas1');
    assert.equal(authorize.searchParams.get('scope'), FRANCECONNECT_SCOPE);
    assert.equal(authorize.searchParams.get('redirect_uri'), fc.redirectUri);
    assert.equal(authorize.searchParams.get('response_type'), 'code');
    assert.ok(state.length >= 32 && nonce.length >= 32);
    assert.notEqual(state, nonce);
    assert.equal(authorize.searchParams.get('state'), state);
    assert.equal(authorize.searchParams.get('nonce'), nonce);
  });

  it('is accepted by FC: the login page shows', async () => {
    const { url } = await client.startLogin();
    const outcome = await openAuthorize(url);
    assert.equal(outcome.kind === 'page' && outcome.status, 200);
  });
});

describe('FranceConnect client: completing a login', () => {
  for (const persona of PERSONAS) {
    it(`gives the identité pivot of ${persona.login}`, async () => {
      const { url, state, nonce } = await client.startLogin();
      const result = await client.completeLogin(await loginAs(persona.login, url), { state, nonce });
      assert.ok(result.ok, JSON.stringify(!result.ok && result.error));
      assert.deepEqual(result.identity, pivot(persona.login));
      assert.match(result.sub, /^[0-9a-f]{64}v1$/);
      assert.ok(result.accessToken.length >= 43);
      assert.equal(decodeProtectedHeader(result.idToken).alg, 'ES256');
    });
  }

  it('reports access_denied when the user cancels', async () => {
    const { url, state, nonce } = await client.startLogin();
    const result = await client.completeLogin(await cancelLogin(url), { state, nonce });
    assert.deepEqual(result, { ok: false, error: { kind: 'access_denied' } });
  });

  it('reports invalid_acr when FC refuses the level', async () => {
    const { url, state, nonce } = await client.startLogin();
    const eidas2 = new URL(url);
    eidas2.searchParams.set('acr_values', 'eidas2');
    const outcome = await openAuthorize(eidas2);
    assert.equal(outcome.kind, 'redirected');
    const result = await client.completeLogin(outcome.kind === 'redirected' ? outcome.url : new URL(url), { state, nonce });
    assert.deepEqual(result, { ok: false, error: { kind: 'invalid_acr' } });
  });

  it('reports state_mismatch for a callback this browser did not start, without redeeming its code', async () => {
    const { url, state, nonce } = await client.startLogin();
    const callback = await loginAs('angela', url);
    const forged = await client.completeLogin(callback, { state: 'a'.repeat(43), nonce });
    assert.deepEqual(forged, { ok: false, error: { kind: 'state_mismatch' } });
    const genuine = await client.completeLogin(callback, { state, nonce });
    assert.ok(genuine.ok, 'the code was left unused');
  });

  it('reports state_mismatch for a callback without state', async () => {
    const { url, state, nonce } = await client.startLogin();
    const callback = await loginAs('angela', url);
    callback.searchParams.delete('state');
    assert.deepEqual(await client.completeLogin(callback, { state, nonce }), { ok: false, error: { kind: 'state_mismatch' } });
  });

  it('reports invalid_response when the ID token carries another nonce', async () => {
    const { url, state } = await client.startLogin();
    const result = await client.completeLogin(await loginAs('angela', url), { state, nonce: 'z'.repeat(43) });
    assert.equal(!result.ok && result.error.kind, 'invalid_response');
    assert.match(!result.ok && result.error.kind === 'invalid_response' ? result.error.reason : '', /nonce/);
  });

  it('refuses a callback without iss', async () => {
    const { url, state, nonce } = await client.startLogin();
    const callback = await loginAs('angela', url);
    callback.searchParams.delete('iss');
    const result = await client.completeLogin(callback, { state, nonce });
    assert.equal(!result.ok && result.error.kind, 'invalid_response');
  });

  it('refuses a callback whose iss is another issuer', async () => {
    const { url, state, nonce } = await client.startLogin();
    const callback = await loginAs('angela', url);
    callback.searchParams.set('iss', 'https://oidc.franceconnect.gouv.fr/api/v2');
    const result = await client.completeLogin(callback, { state, nonce });
    assert.equal(!result.ok && result.error.kind, 'invalid_response');
  });

  it('refuses an error callback without iss, as a forged one', async () => {
    const { url, state, nonce } = await client.startLogin();
    const callback = await cancelLogin(url);
    callback.searchParams.delete('iss');
    const result = await client.completeLogin(callback, { state, nonce });
    assert.equal(!result.ok && result.error.kind, 'invalid_response');
  });

  it('reports provider_error invalid_grant for a replayed callback', async () => {
    const { url, state, nonce } = await client.startLogin();
    const callback = await loginAs('angela', url);
    assert.ok((await client.completeLogin(callback, { state, nonce })).ok);
    const replay = await client.completeLogin(callback, { state, nonce });
    assert.equal(!replay.ok && replay.error.kind, 'provider_error');
    assert.equal(!replay.ok && replay.error.kind === 'provider_error' && replay.error.code, 'invalid_grant');
  });

  it('verifies FC\'s signatures after a key rotation, re-fetching the JWKS for the new kid', async () => {
    const before = await client.startLogin();
    const first = await client.completeLogin(await loginAs('angela', before.url), before);
    assert.ok(first.ok);
    await rotateFranceConnectSigningKeys(fc.issuer);
    const again = await client.startLogin();
    const second = await client.completeLogin(await loginAs('angela', again.url), again);
    assert.ok(second.ok, JSON.stringify(!second.ok && second.error));
    assert.notEqual(decodeProtectedHeader(second.idToken).kid, decodeProtectedHeader(first.idToken).kid);
    assert.equal(second.sub, first.sub);
  });
});

describe('FranceConnect client: logout', () => {
  it('builds the end-session URL, which FC follows back to post_logout_redirect_uri with our state', async () => {
    const browser = new FranceConnectBrowser();
    const login = await client.startLogin();
    const result = await client.completeLogin(await browser.loginAs('jeanne', login.url), login);
    assert.ok(result.ok);
    const logoutState = 'l'.repeat(43);
    const url = new URL(await client.logoutUrl(result.idToken, logoutState));
    assert.equal(`${url.origin}${url.pathname}`, `${fc.issuer}/session/end`);
    assert.equal(url.searchParams.get('id_token_hint'), result.idToken);
    assert.equal(url.searchParams.get('post_logout_redirect_uri'), fc.postLogoutRedirectUri);
    const back = await browser.logout(url);
    assert.equal(`${back.origin}${back.pathname}`, fc.postLogoutRedirectUri);
    assert.equal(back.searchParams.get('state'), logoutState);
  });
});

describe('FranceConnect client: FC unavailable', () => {
  it('throws FranceConnectUnreachableError from startLogin and reports unreachable from completeLogin', async () => {
    const port = await freePort();
    const down = createFranceConnectClient({ ...fc, issuer: `http://127.0.0.1:${port}/franceconnect/api/v2` }, { timeoutMs: 1000 });
    await assert.rejects(down.startLogin(), FranceConnectUnreachableError);
    const callback = new URL(fc.redirectUri);
    callback.search = new URLSearchParams({ code: 'c', state: 's'.repeat(43), iss: fc.issuer }).toString();
    const result = await down.completeLogin(callback, { state: 's'.repeat(43), nonce: 'n'.repeat(43) });
    assert.equal(!result.ok && result.error.kind, 'unreachable');
  });

  it('gives up after its deadline when FC does not answer', async () => {
    const silent: Server = createServer(() => {
      /* never answers */
    });
    const port = await freePort();
    await new Promise<void>((resolve) => silent.listen(port, '127.0.0.1', resolve));
    try {
      const slow = createFranceConnectClient({ ...fc, issuer: `http://127.0.0.1:${port}/franceconnect/api/v2` }, { timeoutMs: 300 });
      const started = Date.now();
      await assert.rejects(slow.startLogin(), FranceConnectUnreachableError);
      assert.ok(Date.now() - started < 5000);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('refuses a plain-HTTP issuer other than the loopback', () => {
    assert.throws(() => createFranceConnectClient({ ...fc, issuer: 'http://franceconnect.example/api/v2' }));
  });
});
