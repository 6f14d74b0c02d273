import { z } from 'zod';
import type { JsonObject, QuotientFamilialData } from '../../domain/quotient-familial.ts';
import type { HttpResponse } from '../http.ts';
import type { ApiParticulierError, ApiParticulierErrorItem } from './errors.ts';

/**
 * Turns API Particulier's HTTP answer into our result: a validated `data`, or an error sorted by status (the
 * contract advises to key on the status and treat codes as informative, §8).
 */
export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

export type QuotientFamilialResult =
  | { ok: true; data: QuotientFamilialData; requestId: string | null; rateLimit?: RateLimitState }
  | { ok: false; error: ApiParticulierError };

/**
 * The shape the v3 answer must have for us to forward it: `data` an object, the household lists arrays of
 * objects, the QF and the address objects, the person fields we read strings or null. Values are not checked
 * further (a float `valeur`, `prenoms: null`, an odd date, fields we do not know all pass): the data is forwarded
 * exactly as received, and whether it can serve the family is the use case's call.
 */
const textOrNull = z.string().nullable().optional();
const personne = z.looseObject({ nom_naissance: textOrNull, nom_usage: textOrNull, prenoms: textOrNull, date_naissance: textOrNull, sexe: textOrNull });
const successBody = z.object({
  data: z.looseObject({
    allocataires: z.array(personne).optional(),
    enfants: z.array(personne).optional(),
    adresse: z.looseObject({}).optional(),
    quotient_familial: z.looseObject({}).optional(),
  }),
});

/** The received `data` itself, not zod's copy of it: unknown keys, their order and any `__proto__` key stay as sent. */
function receivedData(body: unknown): QuotientFamilialData | null {
  if (!successBody.safeParse(body).success) return null;
  const data = (body as { data: unknown }).data;
  return isJsonObject(data) ? (data as QuotientFamilialData) : null;
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Lenient: an error body that does not fit still yields a kind from its status.
const errorBody = z.object({
  errors: z
    .array(
      z.object({
        code: z.string().optional(),
        title: z.string().optional(),
        detail: z.string().optional(),
        source: z.object({ parameter: z.string().optional() }).nullable().optional(),
      }),
    )
    .min(1),
});

export function interpretResponse(response: HttpResponse, nowMs: number = Date.now()): QuotientFamilialResult {
  const requestId = response.requestId;
  if (response.status === 200) {
    const data = receivedData(response.json());
    if (data === null) {
      return { ok: false, error: { kind: 'unexpected', reason: 'malformed_body', status: 200, ...noDetails, requestId } };
    }
    const rateLimit = rateLimitOf(response.headers, nowMs);
    return { ok: true, data, requestId, ...(rateLimit ? { rateLimit } : {}) };
  }
  return { ok: false, error: errorOf(response, nowMs) };
}

const noDetails = { code: null, title: null, detail: null };

function errorOf(response: HttpResponse, nowMs: number): ApiParticulierError {
  const items = errorItems(response.json());
  const first = items[0];
  const base = {
    code: first?.code ?? null,
    title: first?.title ?? null,
    detail: first?.detail ?? null,
    requestId: response.requestId,
  };
  const status = response.status;
  switch (status) {
    case 400:
    case 422:
      return { kind: 'invalid_request', status, errors: items, ...base };
    case 401:
      return { kind: 'unauthorized', status, ...base };
    case 403:
      return { kind: 'forbidden', status, ...base };
    case 404:
      return { kind: 'not_found', status, ...base };
    case 429:
      return { kind: 'rate_limited', status, retryAfterSeconds: retryAfterOf(response.headers, nowMs), ...base };
    case 502:
    case 503:
      return { kind: 'provider_unavailable', status, ...base };
    case 504:
      return { kind: 'provider_timeout', status, ...base };
    default:
      return { kind: 'unexpected', status, reason: 'unexpected_status', ...base };
  }
}

function errorItems(body: unknown): ApiParticulierErrorItem[] {
  const parsed = errorBody.safeParse(body);
  if (!parsed.success) return [];
  return parsed.data.errors.map((e) => ({
    code: e.code ?? null,
    title: e.title ?? null,
    detail: e.detail ?? null,
    parameter: e.source?.parameter ?? null,
  }));
}

/** `Retry-After` is delta-seconds in practice; an HTTP date is allowed by RFC 9110 and honoured too. */
function retryAfterOf(headers: Headers, nowMs: number): number | null {
  const value = headers.get('retry-after');
  if (value === null) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(Math.ceil((date - nowMs) / 1000), 0);
}

/**
 * API Particulier documents `RateLimit-Reset` as a Unix timestamp (§4), while the IETF draft uses seconds left:
 * a value too large to be a delta is read as a timestamp, so that both give seconds left.
 */
function rateLimitOf(headers: Headers, nowMs: number): RateLimitState | undefined {
  const limit = integerHeader(headers, 'ratelimit-limit');
  const remaining = integerHeader(headers, 'ratelimit-remaining');
  const reset = integerHeader(headers, 'ratelimit-reset');
  if (limit === null || remaining === null || reset === null) return undefined;
  const resetSeconds = reset > 1_000_000_000 ? Math.max(reset - Math.floor(nowMs / 1000), 0) : reset;
  return { limit, remaining, resetSeconds };
}

function integerHeader(headers: Headers, name: string): number | null {
  const value = headers.get(name);
  return value !== null && /^\d+$/.test(value.trim()) ? Number(value.trim()) : null;
}
