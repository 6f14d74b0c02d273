import type { IdentitePivot } from '../../domain/identite-pivot.ts';
import type { StandInContext } from '../stand-in.ts';
import { CheckTokenError, checkFranceConnectToken } from '../../integrations/franceconnect/checktoken-client.ts';
import { API_PARTICULIER_DATA_PROVIDER, dataProviderDecryptionKey } from '../franceconnect/data-provider.ts';
import { TransportError } from '../../integrations/http.ts';

/**
 * What the FranceConnect route needs to know about a bearer, as API Particulier learns it: by POSTing it to
 * FranceConnect's /checktoken with its own data-provider credentials (§5 step 3), over real HTTP.
 */
export type FranceConnectTokenCheck =
  | { outcome: 'active'; scopes: string[]; identity: IdentitePivot }
  | { outcome: 'inactive' }
  | { outcome: 'malformed' }
  | { outcome: 'throttled'; retryAfterSeconds: number }
  | { outcome: 'timeout' }
  | { outcome: 'unavailable' };

export type FranceConnectTokenChecker = (token: string) => Promise<FranceConnectTokenCheck>;

/** FranceConnect's own deadline is ours too: siade waits at most 10 s for a provider (§3.2). */
const CHECKTOKEN_TIMEOUT_MS = 10_000;

export function checktokenChecker(context: StandInContext): FranceConnectTokenChecker {
  return async (token) => {
    try {
      const result = await checkFranceConnectToken({
        issuer: context.config.franceConnect.issuer,
        clientId: API_PARTICULIER_DATA_PROVIDER.clientId,
        clientSecret: API_PARTICULIER_DATA_PROVIDER.clientSecret,
        decryptionKey: await dataProviderDecryptionKey(),
        token,
        timeoutMs: CHECKTOKEN_TIMEOUT_MS,
      });
      if (!result.active) return { outcome: 'inactive' };
      return { outcome: 'active', scopes: result.scope, identity: result.identity };
    } catch (error) {
      if (error instanceof TransportError && error.failure.kind === 'timeout') return { outcome: 'timeout' };
      // siade's reading of FC's refusals (§3.4): invalid_request is a malformed token, invalid_client "not found
      // or expired"; anything else FranceConnect answers is a provider error.
      if (error instanceof CheckTokenError && error.failure.kind === 'http_status') {
        // FC's per-IP limit on /checktoken: API Particulier's caller is told to slow down (§4).
        if (error.failure.status === 429) return { outcome: 'throttled', retryAfterSeconds: 60 };
        if (error.failure.error === 'invalid_request') return { outcome: 'malformed' };
        if (error.failure.error === 'invalid_client') return { outcome: 'inactive' };
      }
      return { outcome: 'unavailable' };
    }
  };
}

/** RFC 6750's b64token: anything else cannot be an access token, so it is refused as malformed without asking FC. */
export function isWellFormedBearer(token: string): boolean {
  return /^[A-Za-z0-9\-._~+/]+=*$/.test(token);
}
