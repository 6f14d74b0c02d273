import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { franceConnectAccessToken } from '../../integrations/api-particulier/testing/franceconnect-token.ts';
import { loginAs, openAuthorize } from '../../integrations/franceconnect/testing/login-as.ts';
import { startFranceConnectStandIn } from '../../integrations/franceconnect/testing/start-stand-in.ts';
import type { Config } from '../../config/config.ts';
import { API_PARTICULIER_DATA_PROVIDER } from './data-provider.ts';

/** Facts of contracts/franceconnect.md the stand-in now follows, each named in its test. */
let server: { config: Config; close(): Promise<void> };
let fc: Config['franceConnect'];

before(async () => {
  // /checktoken limited to 3 a minute here, so that the limit shows without 30 calls.
  server = await startFranceConnectStandIn({ checktokenLimits: [{ limit: 3, windowMs: 60_000 }] });
  fc = server.config.franceConnect;
});
after(() => server.close());

function authorizeUrl(overrides: Record<string, string> = {}): URL {
  const url = new URL(`${fc.issuer}/authorize`);
  url.search = new URLSearchParams({
    client_id: fc.clientId,
    redirect_uri: fc.redirectUri,
    response_type: 'code',
    scope: 'openid identite_pivot cnaf_quotient_familial',
    acr_values: 'eidas1',
    state: 's'.repeat(43),
    nonce: 'n'.repeat(43),
    ...overrides,
  }).toString();
  return url;
}

async function idTokenClaims(callback: URL): Promise<Record<string, unknown>> {
  const response = await fetch(`${fc.issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: callback.searchParams.get('code') ?? '', redirect_uri: fc.redirectUri, client_id: fc.clientId, client_secret: fc.clientSecret }),
  });
  const { id_token: idToken } = (await response.json()) as { id_token: string };
  return JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('FranceConnect stand-in: contract facts', () => {
  it('§1.1: discovery declares pairwise subjects, private_key_jwt, the data-provider scopes and claims, request objects', async () => {
    const discovery = (await (await fetch(`${fc.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    assert.deepEqual(discovery.subject_types_supported, ['pairwise']);
    assert.deepEqual(discovery.token_endpoint_auth_methods_supported, ['client_secret_post', 'private_key_jwt']);
    for (const scope of ['openid', 'profile', 'birth', 'identite_pivot', 'gender', 'birthdate', 'birthcountry', 'birthplace', 'given_name', 'family_name', 'email', 'preferred_username', 'idp_birthdate', 'amr', 'idp_id', 'cnaf_quotient_familial', 'cnaf_allocataires', 'cnaf_enfants', 'cnaf_adresse']) {
      assert.ok((discovery.scopes_supported as string[]).includes(scope), scope);
    }
    for (const claim of ['cnaf_quotient_familial', 'cnaf_allocataires', 'cnaf_enfants', 'cnaf_adresse', 'given_name_array', 'amr']) {
      assert.ok((discovery.claims_supported as string[]).includes(claim), claim);
    }
    assert.equal(discovery.request_parameter_supported, true);
    assert.ok(Array.isArray(discovery.request_object_signing_alg_values_supported));
    assert.equal(discovery.claims_parameter_supported, true);
  });

  it('§1: the JWKS is application/jwk-set+json with cache-control public, max-age=600', async () => {
    const response = await fetch(`${fc.issuer}/jwks`);
    assert.equal(response.headers.get('cache-control'), 'public, max-age=600');
    assert.match(response.headers.get('content-type') ?? '', /^application\/jwk-set\+json/);
  });

  it('§2.2: a scope the FS is not registered for is invalid_scope, not silently dropped', async () => {
    for (const scope of ['openid identite_pivot dgfip_rfr', 'openid identite_pivot not_a_scope_at_all']) {
      const outcome = await openAuthorize(authorizeUrl({ scope }));
      assert.equal(outcome.kind, 'redirected', scope);
      const url = outcome.kind === 'redirected' ? outcome.url : new URL('about:blank');
      assert.equal(url.searchParams.get('error'), 'invalid_scope');
      assert.equal(url.searchParams.get('error_description'), 'requested scope is not allowed');
      assert.equal(url.searchParams.get('iss'), fc.issuer);
    }
  });

  it('§3: amr is in the ID token only when `claims` asks for it', async () => {
    assert.equal('amr' in (await idTokenClaims(await loginAs('angela', authorizeUrl()))), false);
    const asked = await idTokenClaims(await loginAs('angela', authorizeUrl({ claims: JSON.stringify({ id_token: { amr: { essential: true } } }) })));
    assert.deepEqual(asked.amr, ['pwd']);
  });

  it('§2.1: idp_hint must name an identity provider of the allow-list (Y030007 otherwise)', async () => {
    const refused = await openAuthorize(authorizeUrl({ idp_hint: 'fip-inconnu' }));
    assert.equal(refused.kind, 'page');
    assert.match(refused.kind === 'page' ? refused.html : '', /Y030007/);
    assert.equal((await openAuthorize(authorizeUrl({ idp_hint: 'bac-a-sable' }))).kind, 'page', 'the login page');
  });

  it('§3 Revocation: a token shorter than 43 characters is refused 400 invalid_request', async () => {
    const revoke = (token: string) =>
      fetch(`${fc.issuer}/token/revocation`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token, client_id: fc.clientId, client_secret: fc.clientSecret }),
      });
    const short = await revoke('x'.repeat(42));
    assert.equal(short.status, 400);
    assert.equal(((await short.json()) as { error: string }).error, 'invalid_request');
    assert.equal((await revoke(randomBytes(32).toString('base64url'))).status, 200, 'a well-formed unknown token is fine, as RFC 7009 says');
  });

  it('api-particulier-qf.md §4: /checktoken is limited per IP (30 a minute, 600 an hour; 3 here), then 429', async () => {
    const token = await franceConnectAccessToken(server.config, 'angela');
    const check = () =>
      fetch(`${fc.issuer}/checktoken`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token, client_id: API_PARTICULIER_DATA_PROVIDER.clientId, client_secret: API_PARTICULIER_DATA_PROVIDER.clientSecret }),
      });
    for (let i = 0; i < 3; i++) assert.equal((await check()).status, 200);
    const over = await check();
    assert.equal(over.status, 429);
    assert.ok(Number(over.headers.get('retry-after')) >= 1);
  });

  it('the login page says, next to each persona, what API Particulier answers for them, in French', async () => {
    const outcome = await openAuthorize(authorizeUrl());
    const html = outcome.kind === 'page' ? outcome.html : '';
    assert.match(html, /identifiant « angela » — API Particulier : QF CNAF 2550 €, aucun enfant \(cas de test d’API Particulier\)/);
    assert.match(html, /identifiant « paul » — API Particulier : Erreur 404 23003 : Dossier allocataire absent CNAF/);
    assert.match(html, /identifiant « bernadette » — API Particulier : QF CNAF \d+ €.*, après 7 s/);
    assert.match(html, /identifiant « yves » — API Particulier : Erreur 422 35560/);
  });
});
