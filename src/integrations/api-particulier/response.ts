import { z } from 'zod';
import type { QuotientFamilialData } from '../../domain/quotient-familial.ts';
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

const personne = z.object({
  nom_naissance: z.string(),
  nom_usage: z.string().nullable(),
  prenoms: z.string(),
  date_naissance: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  sexe: z.enum(['F', 'M']),
});

// Keys are optional because production masks those the token has no scope for (§2.1).
const successBody = z.object({
  data: z.object({
    allocataires: z.array(personne).optional(),
    enfants: z.array(personne).optional(),
    adresse: z
      .object({
        destinataire: z.string(),
        complement_information: z.string().nullable(),
        complement_information_geographique: z.string().nullable(),
        numero_libelle_voie: z.string().nullable(),
        lieu_dit: z.string().nullable(),
        code_postal_ville: z.string(),
        pays: z.string(),
      })
      .optional(),
    quotient_familial: z
      .object({
        fournisseur: z.enum(['CNAF', 'MSA']),
        valeur: z.number().int(),
        annee: z.number().int(),
        mois: z.number().int(),
        annee_calcul: z.number().int(),
        mois_calcul: z.number().int(),
      })
      .optional(),
  }),
});

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
    const parsed = successBody.safeParse(response.json());
    if (!parsed.success) {
      return { ok: false, error: { kind: 'unexpected', reason: 'malformed_body', status: 200, ...noDetails, requestId } };
    }
    const rateLimit = rateLimitOf(response.headers, nowMs);
    return { ok: true, data: parsed.data.data, requestId, ...(rateLimit ? { rateLimit } : {}) };
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
