import type { IdentitePivot } from '../../domain/identite-pivot.ts';

/** Why a FranceConnect login did not give us an identity; each kind calls for a different message or action. */
export type FranceConnectLoginError =
  /** The user pressed "Annuler" (or went back) at FranceConnect. */
  | { kind: 'access_denied' }
  /** FranceConnect, or the ID token, did not give eidas1. */
  | { kind: 'invalid_acr' }
  /** Another `error=` from FranceConnect, at the callback or the token endpoint. */
  | { kind: 'provider_error'; code: string; description: string | null }
  /** The callback's state is not the one this browser started with: forged, replayed, or another tab. */
  | { kind: 'state_mismatch' }
  /** Something FranceConnect sent failed a check (signature, nonce, iss, aud, expiry, alg, claims). */
  | { kind: 'invalid_response'; reason: string }
  /** FranceConnect could not be reached in time. */
  | { kind: 'unreachable'; reason: string };

export type LoginResult =
  | { ok: true; identity: IdentitePivot; accessToken: string; idToken: string; sub: string }
  | { ok: false; error: FranceConnectLoginError };

/** Thrown by startLogin and logoutUrl, which have no result type to carry the failure. */
export class FranceConnectUnreachableError extends Error {
  override name = 'FranceConnectUnreachableError';
}
