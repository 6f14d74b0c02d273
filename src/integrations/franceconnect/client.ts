import * as oidc from 'openid-client';
import type { Config } from '../../config/config.ts';
import { TransportError } from '../http.ts';
import { describeIdentityProblems, parseIdentitePivot } from './identity.ts';
import { oidcConfigurationSource } from './oidc-configuration.ts';
import { describe, findCause } from './signed-answer.ts';
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

export interface FranceConnectClient {
  startLogin(): Promise<{ url: string; state: string; nonce: string }>;
  completeLogin(callbackUrl: URL, expected: { state: string; nonce: string }): Promise<LoginResult>;
  logoutUrl(idToken: string, state: string): Promise<string>;
}

export function createFranceConnectClient(
  settings: Config['franceConnect'],
  options: { timeoutMs?: number } = {},
): FranceConnectClient {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const clientMetadata: Partial<oidc.ClientMetadata> = {
    client_secret: settings.clientSecret,
    redirect_uris: [settings.redirectUri],
    post_logout_redirect_uris: [settings.postLogoutRedirectUri],
    response_types: ['code'],
    // Pinning the algorithms refuses HS256 and none, which FC's discovery would otherwise allow.
    id_token_signed_response_alg: SIGNING_ALG,
    userinfo_signed_response_alg: SIGNING_ALG,
  };

  const configuration = oidcConfigurationSource({
    system: 'FranceConnect',
    issuer: settings.issuer,
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    clientMetadata,
    timeoutMs,
  });

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

