import { decodeProtectedHeader } from 'jose';
import * as oidc from 'openid-client';
import type { Config } from '../../config/config.ts';
import { TransportError } from '../http.ts';
import { fetchThroughHttpHelper } from './fetch-adapter.ts';
import { describeIdentityProblems, parseIdentitePivot } from './identity.ts';
import { IssuerJwks } from './jwks-cache.ts';
import { FranceConnectUnreachableError, type FranceConnectLoginError, type LoginResult } from './login-result.ts';

export { FranceConnectUnreachableError, type FranceConnectLoginError, type LoginResult } from './login-result.ts';

/**
 * Our side of FranceConnect v2 (contract §8.5): authorization code flow with client_secret_post, ES256-signed
 * ID token and userinfo whose signatures are always checked, eidas1 only, no PKCE (FC rejects it, §2.3).
 */
export const FRANCECONNECT_SCOPE = 'openid identite_pivot cnaf_quotient_familial cnaf_allocataires cnaf_enfants';
const ACR = 'eidas1';
const SIGNING_ALG = 'ES256';
const DEFAULT_TIMEOUT_MS = 5000;
/** FC's discovery document hardly ever changes; re-reading it hourly picks up a change without a restart. */
const DISCOVERY_MAX_AGE_MS = 60 * 60 * 1000;

export interface FranceConnectClient {
  startLogin(): Promise<{ url: string; state: string; nonce: string }>;
  completeLogin(callbackUrl: URL, expected: { state: string; nonce: string }): Promise<LoginResult>;
  logoutUrl(idToken: string, state: string): Promise<string>;
}

interface Discovered {
  metadata: oidc.ServerMetadata;
  jwks: IssuerJwks;
}

export function createFranceConnectClient(
  settings: Config['franceConnect'],
  options: { timeoutMs?: number } = {},
): FranceConnectClient {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const issuer = new URL(settings.issuer);
  const local = issuer.protocol === 'http:' && (issuer.hostname === 'localhost' || issuer.hostname === '127.0.0.1');
  if (issuer.protocol !== 'https:' && !local) throw new Error('The FranceConnect issuer must be an https:// URL');

  const clientMetadata: Partial<oidc.ClientMetadata> = {
    client_secret: settings.clientSecret,
    redirect_uris: [settings.redirectUri],
    post_logout_redirect_uris: [settings.postLogoutRedirectUri],
    response_types: ['code'],
    // Pinning the algorithms refuses HS256 and none, which FC's discovery would otherwise allow.
    id_token_signed_response_alg: SIGNING_ALG,
    userinfo_signed_response_alg: SIGNING_ALG,
  };

  let discovered: { promise: Promise<Discovered>; at: number } | undefined;
  const discover = (): Promise<Discovered> => {
    if (discovered && Date.now() - discovered.at < DISCOVERY_MAX_AGE_MS) return discovered.promise;
    const promise = oidc
      .discovery(issuer, settings.clientId, clientMetadata, oidc.ClientSecretPost(settings.clientSecret), {
        ...(local ? { execute: [oidc.allowInsecureRequests] } : {}),
        [oidc.customFetch]: fetchThroughHttpHelper(timeoutMs),
        timeout: Math.ceil(timeoutMs / 1000),
      })
      .then((configuration) => {
        const metadata = configuration.serverMetadata();
        if (!metadata.jwks_uri) throw new Error('FranceConnect discovery has no jwks_uri');
        return { metadata, jwks: new IssuerJwks(metadata.jwks_uri, timeoutMs) };
      });
    const entry = { promise, at: Date.now() };
    // A failure must not stick: the next login tries again.
    promise.catch(() => {
      if (discovered === entry) discovered = undefined;
    });
    discovered = entry;
    return promise;
  };

  /**
   * A fresh openid-client Configuration per login. openid-client re-fetches a JWKS on an unknown kid only when
   * its copy is a minute old; so we look at the kid of each signed answer before openid-client verifies it,
   * re-fetch the JWKS ourselves when needed, and hand openid-client the keys that can verify it.
   */
  const configuration = async (): Promise<oidc.Configuration> => {
    const { metadata, jwks } = await discover();
    const config = new oidc.Configuration(metadata, settings.clientId, clientMetadata, oidc.ClientSecretPost(settings.clientSecret));
    if (local) oidc.allowInsecureRequests(config);
    oidc.enableNonRepudiationChecks(config);
    oidc.setJwksCache(config, await jwks.snapshot());
    config.timeout = Math.ceil(timeoutMs / 1000);
    config[oidc.customFetch] = fetchThroughHttpHelper(timeoutMs, async (url, status, headers, body) => {
      if (status !== 200) return;
      const kid = signedAnswerKid(url, metadata, headers, body);
      if (kid !== undefined) oidc.setJwksCache(config, await jwks.snapshotWith(kid));
    });
    return config;
  };

  const configurationOrThrow = async (): Promise<oidc.Configuration> => {
    try {
      return await configuration();
    } catch (error) {
      throw new FranceConnectUnreachableError(`FranceConnect discovery failed: ${describe(error)}`, { cause: error });
    }
  };

  return {
    async startLogin() {
      const config = await configurationOrThrow();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: settings.redirectUri,
        scope: FRANCECONNECT_SCOPE,
        acr_values: ACR,
        state,
        nonce,
      });
      return { url: url.href, state, nonce };
    },

    async completeLogin(callbackUrl, expected) {
      const fail = (error: FranceConnectLoginError): LoginResult => ({ ok: false, error });
      // Checked before anything else: a forged callback must not even reach FC's token endpoint.
      if (callbackUrl.searchParams.get('state') !== expected.state) return fail({ kind: 'state_mismatch' });

      let config: oidc.Configuration;
      try {
        config = await configuration();
      } catch (error) {
        return fail({ kind: 'unreachable', reason: describe(error) });
      }
      // The redirect_uri sent to the token endpoint is derived from this URL: use the registered one, whatever
      // host or proxy the callback came through.
      const current = new URL(settings.redirectUri);
      current.search = callbackUrl.search;

      try {
        const tokens = await oidc.authorizationCodeGrant(config, current, {
          expectedState: expected.state,
          expectedNonce: expected.nonce,
          idTokenExpected: true,
        });
        const claims = tokens.claims();
        if (!claims || !tokens.id_token) return fail({ kind: 'invalid_response', reason: 'no ID token' });
        if (claims.acr !== ACR) return fail({ kind: 'invalid_acr' });
        const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
        const identity = parseIdentitePivot(userinfo);
        if (!identity) {
          return fail({ kind: 'invalid_response', reason: `identity claims missing or malformed: ${describeIdentityProblems(userinfo)}` });
        }
        return { ok: true, identity, accessToken: tokens.access_token, idToken: tokens.id_token, sub: claims.sub };
      } catch (error) {
        return fail(classify(error));
      }
    },

    async logoutUrl(idToken, state) {
      const config = await configurationOrThrow();
      return oidc.buildEndSessionUrl(config, {
        id_token_hint: idToken,
        post_logout_redirect_uri: settings.postLogoutRedirectUri,
        state,
      }).href;
    },
  };
}

