import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createFranceConnectClient, type FranceConnectClient, type FranceConnectLoginError, type LoginResult } from '../../src/integrations/franceconnect/client.ts';
import { startHostileProvider, type HostileProvider, type HostileScenario } from '../../src/integrations/franceconnect/testing/hostile-provider.ts';
import { loginAs } from '../../src/integrations/franceconnect/testing/login-as.ts';
import { LOGIN_ERROR_TEXTS } from '../../src/web/views/pages/LoginErrorPage.tsx';
import { testConfig } from '../support/config.ts';
import { freePort } from '../support/ports.ts';
import { startSandbox, type RunningSandbox } from '../support/sandbox.ts';
import { startTestService, type TestService } from '../support/service.ts';
import { Citizen } from './support/citizen.ts';
import { journeyInCookie } from '../../src/web/journey/cookie.ts';

/**
 * Whatever comes back to the FranceConnect callback, forged by an attacker or by a provider that lies, gives
 * no login: our client names the check that failed, and the citizen gets the login error page.
 */

type Kind = FranceConnectLoginError['kind'];

/** One lie each; the hostile provider tells the truth about everything else. */
const LIES: { name: string; scenario: HostileScenario; kind: Kind }[] = [
  { name: 'an ID token with another nonce', scenario: { idTokenClaims: (c) => ({ ...c, nonce: 'n'.repeat(43) }) }, kind: 'invalid_response' },
  { name: 'an ID token without nonce', scenario: { idTokenClaims: ({ nonce: _nonce, ...c }) => c }, kind: 'invalid_response' },
  { name: 'an ID token signed with an unpublished key under the published kid', scenario: { idTokenSigning: { by: 'unpublished_key', kid: 'published' } }, kind: 'invalid_response' },
  { name: 'an ID token signed with an unpublished key under a kid of its own', scenario: { idTokenSigning: { by: 'unpublished_key', kid: 'fresh' } }, kind: 'invalid_response' },
  { name: 'an ID token with alg none', scenario: { idTokenSigning: { by: 'none' } }, kind: 'invalid_response' },
  { name: 'an HS256 ID token keyed with the public key (PEM)', scenario: { idTokenSigning: { by: 'hs256', secret: 'public_key_pem' } }, kind: 'invalid_response' },
  { name: 'an HS256 ID token keyed with the public key (JWK)', scenario: { idTokenSigning: { by: 'hs256', secret: 'public_key_jwk' } }, kind: 'invalid_response' },
  { name: 'an HS256 ID token keyed with the client secret', scenario: { idTokenSigning: { by: 'hs256', secret: 'client_secret' } }, kind: 'invalid_response' },
  { name: 'an ID token from another issuer', scenario: { idTokenClaims: (c) => ({ ...c, iss: 'https://oidc.franceconnect.gouv.fr/api/v2' }) }, kind: 'invalid_response' },
  { name: 'an ID token for another client', scenario: { idTokenClaims: (c) => ({ ...c, aud: 'another-service-provider' }) }, kind: 'invalid_response' },
  { name: 'an ID token also for another client, without azp', scenario: { idTokenClaims: (c) => ({ ...c, aud: [String(c.aud), 'another-service-provider'] }) }, kind: 'invalid_response' },
  { name: 'an expired ID token', scenario: { idTokenClaims: (c) => ({ ...c, iat: Number(c.iat) - 7200, auth_time: Number(c.iat) - 7200, exp: Number(c.iat) - 3600 }) }, kind: 'invalid_response' },
  { name: 'an ID token at eidas2', scenario: { idTokenClaims: (c) => ({ ...c, acr: 'eidas2' }) }, kind: 'invalid_acr' },
  { name: 'an ID token without acr', scenario: { idTokenClaims: ({ acr: _acr, ...c }) => c }, kind: 'invalid_acr' },
  { name: 'a userinfo answer in plain JSON, unsigned', scenario: { userinfo: 'plain_json' }, kind: 'invalid_response' },
  { name: 'a userinfo answer signed with an unpublished key', scenario: { userinfo: 'signed_with_unpublished_key' }, kind: 'invalid_response' },
  { name: 'a userinfo answer about another subject', scenario: { userinfo: 'another_subject' }, kind: 'invalid_response' },
];

const refusedAs = (result: LoginResult, kind: Kind) => {
  assert.equal(result.ok, false, 'the login was accepted');
  assert.equal(!result.ok && result.error.kind, kind, JSON.stringify(!result.ok && result.error));
};

