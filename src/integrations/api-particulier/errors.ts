/**
 * What can go wrong when we ask API Particulier for a QF, sorted by what the caller does about it (show "CAF/MSA
 * do not know you", retry later, fix our request, alert the team). Expected failures are values, never exceptions.
 */
export interface ApiParticulierErrorItem {
  code: string | null;
  title: string | null;
  detail: string | null;
  /** The parameter at fault, when API Particulier names it (422). */
  parameter: string | null;
}

interface ErrorBase {
  /** HTTP status; null when no answer came back (timeout, unreachable). */
  status: number | null;
  /** Of the first error in the body, when there is one: codes are informative, the kind is what to act on. */
  code: string | null;
  title: string | null;
  detail: string | null;
  /** API Particulier's X-Request-Id, to quote to its support. */
  requestId: string | null;
}

export type ApiParticulierError =
  | (ErrorBase & { kind: 'not_found'; status: 404 })
  | (ErrorBase & { kind: 'invalid_request'; status: 400 | 422; errors: ApiParticulierErrorItem[] })
  | (ErrorBase & { kind: 'unauthorized'; status: 401 })
  | (ErrorBase & { kind: 'forbidden'; status: 403 })
  | (ErrorBase & { kind: 'rate_limited'; status: 429; retryAfterSeconds: number | null })
  | (ErrorBase & { kind: 'provider_unavailable'; status: 502 | 503 })
  | (ErrorBase & { kind: 'provider_timeout'; status: 504 })
  | (ErrorBase & { kind: 'timeout'; status: null; afterMs: number })
  | (ErrorBase & { kind: 'unreachable'; status: null; reason: string })
  | (ErrorBase & { kind: 'unexpected'; status: number; reason: 'unexpected_status' | 'malformed_body' });

export type ApiParticulierErrorKind = ApiParticulierError['kind'];