/** The kid of the JWT in a token or userinfo answer, if there is one. */
function signedAnswerKid(url: string, metadata: oidc.ServerMetadata, headers: Headers, body: Buffer): string | undefined {
  try {
    let jwt: unknown;
    if (url === metadata.token_endpoint) {
      jwt = (JSON.parse(body.toString('utf8')) as { id_token?: unknown }).id_token;
    } else if (url === metadata.userinfo_endpoint && (headers.get('content-type') ?? '').startsWith('application/jwt')) {
      jwt = body.toString('utf8');
    }
    return typeof jwt === 'string' ? decodeProtectedHeader(jwt).kid : undefined;
  } catch {
    // Not ours to judge: openid-client rejects a malformed answer with a precise reason.
    return undefined;
  }
}

function classify(error: unknown): FranceConnectLoginError {
  const transport = findCause(error, TransportError);
  if (transport) return { kind: 'unreachable', reason: transport.message };
  if (error instanceof oidc.AuthorizationResponseError) {
    if (error.error === 'access_denied') return { kind: 'access_denied' };
    if (error.error === 'invalid_acr') return { kind: 'invalid_acr' };
    return { kind: 'provider_error', code: error.error, description: error.error_description ?? null };
  }
  if (error instanceof oidc.ResponseBodyError) {
    return { kind: 'provider_error', code: error.error, description: error.error_description ?? null };
  }
  return { kind: 'invalid_response', reason: describe(error) };
}

/**
 * A reason fit for logs: openid-client's and oauth4webapi's messages and codes name the failed check, never a
 * claim value.
 */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown error';
  const code = 'code' in error && typeof error.code === 'string' ? `${error.code}: ` : '';
  const cause = error.cause instanceof Error && error.cause.message !== error.message ? ` (${error.cause.message})` : '';
  return `${code}${error.message}${cause}`;
}

function findCause<T extends Error>(error: unknown, type: new (...args: never[]) => T): T | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    if (current instanceof type) return current;
  }
  return undefined;
}
