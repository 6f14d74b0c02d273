import { compactDecrypt, errors as joseErrors, jwtVerify, type CryptoKey, type KeyObject } from 'jose';
import { z } from 'zod';
import type { IdentitePivot } from '../../domain/identite-pivot.ts';
import { httpRequest } from '../http.ts';
import { identitePivotSchema } from './identity.ts';
import { discoverJwksUri, IssuerJwks } from './jwks-cache.ts';

/**
 * How a data provider (here our API Particulier stand-in) learns whose FranceConnect access token it was given:
 * FC's /checktoken (contract §6). The answer is a JWS signed by FC inside a JWE encrypted to the data provider.
 */
export type CheckTokenResult =
  | { active: false }
  | {
      active: true;
      /** Only the scopes this data provider is entitled to. */
      scope: string[];
      acr: string;
      /** The data provider's own pairwise `sub`, not the service provider's. */
      sub: string;
      identity: IdentitePivot;
      /** Seconds since the epoch. */
      exp: number;
      /** The service provider the token was issued to. */
      clientId: string;
    };

export type CheckTokenFailure =
  | { kind: 'http_status'; status: number; error: string | null }
  | { kind: 'invalid_response'; reason: string };

/** FC answered, but not usably. Transport failures (timeout, unreachable) are thrown as http.ts's TransportError. */
export class CheckTokenError extends Error {
  override name = 'CheckTokenError';
  constructor(readonly failure: CheckTokenFailure) {
    super(
      failure.kind === 'http_status'
        ? `FranceConnect checktoken answered HTTP ${failure.status}${failure.error ? ` (${failure.error})` : ''}`
        : `FranceConnect checktoken answer rejected: ${failure.reason}`,
    );
  }
}

export interface CheckTokenParams {
  issuer: string;
  clientId: string;
  clientSecret: string;
  decryptionKey: CryptoKey | KeyObject;
  token: string;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 5000;
const CONTENT_TYPE = 'application/token-introspection+jwt';

const introspectionSchema = z.discriminatedUnion('active', [
  z.object({ active: z.literal(false) }),
  identitePivotSchema.extend({
    active: z.literal(true),
    aud: z.string().min(1),
    sub: z.string().min(1),
    exp: z.number().int(),
    acr: z.string().min(1),
    scope: z.string(),
  }),
]);

const issuerKeys = new Map<string, Promise<IssuerJwks>>();

function keysOf(issuer: string, timeoutMs: number): Promise<IssuerJwks> {
  let keys = issuerKeys.get(issuer);
  if (!keys) {
    keys = discoverJwksUri(issuer, timeoutMs).then((jwksUri) => new IssuerJwks(jwksUri, timeoutMs));
    // A failed discovery must not stick: the next call tries again.
    keys.catch(() => issuerKeys.delete(issuer));
    issuerKeys.set(issuer, keys);
  }
  return keys;
}

export async function checkFranceConnectToken(params: CheckTokenParams): Promise<CheckTokenResult> {
  const timeoutMs = params.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const response = await httpRequest({
    system: 'FranceConnect',
    method: 'POST',
    url: `${params.issuer}/checktoken`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: CONTENT_TYPE },
    body: new URLSearchParams({ token: params.token, client_id: params.clientId, client_secret: params.clientSecret }),
    timeoutMs,
  });
  if (response.status !== 200) {
    const body = response.json();
    const error = typeof body === 'object' && body !== null && 'error' in body ? String(body.error) : null;
    throw new CheckTokenError({ kind: 'http_status', status: response.status, error });
  }
  if (!(response.headers.get('content-type') ?? '').startsWith(CONTENT_TYPE)) {
    throw new CheckTokenError({ kind: 'invalid_response', reason: 'unexpected content-type' });
  }

  let jws: string;
  try {
    const { plaintext } = await compactDecrypt(response.text(), params.decryptionKey);
    jws = new TextDecoder().decode(plaintext);
  } catch {
    throw new CheckTokenError({ kind: 'invalid_response', reason: 'cannot decrypt the answer' });
  }

  const keys = await keysOf(params.issuer, timeoutMs);
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(jws, keys.resolve, {
      issuer: params.issuer,
      audience: params.clientId,
      algorithms: ['ES256', 'RS256'],
      maxTokenAge: '5 minutes',
      clockTolerance: 30,
    }));
  } catch (error) {
    const reason = error instanceof joseErrors.JOSEError ? error.code : 'signature verification failed';
    throw new CheckTokenError({ kind: 'invalid_response', reason });
  }

  const parsed = introspectionSchema.safeParse(payload.token_introspection);
  if (!parsed.success) {
    // Names the faulty fields only: their values are personal data.
    const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || '(root)'))].join(', ');
    throw new CheckTokenError({ kind: 'invalid_response', reason: `malformed token_introspection (${fields})` });
  }
  const introspection = parsed.data;
  if (!introspection.active || introspection.exp <= Math.floor(Date.now() / 1000)) return { active: false };
  const { given_name, given_name_array, family_name, birthdate, gender, birthplace, birthcountry } = introspection;
  return {
    active: true,
    scope: introspection.scope.split(' ').filter(Boolean),
    acr: introspection.acr,
    sub: introspection.sub,
    identity: { given_name, given_name_array, family_name, birthdate, gender, birthplace, birthcountry },
    exp: introspection.exp,
    clientId: introspection.aud,
  };
}
