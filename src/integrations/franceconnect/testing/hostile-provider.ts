import { randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import fastifyFormbody from '@fastify/formbody';
import { base64url, exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { freePort } from '../../../../test/support/ports.ts';

/**
 * An OpenID provider that lies, for security tests: it serves a discovery document for an issuer URL of its
 * own, a JWKS, an authorize endpoint that hands out a code at once, a token endpoint and a userinfo endpoint,
 * and signs what it answers the way the scenario being played says. Played honestly it is a provider our
 * client accepts, so each refusal a test sees comes from the one lie in its scenario.
 */

/** How the ID token is signed. */
export type IdTokenSigning =
  /** ES256 with the key the JWKS publishes: what FranceConnect does. */
  | { by: 'published_key' }
  /** ES256 with a key the JWKS does not hold, under the published key's kid or under a kid of its own. */
  | { by: 'unpublished_key'; kid: 'published' | 'fresh' }
  /** `alg: none`, no signature. */
  | { by: 'none' }
  /** HS256 keyed with what the attacker knows: the public key (PEM or JWK text), or the client secret it was sent. */
  | { by: 'hs256'; secret: 'public_key_pem' | 'public_key_jwk' | 'client_secret' };

/** What the userinfo endpoint answers. */
export type UserinfoAnswer =
  | 'signed'
  /** The claims as plain JSON, as a provider that ignores our userinfo_signed_response_alg would. */
  | 'plain_json'
  | 'signed_with_unpublished_key'
  /** Properly signed, about someone else than the ID token's subject. */
  | 'another_subject';

export interface HostileScenario {
  /** The ID token's claims, from the faithful ones (iss, sub, aud, exp, iat, nonce, acr…). */
  idTokenClaims?: (faithful: JWTPayload) => JWTPayload;
  idTokenSigning?: IdTokenSigning;
  userinfo?: UserinfoAnswer;
}

export interface HostileProvider {
  readonly issuer: string;
  /** The scenario the next answers follow; the honest one when none is given. */
  play(scenario?: HostileScenario): void;
  /** Follows an authorize URL our client built: resolves to the callback URL the provider sends back to. */
  authorize(authorizeUrl: string | URL): Promise<URL>;
  /** How many times each endpoint was called since start (a refused callback must not reach the token endpoint). */
  readonly calls: { token: number; userinfo: number };
  close(): Promise<void>;
}

/** A French identité pivot as FranceConnect sends it; made up, like every test persona. */
const PIVOT = {
  given_name: 'Camille Anne',
  given_name_array: ['Camille', 'Anne'],
  family_name: 'HOSTILE',
  birthdate: '1980-06-15',
  gender: 'female',
  birthplace: '75056',
  birthcountry: '99100',
};

interface IssuedCode {
  clientId: string;
  nonce: string | null;
}

export async function startHostileProvider(): Promise<HostileProvider> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}/api/v2`;
  const kid = `hostile-${randomBytes(4).toString('hex')}`;
  const published = await generateKeyPair('ES256', { extractable: true });
  const unpublished = await generateKeyPair('ES256', { extractable: true });
  const publicJwk: JWK = { ...(await exportJWK(published.publicKey)), kid, alg: 'ES256', use: 'sig' };
  const publicPem = await exportSPKI(published.publicKey);

  let scenario: HostileScenario = {};
  const calls = { token: 0, userinfo: 0 };
  const codes = new Map<string, IssuedCode>();
  const accessTokens = new Map<string, { clientId: string; sub: string }>();
  const subject = `${randomBytes(32).toString('hex')}v1`;

  const sign = (claims: JWTPayload, key: CryptoKey, keyId: string) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: keyId, typ: 'JWT' }).sign(key);

  const signIdToken = async (claims: JWTPayload, clientSecret: string): Promise<string> => {
    const signing = scenario.idTokenSigning ?? { by: 'published_key' };
    switch (signing.by) {
      case 'published_key':
        return sign(claims, published.privateKey, kid);
      case 'unpublished_key':
        return sign(claims, unpublished.privateKey, signing.kid === 'published' ? kid : `${kid}-next`);
      case 'none': {
        const encode = (part: object) => base64url.encode(JSON.stringify(part));
        return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`;
      }
      case 'hs256': {
        const secret =
          signing.secret === 'public_key_pem' ? publicPem : signing.secret === 'public_key_jwk' ? JSON.stringify(publicJwk) : clientSecret;
        return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid, typ: 'JWT' }).sign(new TextEncoder().encode(secret));
      }
    }
  };

  const app = Fastify({ logger: false });
  await app.register(fastifyFormbody);

  app.get('/api/v2/.well-known/openid-configuration', async () => ({
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    userinfo_endpoint: `${issuer}/userinfo`,
    jwks_uri: `${issuer}/jwks`,
    end_session_endpoint: `${issuer}/session/end`,
    response_types_supported: ['code'],
    subject_types_supported: ['public'],
    // Everything on offer: refusing HS256 and none must be our client's doing, not the provider's.
    id_token_signing_alg_values_supported: ['ES256', 'RS256', 'HS256', 'none'],
    userinfo_signing_alg_values_supported: ['ES256', 'RS256', 'HS256', 'none'],
    token_endpoint_auth_methods_supported: ['client_secret_post'],
    authorization_response_iss_parameter_supported: true,
    acr_values_supported: ['eidas1', 'eidas2', 'eidas3'],
    scopes_supported: ['openid'],
    claims_supported: ['sub', ...Object.keys(PIVOT)],
  }));

  app.get('/api/v2/jwks', async () => ({ keys: [publicJwk] }));

  app.get<{ Querystring: Record<string, string | undefined> }>('/api/v2/authorize', async (request, reply) => {
    const { client_id: clientId, redirect_uri: redirectUri, state, nonce } = request.query;
    if (!clientId || !redirectUri) return reply.code(400).send({ error: 'invalid_request' });
    const code = randomBytes(24).toString('base64url');
    codes.set(code, { clientId, nonce: nonce ?? null });
    const callback = new URL(redirectUri);
    callback.searchParams.set('code', code);
    if (state !== undefined) callback.searchParams.set('state', state);
    callback.searchParams.set('iss', issuer);
    return reply.redirect(callback.href, 302);
  });

  app.post<{ Body: Record<string, string | undefined> }>('/api/v2/token', async (request, reply) => {
    calls.token += 1;
    const issued = codes.get(request.body.code ?? '');
    // A hostile provider honours a code as often as it is sent: refusing a replay is up to the relying party.
    if (!issued) return reply.code(400).send({ error: 'invalid_grant' });
    const now = Math.floor(Date.now() / 1000);
    const faithful: JWTPayload = {
      iss: issuer,
      sub: subject,
      aud: issued.clientId,
      exp: now + 60,
      iat: now,
      auth_time: now,
      acr: 'eidas1',
      amr: ['pwd'],
      ...(issued.nonce === null ? {} : { nonce: issued.nonce }),
    };
    const claims = scenario.idTokenClaims ? scenario.idTokenClaims(faithful) : faithful;
    const accessToken = randomBytes(32).toString('base64url');
    accessTokens.set(accessToken, { clientId: issued.clientId, sub: subject });
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: 60,
      scope: 'openid',
      id_token: await signIdToken(claims, request.body.client_secret ?? ''),
    };
  });

  app.get('/api/v2/userinfo', async (request, reply) => {
    calls.userinfo += 1;
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const holder = token === undefined ? undefined : accessTokens.get(token);
    if (!holder) return reply.code(401).header('www-authenticate', 'Bearer error="invalid_token"').send({ error: 'invalid_token' });
    const answer = scenario.userinfo ?? 'signed';
    const sub = answer === 'another_subject' ? `${randomBytes(32).toString('hex')}v1` : holder.sub;
    const claims = { ...PIVOT, sub, aud: holder.clientId, iss: issuer, iat: Math.floor(Date.now() / 1000) };
    if (answer === 'plain_json') return reply.type('application/json').send(claims);
    const jwt = answer === 'signed_with_unpublished_key' ? await sign(claims, unpublished.privateKey, kid) : await sign(claims, published.privateKey, kid);
    return reply.type('application/jwt').send(jwt);
  });

  await app.listen({ host: '127.0.0.1', port });

  return {
    issuer,
    calls,
    play(next = {}) {
      scenario = next;
    },
    async authorize(authorizeUrl) {
      const response = await fetch(authorizeUrl, { redirect: 'manual' });
      const location = response.headers.get('location');
      if (response.status !== 302 || !location) throw new Error(`The hostile provider answered ${response.status} to the authorize URL`);
      return new URL(location);
    },
    close: () => app.close(),
  };
}
