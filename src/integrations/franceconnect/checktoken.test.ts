import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  compactDecrypt,
  createLocalJWKSet,
  decodeProtectedHeader,
  generateKeyPair,
  jwtVerify,
  type JSONWebKeySet,
} from 'jose';
import { startSandbox, type RunningSandbox } from '../../../test/support/sandbox.ts';
import { freePort } from '../../../test/support/ports.ts';
import { TransportError } from '../http.ts';
import { checkFranceConnectToken, CheckTokenError, type CheckTokenParams } from './checktoken-client.ts';
import { createFranceConnectClient } from './client.ts';
import { API_PARTICULIER_DATA_PROVIDER, dataProviderDecryptionKey } from '../../sandbox/franceconnect/data-provider.ts';
import { rotateFranceConnectSigningKeys } from '../../sandbox/franceconnect/index.ts';
import { PERSONAS } from '../../sandbox/franceconnect/personas.ts';
import { loginAs } from './testing/login-as.ts';
import { startFranceConnectStandIn } from './testing/start-stand-in.ts';

/** /checktoken as API Particulier calls it (contract §6, §8.4), over real HTTP. */

let sandbox: RunningSandbox;
let fc: RunningSandbox['config']['franceConnect'];

before(async () => {
  sandbox = await startSandbox({ only: ['franceconnect'] });
  fc = sandbox.config.franceConnect;
});
after(() => sandbox.close());

async function login(settings: typeof fc, persona = 'angela') {
  const client = createFranceConnectClient(settings);
  const start = await client.startLogin();
  const result = await client.completeLogin(await loginAs(persona, start.url), start);
  assert.ok(result.ok, JSON.stringify(!result.ok && result.error));
  return result;
}

async function params(token: string, overrides: Partial<CheckTokenParams> = {}): Promise<CheckTokenParams> {
  return {
    issuer: fc.issuer,
    clientId: API_PARTICULIER_DATA_PROVIDER.clientId,
    clientSecret: API_PARTICULIER_DATA_PROVIDER.clientSecret,
    decryptionKey: await dataProviderDecryptionKey(),
    token,
    ...overrides,
  };
}

function postChecktoken(fields: Record<string, string>): Promise<Response> {
  return fetch(`${fc.issuer}/checktoken`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });
}

describe('checktoken: a valid token', () => {
  it('tells the data provider whose token it is: identity, its own scopes, acr, its own sub', async () => {
    const session = await login(fc, 'jeanne');
    const result = await checkFranceConnectToken(await params(session.accessToken));
    assert.ok(result.active);
    const jeanne = PERSONAS.find((p) => p.login === 'jeanne')?.claims;
    assert.deepEqual(result.identity, {
      given_name: jeanne?.given_name,
      given_name_array: jeanne?.given_name_array,
      family_name: jeanne?.family_name,
      birthdate: jeanne?.birthdate,
      gender: jeanne?.gender,
      birthplace: jeanne?.birthplace,
      birthcountry: jeanne?.birthcountry,
    });
    // Filtered to the FD's scopes: not openid; identite_pivot, which API Particulier needs (contracts/api-particulier-qf.md
    // §3.4); cnaf_adresse was not asked for.
    assert.deepEqual(result.scope, ['identite_pivot', 'cnaf_quotient_familial', 'cnaf_allocataires', 'cnaf_enfants']);
    assert.equal(result.acr, 'eidas1');
    assert.equal(result.clientId, fc.clientId);
    assert.match(result.sub, /^[0-9a-f]{64}v1$/);
    assert.notEqual(result.sub, session.sub, 'the data provider gets its own pairwise sub');
    const now = Math.floor(Date.now() / 1000);
    assert.ok(result.exp > now && result.exp <= now + 60);
  });

  it('answers a JWE (ECDH-ES, A256GCM) around an ES256 JWS with exactly FC\'s four outer claims', async () => {
    const session = await login(fc);
    const response = await postChecktoken({
      token: session.accessToken,
      client_id: API_PARTICULIER_DATA_PROVIDER.clientId,
      client_secret: API_PARTICULIER_DATA_PROVIDER.clientSecret,
    });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/token-introspection\+jwt/);
    const jwe = await response.text();
    const header = decodeProtectedHeader(jwe);
    assert.equal(header.alg, 'ECDH-ES');
    assert.equal(header.enc, 'A256GCM');
    const { plaintext } = await compactDecrypt(jwe, await dataProviderDecryptionKey());
    const jws = new TextDecoder().decode(plaintext);
    const inner = decodeProtectedHeader(jws);
    assert.equal(inner.alg, 'ES256');
    const jwks = (await (await fetch(`${fc.issuer}/jwks`)).json()) as JSONWebKeySet;
    assert.ok(jwks.keys.some((k) => k.kid === inner.kid), 'signed with a published key');
    const { payload } = await jwtVerify(jws, createLocalJWKSet(jwks), {
      issuer: fc.issuer,
      audience: API_PARTICULIER_DATA_PROVIDER.clientId,
    });
    assert.deepEqual(Object.keys(payload).sort(), ['aud', 'iat', 'iss', 'token_introspection']);
  });

  it('still verifies after FC rotates its keys (JWKS re-fetched on the unknown kid)', async () => {
    const first = await login(fc);
    assert.ok((await checkFranceConnectToken(await params(first.accessToken))).active);
    await rotateFranceConnectSigningKeys(fc.issuer);
    const second = await login(fc);
    assert.ok((await checkFranceConnectToken(await params(second.accessToken))).active);
  });
});