describe('our FranceConnect client facing a hostile provider', () => {
  let hostile: HostileProvider;
  let client: FranceConnectClient;
  before(async () => {
    hostile = await startHostileProvider();
    client = createFranceConnectClient(testConfig(await freePort(), { FRANCECONNECT_ISSUER: hostile.issuer }).franceConnect);
  });
  after(() => hostile.close());

  /** A login through the hostile provider: the callback it sends back, and what our side expects of it. */
  const login = async (scenario?: HostileScenario) => {
    hostile.play(scenario);
    const { url, state, nonce } = await client.startLogin();
    return { callback: await hostile.authorize(url), expected: { state, nonce } };
  };

  it('accepts the provider when it tells the truth (each refusal below is its lie\'s doing)', async () => {
    const { callback, expected } = await login();
    const result = await client.completeLogin(callback, expected);
    assert.ok(result.ok, JSON.stringify(!result.ok && result.error));
    assert.equal(result.identity.family_name, 'HOSTILE');
  });

  for (const lie of LIES) {
    it(`refuses ${lie.name} (${lie.kind})`, async () => {
      const { callback, expected } = await login(lie.scenario);
      refusedAs(await client.completeLogin(callback, expected), lie.kind);
    });
  }

  it('refuses a callback with another state before it reaches the token endpoint (state_mismatch)', async () => {
    const { callback, expected } = await login();
    const tokenCalls = hostile.calls.token;
    for (const state of ['s'.repeat(43), '', `${expected.state}x`, expected.state.slice(0, -1)]) {
      const forged = new URL(callback);
      forged.searchParams.set('state', state);
      refusedAs(await client.completeLogin(forged, expected), 'state_mismatch');
    }
    const without = new URL(callback);
    without.searchParams.delete('state');
    refusedAs(await client.completeLogin(without, expected), 'state_mismatch');
    assert.equal(hostile.calls.token, tokenCalls, 'a forged callback reached the token endpoint');
  });

  it('refuses a callback without iss (invalid_response)', async () => {
    const { callback, expected } = await login();
    callback.searchParams.delete('iss');
    refusedAs(await client.completeLogin(callback, expected), 'invalid_response');
  });

  it('refuses a callback whose iss is another issuer (invalid_response)', async () => {
    for (const iss of ['https://oidc.franceconnect.gouv.fr/api/v2', `${hostile.issuer}/`, hostile.issuer.replace('127.0.0.1', 'localhost')]) {
      const { callback, expected } = await login();
      callback.searchParams.set('iss', iss);
      refusedAs(await client.completeLogin(callback, expected), 'invalid_response');
    }
  });

  it('refuses a callback carrying two iss, or two codes', async () => {
    for (const duplicate of ['iss', 'code'] as const) {
      const { callback, expected } = await login();
      callback.searchParams.append(duplicate, callback.searchParams.get(duplicate) ?? '');
      const result = await client.completeLogin(callback, expected);
      assert.equal(result.ok, false, `two ${duplicate} were accepted`);
    }
  });
});

describe('a code used twice at the FranceConnect stand-in', () => {
  let sandbox: RunningSandbox;
  let client: FranceConnectClient;
  before(async () => {
    sandbox = await startSandbox({ only: ['franceconnect'] });
    client = createFranceConnectClient(sandbox.config.franceConnect);
  });
  after(() => sandbox.close());

  it('gives one login, then provider_error invalid_grant', async () => {
    const { url, state, nonce } = await client.startLogin();
    const callback = await loginAs('angela', url);
    assert.ok((await client.completeLogin(callback, { state, nonce })).ok);
    const replay = await client.completeLogin(callback, { state, nonce });
    refusedAs(replay, 'provider_error');
    assert.equal(!replay.ok && replay.error.kind === 'provider_error' && replay.error.code, 'invalid_grant');
  });
});

