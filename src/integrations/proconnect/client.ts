import * as oidc from 'openid-client';
import type { Config } from '../../config/config.ts';
import { TransportError } from '../http.ts';
import { oidcConfigurationSource } from '../franceconnect/oidc-configuration.ts';
import { describe, findCause } from '../franceconnect/signed-answer.ts';
import { describeUserProblems, parseProConnectUser, type ProConnectUser } from './user.ts';

/**
 * Our side of ProConnect (contract §8): authorization code flow with client_secret_post and PKCE S256, state
 * and nonce, RS256 pinned for the ID token and the userinfo JWT (both signatures checked, with the JWKS re-read
 * on an unknown kid as for FranceConnect), userinfo `sub` equal to the ID token's, logout through /session/end.
 */
export const PROCONNECT_SYSTEM = 'ProConnect';
export const PROCONNECT_SCOPE = 'openid email given_name usual_name uid siret idp_id organization_label roles';
/** We read acr and amr without requiring a level: the espace needs no MFA today (contract §2, "ACR"). */
const CLAIMS_REQUEST = JSON.stringify({ id_token: { acr: null, amr: null } });
const SIGNING_ALG = 'RS256';
const DEFAULT_TIMEOUT_MS = 5000;

/** What the login started with; kept by our side (never in the URL) until the callback. */
export interface ProConnectLoginAttempt {
  state: string;
  nonce: string;
  codeVerifier: string;
}

export type ProConnectLoginError =
  | { kind: 'access_denied'; description: string | null }
  /** prompt=none without a ProConnect session (contract §4, SSO). */
  | { kind: 'login_required' }
  | { kind: 'provider_error'; code: string; description: string | null }
  | { kind: 'state_mismatch' }
  | { kind: 'invalid_response'; reason: string }
  | { kind: 'unreachable'; reason: string };

export type ProConnectLoginResult =
  | { ok: true; user: ProConnectUser; idToken: string; acr: string | null }
  | { ok: false; error: ProConnectLoginError };

export class ProConnectUnreachableError extends Error {
  override name = 'ProConnectUnreachableError';
}

export interface ProConnectClient {
  startLogin(options?: { loginHint?: string }): Promise<{ url: string; attempt: ProConnectLoginAttempt }>;
  completeLogin(callbackUrl: URL, attempt: ProConnectLoginAttempt): Promise<ProConnectLoginResult>;
  logoutUrl(idToken: string, state: string): Promise<string>;
}

export function createProConnectClient(settings: Config['proConnect'], options: { timeoutMs?: number } = {}): ProConnectClient {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const clientMetadata: Partial<oidc.ClientMetadata> = {
    client_secret: settings.clientSecret,
    redirect_uris: [settings.redirectUri],
    post_logout_redirect_uris: [settings.postLogoutRedirectUri],
    response_types: ['code'],
    // Pinned: ProConnect's discovery also offers HS256, which a forger holding nothing but our secret could use.
    id_token_signed_response_alg: SIGNING_ALG,
    userinfo_signed_response_alg: SIGNING_ALG,
  };
  const configuration = oidcConfigurationSource({
    system: PROCONNECT_SYSTEM,
    issuer: settings.issuer,
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    clientMetadata,
    timeoutMs,
  });

  const configurationOrThrow = async () => {
    try {
      return await configuration();
    } catch (error) {
      throw new ProConnectUnreachableError(`ProConnect discovery failed: ${describe(error)}`, { cause: error });
    }
  };

  return {
    async startLogin(start = {}) {
      const config = await configurationOrThrow();
      const attempt: ProConnectLoginAttempt = { state: oidc.randomState(), nonce: oidc.randomNonce(), codeVerifier: oidc.randomPKCECodeVerifier() };
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: settings.redirectUri,
        scope: PROCONNECT_SCOPE,
        claims: CLAIMS_REQUEST,
        state: attempt.state,
        nonce: attempt.nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(attempt.codeVerifier),
        code_challenge_method: 'S256',
        ...(start.loginHint ? { login_hint: start.loginHint } : {}),
      });
      return { url: url.href, attempt };
    },

    async completeLogin(callbackUrl, attempt) {
      const fail = (error: ProConnectLoginError): ProConnectLoginResult => ({ ok: false, error });
      // Before anything else: a forged callback must not even reach ProConnect's token endpoint.
      if (callbackUrl.searchParams.get('state') !== attempt.state) return fail({ kind: 'state_mismatch' });
      let config: oidc.Configuration;
      try {
        config = await configuration();
      } catch (error) {
        return fail({ kind: 'unreachable', reason: describe(error) });
      }
      const current = new URL(settings.redirectUri);
      current.search = callbackUrl.search;
      try {
        const tokens = await oidc.authorizationCodeGrant(config, current, {
          expectedState: attempt.state,
          expectedNonce: attempt.nonce,
          pkceCodeVerifier: attempt.codeVerifier,
          idTokenExpected: true,
        });
        const claims = tokens.claims();
        if (!claims || !tokens.id_token) return fail({ kind: 'invalid_response', reason: 'no ID token' });
        // openid-client checks the userinfo JWT's signature, iss, aud, and that its sub is the ID token's.
        const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
        const user = parseProConnectUser(userinfo);
        if (!user) return fail({ kind: 'invalid_response', reason: `userinfo claims missing or malformed: ${describeUserProblems(userinfo)}` });
        return { ok: true, user, idToken: tokens.id_token, acr: typeof claims.acr === 'string' ? claims.acr : null };
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

function classify(error: unknown): ProConnectLoginError {
  const transport = findCause(error, TransportError);
  if (transport) return { kind: 'unreachable', reason: transport.message };
  if (error instanceof oidc.AuthorizationResponseError || error instanceof oidc.ResponseBodyError) {
    if (error.error === 'access_denied') return { kind: 'access_denied', description: error.error_description ?? null };
    if (error.error === 'login_required') return { kind: 'login_required' };
    return { kind: 'provider_error', code: error.error, description: error.error_description ?? null };
  }
  return { kind: 'invalid_response', reason: describe(error) };
}