describe('checktoken: tokens that are no longer good', () => {
  it('says inactive for an unknown token', async () => {
    assert.deepEqual(await checkFranceConnectToken(await params('n'.repeat(43))), { active: false });
  });

  it('says inactive for a revoked token', async () => {
    const session = await login(fc);
    const revoked = await fetch(`${fc.issuer}/token/revocation`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: session.accessToken, client_id: fc.clientId, client_secret: fc.clientSecret }),
    });
    assert.equal(revoked.status, 200);
    assert.deepEqual(await checkFranceConnectToken(await params(session.accessToken)), { active: false });
  });

  it('says inactive once the access token has expired', async () => {
    const shortLived = await startFranceConnectStandIn({ ttl: { AccessToken: 3 } });
    try {
      const settings = shortLived.config.franceConnect;
      const session = await login(settings);
      const check = async () => checkFranceConnectToken(await params(session.accessToken, { issuer: settings.issuer }));
      const fresh = await check();
      assert.ok(fresh.active);
      // exp is in whole seconds: wait until it is certainly past.
      await new Promise((resolve) => setTimeout(resolve, fresh.exp * 1000 + 1100 - Date.now()));
      assert.deepEqual(await check(), { active: false });
    } finally {
      await shortLived.close();
    }
  });
});

describe('checktoken: the data provider\'s request', () => {
  it('rejects a wrong secret with 401 invalid_client', async () => {
    const session = await login(fc);
    await assert.rejects(
      checkFranceConnectToken(await params(session.accessToken, { clientSecret: 'x'.repeat(64) })),
      (error) => error instanceof CheckTokenError && error.failure.kind === 'http_status' && error.failure.status === 401 && error.failure.error === 'invalid_client',
    );
  });

  it('rejects an unknown data provider with 401 invalid_client', async () => {
    await assert.rejects(
      checkFranceConnectToken(await params('t'.repeat(43), { clientId: 'inconnu' })),
      (error) => error instanceof CheckTokenError && error.failure.kind === 'http_status' && error.failure.status === 401,
    );
  });

  it('rejects a missing or an extra parameter with 400 invalid_request', async () => {
    const fd = API_PARTICULIER_DATA_PROVIDER;
    const cases: Array<Record<string, string>> = [
      { token: 't'.repeat(43), client_id: fd.clientId },
      { token: 't'.repeat(43), client_id: fd.clientId, client_secret: fd.clientSecret, scope: 'openid' },
    ];
    for (const fields of cases) {
      const response = await postChecktoken(fields);
      assert.equal(response.status, 400);
      assert.deepEqual(await response.json(), { error: 'invalid_request', error_description: 'Required parameter missing or invalid.' });
    }
  });

  it('fails with invalid_response when the answer cannot be decrypted with the key given', async () => {
    const session = await login(fc);
    const { privateKey } = await generateKeyPair('ECDH-ES', { crv: 'P-256' });
    await assert.rejects(
      checkFranceConnectToken(await params(session.accessToken, { decryptionKey: privateKey })),
      (error) => error instanceof CheckTokenError && error.failure.kind === 'invalid_response',
    );
  });

  it('throws a TransportError when FC cannot be reached', async () => {
    const port = await freePort();
    await assert.rejects(
      checkFranceConnectToken(await params('t'.repeat(43), { issuer: `http://127.0.0.1:${port}/franceconnect/api/v2`, timeoutMs: 1000 })),
      TransportError,
    );
  });
});