describe('the citizen facing a hostile provider, through the app', () => {
  let hostile: HostileProvider;
  let test: TestService;
  const siret = '21040107100019';
  before(async () => {
    hostile = await startHostileProvider();
    // The FranceConnect stand-in still runs in the sandbox, unused: the app discovers the hostile issuer.
    test = await startTestService({ FRANCECONNECT_ISSUER: hostile.issuer });
  });
  after(async () => {
    await test.stop();
    await hostile.close();
  });

  const count = async (table: 'journeys' | 'shipments') =>
    Number((await test.service.context.db.kysely.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  /** Starts a journey in the app and goes through the hostile provider's authorize endpoint. */
  const startJourney = async (scenario?: HostileScenario) => {
    hostile.play(scenario);
    const citizen = new Citizen(test.appUrl);
    const pressed = await citizen.pressFranceConnect(siret);
    assert.equal(pressed.status, 303);
    const authorize = pressed.location;
    if (!authorize?.startsWith(`${hostile.issuer}/authorize?`)) assert.fail(`sent to ${authorize ?? 'nowhere'}`);
    return { citizen, callback: await hostile.authorize(authorize) };
  };

  /** The login error page of this kind, nothing past the login stage anywhere, no shipment. */
  const assertLoginRefused = async (citizen: Citizen, answer: Awaited<ReturnType<Citizen['get']>>, kind: Kind, shipmentsBefore: number) => {
    assert.equal(answer.status, 400, `HTTP ${answer.status} ${answer.location ?? ''}`);
    assert.ok(answer.title.startsWith(`Erreur - ${LOGIN_ERROR_TEXTS[kind].title}`), answer.title);
    assert.doesNotMatch(answer.html, /HOSTILE|Camille/, 'the forged identity was shown');
    const journeyId = citizen.cookie('fqf_journey');
    const journey = journeyId ? await test.service.context.journeys.load(journeyInCookie(journeyId).id) : null;
    assert.ok(journey === null || journey.stage === 'login', `journey at stage ${journey?.stage}`);
    const review = await citizen.get('/verification');
    assert.equal(review.status, 400);
    assert.ok(review.title.startsWith('Erreur - '), review.title);
    assert.equal(await count('shipments'), shipmentsBefore);
  };

  it('lets an honest play through the login (the refusals below are the lies\' doing)', async () => {
    const { citizen, callback } = await startJourney();
    const answer = await citizen.get(callback);
    // The login passes; API Particulier, which checks tokens at the real FranceConnect, then refuses this one.
    const journeyId = citizen.cookie('fqf_journey');
    const journey = journeyId ? await test.service.context.journeys.load(journeyInCookie(journeyId).id) : null;
    assert.notEqual(journey?.stage, 'login', `HTTP ${answer.status}: ${answer.title}`);
  });

  for (const lie of LIES) {
    it(`shows the ${lie.kind} page for ${lie.name}`, async () => {
      const shipments = await count('shipments');
      const { citizen, callback } = await startJourney(lie.scenario);
      await assertLoginRefused(citizen, await citizen.get(callback), lie.kind, shipments);
    });
  }

  it('shows the state_mismatch page for a callback with another state, without calling the token endpoint', async () => {
    const shipments = await count('shipments');
    const { citizen, callback } = await startJourney();
    const tokenCalls = hostile.calls.token;
    callback.searchParams.set('state', 'x'.repeat(43));
    await assertLoginRefused(citizen, await citizen.get(callback), 'state_mismatch', shipments);
    assert.equal(hostile.calls.token, tokenCalls);
  });

  it('shows the invalid_response page for a callback without iss, or with another issuer\'s', async () => {
    for (const iss of [null, 'https://oidc.franceconnect.gouv.fr/api/v2']) {
      const shipments = await count('shipments');
      const { citizen, callback } = await startJourney();
      if (iss === null) callback.searchParams.delete('iss');
      else callback.searchParams.set('iss', iss);
      await assertLoginRefused(citizen, await citizen.get(callback), 'invalid_response', shipments);
    }
  });

  it('refuses a callback replayed in the same browser, even by a provider that honours codes twice', async () => {
    const { citizen, callback } = await startJourney();
    await citizen.get(callback);
    const tokenCalls = hostile.calls.token;
    const replay = await citizen.get(callback);
    assert.equal(replay.status, 400);
    assert.ok(replay.title.startsWith('Erreur - '), replay.title);
    assert.equal(hostile.calls.token, tokenCalls, 'the replay reached the token endpoint');
  });

  it('refuses a stolen callback opened in the attacker\'s own browser, in the middle of the attacker\'s journey', async () => {
    const shipments = await count('shipments');
    const victim = await startJourney();
    const attacker = await startJourney();
    const tokenCalls = hostile.calls.token;
    await assertLoginRefused(attacker.citizen, await attacker.citizen.get(victim.callback), 'state_mismatch', shipments);
    assert.equal(hostile.calls.token, tokenCalls);
  });

  it('refuses a callback in a browser without journey (cookies page), and writes nothing', async () => {
    const { callback } = await startJourney();
    const journeys = await count('journeys');
    const stranger = new Citizen(test.appUrl);
    const answer = await stranger.get(callback);
    assert.equal(answer.status, 400);
    assert.ok(answer.title.startsWith(`Erreur - ${LOGIN_ERROR_TEXTS.cookies.title}`), answer.title);
    assert.equal(await count('journeys'), journeys);
  });
});
