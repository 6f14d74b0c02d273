import { createLocalJWKSet, type JSONWebKeySet, type JWSHeaderParameters, type FlattenedJWSInput } from 'jose';
import { z } from 'zod';
import { httpRequest } from '../http.ts';

/**
 * FranceConnect's public signing keys, fetched from the issuer's jwks_uri and kept a few minutes. FC asks its
 * partners to re-fetch when a token names an unknown `kid` instead of failing (contract §7); a kid that is
 * still unknown after a re-fetch is not fetched again for a while, so forged tokens cannot make us hammer FC.
 */
export interface JwksSnapshot {
  jwks: JSONWebKeySet;
  /** Seconds since the epoch, as openid-client's JWKS cache wants it. */
  uat: number;
}

const MAX_AGE_SECONDS = 240;
const UNKNOWN_KID_RETRY_SECONDS = 60;

const jwksSchema = z.object({ keys: z.array(z.record(z.string(), z.unknown())) });
const discoverySchema = z.object({ issuer: z.string(), jwks_uri: z.url() });

export class IssuerJwks {
  #current: JwksSnapshot | undefined;
  #inFlight: Promise<JwksSnapshot> | undefined;
  readonly #refetchedFor = new Map<string, number>();

  constructor(
    readonly jwksUri: string,
    private readonly timeoutMs: number,
    /** The OpenID provider, as errors and logs name it (ProConnect uses this cache too). */
    private readonly system = 'FranceConnect',
  ) {}

  /** The cached keys, re-fetched when they are older than a few minutes. */
  async snapshot(): Promise<JwksSnapshot> {
    if (this.#current && now() - this.#current.uat < MAX_AGE_SECONDS) return this.#current;
    return this.#refresh();
  }

  /** The cached keys, re-fetched first when they do not hold `kid`. */
  async snapshotWith(kid: string | undefined): Promise<JwksSnapshot> {
    const snapshot = await this.snapshot();
    if (kid === undefined || snapshot.jwks.keys.some((key) => key.kid === kid)) return snapshot;
    const last = this.#refetchedFor.get(kid);
    if (last !== undefined && now() - last < UNKNOWN_KID_RETRY_SECONDS) return snapshot;
    for (const [seen, at] of this.#refetchedFor) if (now() - at >= UNKNOWN_KID_RETRY_SECONDS) this.#refetchedFor.delete(seen);
    this.#refetchedFor.set(kid, now());
    return this.#refresh();
  }

  /** A key resolver for jose's jwtVerify. */
  readonly resolve = async (header: JWSHeaderParameters, token: FlattenedJWSInput) => {
    const snapshot = await this.snapshotWith(header.kid);
    return createLocalJWKSet(snapshot.jwks)(header, token);
  };

  #refresh(): Promise<JwksSnapshot> {
    this.#inFlight ??= fetchJwks(this.jwksUri, this.timeoutMs, this.system)
      .then((jwks) => {
        this.#current = { jwks, uat: now() };
        return this.#current;
      })
      .finally(() => {
        this.#inFlight = undefined;
      });
    return this.#inFlight;
  }
}

export class JwksFetchError extends Error {
  override name = 'JwksFetchError';
}

async function fetchJwks(jwksUri: string, timeoutMs: number, system: string): Promise<JSONWebKeySet> {
  const response = await httpRequest({ system, url: jwksUri, timeoutMs, headers: { accept: 'application/json' } });
  const parsed = jwksSchema.safeParse(response.json());
  if (response.status !== 200 || !parsed.success) {
    throw new JwksFetchError(`${system} JWKS answered ${response.status} without a usable key set`);
  }
  return parsed.data as JSONWebKeySet;
}

/** jwks_uri from the issuer's discovery document, after checking it is the issuer we asked for. */
export async function discoverJwksUri(issuer: string, timeoutMs: number): Promise<string> {
  const response = await httpRequest({
    system: 'FranceConnect',
    url: `${issuer}/.well-known/openid-configuration`,
    timeoutMs,
    headers: { accept: 'application/json' },
  });
  const parsed = discoverySchema.safeParse(response.json());
  if (response.status !== 200 || !parsed.success || parsed.data.issuer !== issuer) {
    throw new JwksFetchError(`FranceConnect discovery answered ${response.status} without a matching issuer and jwks_uri`);
  }
  return parsed.data.jwks_uri;
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}
