import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { startSandbox, type RunningSandbox } from '../../../test/support/sandbox.ts';
import { PERSONAS, displayName } from './personas.ts';
import { FranceConnectBrowser, loginAs, openAuthorize } from '../../integrations/franceconnect/testing/login-as.ts';

/** The stand-in on its own, spoken to as raw HTTP the way FranceConnect's own API tests do (contract §2-§5). */

let sandbox: RunningSandbox;
let fc: RunningSandbox['config']['franceConnect'];

before(async () => {
  sandbox = await startSandbox({ only: ['franceconnect'] });
  fc = sandbox.config.franceConnect;
});
after(() => sandbox.close());

function authorizeUrl(overrides: Record<string, string | null> = {}): URL {
  const params: Record<string, string | null> = {
    client_id: fc.clientId,
    redirect_uri: fc.redirectUri,
    response_type: 'code',
    scope: 'openid identite_pivot cnaf_quotient_familial cnaf_allocataires cnaf_enfants',
    acr_values: 'eidas1',
    state: 's'.repeat(43),
    nonce: 'n'.repeat(43),
    ...overrides,
  };
  const url = new URL(`${fc.issuer}/authorize`);
  for (const [name, value] of Object.entries(params)) if (value !== null) url.searchParams.set(name, value);
  return url;
}

async function redeem(code: string): Promise<Response> {
  return fetch(`${fc.issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: fc.redirectUri,
      client_id: fc.clientId,
      client_secret: fc.clientSecret,
    }),
  });
}

async function jwks(): Promise<JSONWebKeySet> {
  return (await (await fetch(`${fc.issuer}/jwks`)).json()) as JSONWebKeySet;
}

async function tokensFor(login: string): Promise<{ access_token: string; id_token: string }> {
  const callback = await loginAs(login, authorizeUrl());
  const response = await redeem(callback.searchParams.get('code') ?? '');
  assert.equal(response.status, 200);
  return (await response.json()) as { access_token: string; id_token: string };
}

describe('FranceConnect stand-in: discovery and keys', () => {
  it('serves discovery at the issuer with prefixed endpoints and FC low values', async () => {
    const response = await fetch(`${fc.issuer}/.well-known/openid-configuration`);
    assert.equal(response.status, 200);
    const discovery = (await response.json()) as Record<string, unknown>;
    assert.equal(discovery.issuer, fc.issuer);
    for (const [key, path] of [
      ['authorization_endpoint', '/authorize'],
      ['token_endpoint', '/token'],
      ['userinfo_endpoint', '/userinfo'],
      ['jwks_uri', '/jwks'],
      ['end_session_endpoint', '/session/end'],
      ['revocation_endpoint', '/token/revocation'],
    ] as const) {
      assert.equal(discovery[key], `${fc.issuer}${path}`, key);
    }
    assert.deepEqual(discovery.acr_values_supported, ['eidas1']);
    assert.deepEqual(discovery.response_types_supported, ['code']);
    assert.deepEqual(discovery.token_endpoint_auth_methods_supported, ['client_secret_post', 'private_key_jwt']);
    assert.equal(discovery.authorization_response_iss_parameter_supported, true);
    assert.ok((discovery.userinfo_signing_alg_values_supported as string[]).includes('ES256'));
  });

  it('publishes an ES256 key with an FC-like kid, and an RS256 key, as application/jwk-set+json', async () => {
    const response = await fetch(`${fc.issuer}/jwks`);
    assert.match(response.headers.get('content-type') ?? '', /^application\/jwk-set\+json/);
    const { keys } = (await response.json()) as JSONWebKeySet;
    const ec = keys.find((k) => k.alg === 'ES256');
    assert.ok(ec);
    assert.equal(ec.kty, 'EC');
    assert.equal(ec.crv, 'P-256');
    assert.match(ec.kid ?? '', /^pkcs11:ES256:hsm/);
    assert.ok(keys.some((k) => k.alg === 'RS256' && k.kty === 'RSA'));
    for (const key of keys) assert.equal(key.d, undefined, 'no private part is published');
  });
});

describe('FranceConnect stand-in: authorize rules', () => {
  const rejected: Array<[string, Record<string, string | null>]> = [
    ['an unknown parameter', { foo: 'bar' }],
    ['a PKCE code_challenge', { code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' }],
    ['a missing nonce', { nonce: null }],
    ['a missing state', { state: null }],
    ['a missing acr_values', { acr_values: null }],
    ['a missing scope', { scope: null }],
    ['a nonce shorter than 22 characters', { nonce: 'nonce_trop_court_2025' }],
    ['prompt=none', { prompt: 'none' }],
    ['prompt=select_account', { prompt: 'select_account' }],
    ['an empty prompt', { prompt: '' }],
  ];
  for (const [what, overrides] of rejected) {
    it(`keeps ${what} on FC with a 400 Y030007 page`, async () => {
      const response = await fetch(authorizeUrl(overrides), { redirect: 'manual' });
      assert.equal(response.status, 400);
      assert.equal(response.headers.get('location'), null);
      assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
      const html = await response.text();
      assert.match(html, /Y030007/);
      assert.match(html, /lang="fr"/);
    });
  }

  it('accepts a 22-character nonce and prompt=login', async () => {
    const outcome = await openAuthorize(authorizeUrl({ nonce: 'n'.repeat(22), prompt: 'login' }));
    assert.equal(outcome.kind, 'page');
    assert.equal(outcome.kind === 'page' && outcome.status, 200);
  });

  it('answers Y04EA6EF for an unknown client and Y04C013C for an unregistered redirect_uri', async () => {
    const unknown = await fetch(authorizeUrl({ client_id: 'inconnu' }), { redirect: 'manual' });
    assert.equal(unknown.status, 400);
    assert.match(await unknown.text(), /Y04EA6EF/);
    const elsewhere = await fetch(authorizeUrl({ redirect_uri: 'https://phishing.example/callback' }), { redirect: 'manual' });
    assert.equal(elsewhere.status, 400);
    assert.match(await elsewhere.text(), /Y04C013C/);
  });

  for (const acr of ['eidas2', 'eidas3']) {
    it(`sends ${acr} back to the client with error=invalid_acr, state and iss`, async () => {
      const outcome = await openAuthorize(authorizeUrl({ acr_values: acr }));
      assert.equal(outcome.kind, 'redirected');
      const url = outcome.kind === 'redirected' ? outcome.url : new URL('about:blank');
      assert.equal(`${url.origin}${url.pathname}`, fc.redirectUri);
      assert.equal(url.searchParams.get('error'), 'invalid_acr');
      assert.match(url.searchParams.get('error_description') ?? '', new RegExp(`expected eidas1, got ${acr}`));
      assert.equal(url.searchParams.get('state'), 's'.repeat(43));
      assert.equal(url.searchParams.get('iss'), fc.issuer);
    });
  }

  it('rewrites an unknown acr value to eidas1', async () => {
    const callback = await loginAs('angela', authorizeUrl({ acr_values: 'eidas0' }));
    const tokens = (await (await redeem(callback.searchParams.get('code') ?? '')).json()) as { id_token: string };
    const { payload } = await jwtVerify(tokens.id_token, createLocalJWKSet(await jwks()));
    assert.equal(payload.acr, 'eidas1');
  });
});

describe('FranceConnect stand-in: login page', () => {
  it('lists every persona as a button named with given and family names, and "Annuler", in French', async () => {
    const outcome = await openAuthorize(authorizeUrl());
    assert.equal(outcome.kind, 'page');
    const html = outcome.kind === 'page' ? outcome.html : '';
    assert.match(html, /<html lang="fr">/);
    const buttons = [...html.matchAll(/<button[^>]*>([^<]*)<\/button>/g)].map((m) => (m[1] ?? '').replaceAll('&#39;', "'"));
    for (const persona of PERSONAS) assert.ok(buttons.includes(displayName(persona)), displayName(persona));
    assert.ok(buttons.includes('Angela Claire Louise DUBOIS'));
    assert.ok(buttons.includes('Annuler'));
  });

  it('"Annuler" comes back with error=access_denied, state and iss', async () => {
    const callback = await new FranceConnectBrowser().cancelLogin(authorizeUrl());
    assert.equal(`${callback.origin}${callback.pathname}`, fc.redirectUri);
    assert.equal(callback.searchParams.get('error'), 'access_denied');
    assert.equal(callback.searchParams.get('state'), 's'.repeat(43));
    assert.equal(callback.searchParams.get('iss'), fc.issuer);
    assert.equal(callback.searchParams.get('code'), null);
  });

  it('a persona comes back with code, state and iss', async () => {
    const callback = await loginAs('angela', authorizeUrl());
    assert.deepEqual([...callback.searchParams.keys()].sort(), ['code', 'iss', 'state']);
    assert.equal(callback.searchParams.get('iss'), fc.issuer);
  });
});

describe('FranceConnect stand-in: tokens and userinfo', () => {
  it('answers the token request with FC\'s five fields and an ES256 ID token without identity claims', async () => {
    const callback = await loginAs('angela', authorizeUrl());
    const response = await redeem(callback.searchParams.get('code') ?? '');
    const body = (await response.json()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'id_token', 'scope', 'token_type']);
    assert.equal(body.expires_in, 60);
    assert.equal(body.token_type, 'Bearer');
    const idToken = String(body.id_token);
    const header = decodeProtectedHeader(idToken);
    assert.equal(header.alg, 'ES256');
    assert.match(header.kid ?? '', /^pkcs11:ES256:hsm/);
    const { payload } = await jwtVerify(idToken, createLocalJWKSet(await jwks()), { issuer: fc.issuer, audience: fc.clientId });
    assert.equal(payload.acr, 'eidas1');
    assert.equal(payload.nonce, 'n'.repeat(43));
    assert.equal((payload.exp ?? 0) - (payload.iat ?? 0), 60);
    assert.equal(payload.given_name, undefined);
    assert.equal(payload.at_hash, undefined);
    assert.match(payload.sub ?? '', /^[0-9a-f]{64}v1$/);
  });

  it('serves userinfo as an ES256-signed application/jwt with the identité pivot', async () => {
    const { access_token } = await tokensFor('vincent');
    const response = await fetch(`${fc.issuer}/userinfo`, { headers: { authorization: `Bearer ${access_token}` } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/jwt/);
    const jwt = await response.text();
    assert.equal(decodeProtectedHeader(jwt).alg, 'ES256');
    const { payload } = await jwtVerify(jwt, createLocalJWKSet(await jwks()), { issuer: fc.issuer, audience: fc.clientId });
    const vincent = PERSONAS.find((p) => p.login === 'vincent');
    assert.equal(payload.given_name, vincent?.claims.given_name);
    assert.deepEqual(payload.given_name_array, vincent?.claims.given_name_array);
    assert.equal(payload.birthplace, '');
    assert.equal(payload.birthcountry, '99352');
    assert.equal(payload.email, undefined, 'email is not in identite_pivot');
    assert.equal(payload.preferred_username, undefined, 'preferred_username is not in identite_pivot');
  });

  it('gives email when the email scope is requested', async () => {
    const callback = await loginAs('angela', authorizeUrl({ scope: 'openid identite_pivot email' }));
    const tokens = (await (await redeem(callback.searchParams.get('code') ?? '')).json()) as { access_token: string };
    const jwt = await (await fetch(`${fc.issuer}/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).text();
    const { payload } = await jwtVerify(jwt, createLocalJWKSet(await jwks()));
    assert.equal(payload.email, 'angela.dubois@example.fr');
  });

  it('refuses a replayed authorization code', async () => {
    const callback = await loginAs('angela', authorizeUrl());
    const code = callback.searchParams.get('code') ?? '';
    assert.equal((await redeem(code)).status, 200);
    const replay = await redeem(code);
    assert.equal(replay.status, 400);
    assert.equal(((await replay.json()) as { error: string }).error, 'invalid_grant');
  });

  it('refuses a wrong client secret with invalid_client', async () => {
    const callback = await loginAs('angela', authorizeUrl());
    const response = await fetch(`${fc.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: callback.searchParams.get('code') ?? '',
        redirect_uri: fc.redirectUri,
        client_id: fc.clientId,
        client_secret: 'x'.repeat(64),
      }),
    });
    assert.equal(response.status, 401);
    assert.equal(((await response.json()) as { error: string }).error, 'invalid_client');
  });

  it('gives each persona one stable sub, different from the others', async () => {
    const first = await tokensFor('angela');
    const again = await tokensFor('angela');
    const other = await tokensFor('paul');
    const sub = (t: { id_token: string }) => JSON.parse(Buffer.from(t.id_token.split('.')[1] ?? '', 'base64url').toString()).sub;
    assert.equal(sub(first), sub(again));
    assert.notEqual(sub(first), sub(other));
  });
});

describe('FranceConnect stand-in: logout', () => {
  it('requires id_token_hint', async () => {
    const url = new URL(`${fc.issuer}/session/end`);
    url.searchParams.set('post_logout_redirect_uri', fc.postLogoutRedirectUri);
    url.searchParams.set('state', 'l'.repeat(43));
    const response = await fetch(url, { redirect: 'manual' });
    assert.equal(response.status, 400);
    assert.match(await response.text(), /Y030007/);
  });

  it('rejects an unknown parameter', async () => {
    const { id_token } = await tokensFor('angela');
    const url = new URL(`${fc.issuer}/session/end`);
    url.searchParams.set('id_token_hint', id_token);
    url.searchParams.set('foo', 'bar');
    const response = await fetch(url, { redirect: 'manual' });
    assert.equal(response.status, 400);
  });

  it('confirms by itself (script, and a noscript button) and redirects to post_logout_redirect_uri with state', async () => {
    const browser = new FranceConnectBrowser();
    const callback = await browser.loginAs('angela', authorizeUrl());
    const tokens = (await (await redeem(callback.searchParams.get('code') ?? '')).json()) as { id_token: string };
    const url = new URL(`${fc.issuer}/session/end`);
    url.searchParams.set('id_token_hint', tokens.id_token);
    url.searchParams.set('post_logout_redirect_uri', fc.postLogoutRedirectUri);
    url.searchParams.set('state', 'l'.repeat(43));

    const page = await browser.open(url);
    assert.equal(page.kind, 'page');
    const html = page.kind === 'page' ? page.html : '';
    assert.match(html, /<script>document\.getElementById\('op\.logoutForm'\)\.submit\(\)<\/script>/);
    assert.match(html, /<noscript>.*<button[^>]*form="op\.logoutForm"/s);

    const back = await browser.logout(url);
    assert.equal(`${back.origin}${back.pathname}`, fc.postLogoutRedirectUri);
    assert.equal(back.searchParams.get('state'), 'l'.repeat(43));
  });
});
