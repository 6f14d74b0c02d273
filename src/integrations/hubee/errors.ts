import type { TransportError } from '../http.ts';

export type HubeeErrorKind =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'server'
  | 'timeout'
  | 'unreachable';

export interface HubeeErrorDetails {
  /** e.g. "createFolder" */
  operation: string;
  /** HTTP status, null when HubEE was not reached. */
  status: number | null;
  /** HubEE's error code: the HTTP status in `errors[]`, a WSO2 code (900901: invalid or expired token), or an OAuth2 error. */
  code: number | string | null;
  /**
   * HubEE's own message, verbatim. The real API's validation messages may quote submitted values (names…):
   * do not log this field; `message` carries a redacted copy.
   */
  hubeeMessage: string | null;
  requestId: string | null;
  /** The call that failed, `METHOD url`, to tell the user what was asked of whom. */
  url?: string | null;
}

/** Every failure of the HubEE client, sorted into kinds the callers can act on. */
export class HubeeError extends Error {
  override name = 'HubeeError';
  readonly kind: HubeeErrorKind;
  readonly operation: string;
  readonly status: number | null;
  readonly code: number | string | null;
  readonly hubeeMessage: string | null;
  readonly requestId: string | null;
  readonly url: string | null;

  constructor(kind: HubeeErrorKind, details: HubeeErrorDetails, options?: { cause?: unknown }) {
    const what = details.hubeeMessage ? `: ${redact(details.hubeeMessage)}` : '';
    super(`HubEE ${details.operation} failed (${details.status ?? kind})${what}`, options);
    this.kind = kind;
    this.operation = details.operation;
    this.status = details.status;
    this.code = details.code;
    this.hubeeMessage = details.hubeeMessage;
    this.requestId = details.requestId;
    this.url = details.url ?? null;
  }
}

/** Builds the error for a non-2xx answer from the body shapes HubEE and its WSO2 gateway use. */
export function errorFromResponse(operation: string, status: number, body: unknown, requestId: string | null, url: string | null = null): HubeeError {
  const { code, message } = describeBody(body);
  return new HubeeError(kindOf(status, message), { operation, status, code, hubeeMessage: message, requestId, url });
}

export function errorFromTransport(operation: string, error: TransportError, url: string | null = null): HubeeError {
  const { failure } = error;
  // An answer larger than we read is HubEE misbehaving (or an attack): a server error, never retried as a timeout.
  return new HubeeError(
    failure.kind === 'too_large' ? 'server' : failure.kind,
    { operation, status: null, code: null, hubeeMessage: failure.kind === 'too_large' ? `Answer larger than ${failure.limitBytes} bytes` : null, requestId: null, url },
    { cause: error },
  );
}

/** A 2xx answer we cannot use: for the caller it is HubEE misbehaving. */
export function unexpectedResponse(operation: string, status: number, reason: string, requestId: string | null, url: string | null = null): HubeeError {
  return new HubeeError('server', { operation, status, code: null, hubeeMessage: `Unexpected response: ${reason}`, requestId, url });
}

function kindOf(status: number, message: string | null): HubeeErrorKind {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  // HubEE reports duplicates as 400 "… already exists"; onboarding must tell them from real mistakes.
  if (status === 400 && message !== null && /already exists/i.test(message)) return 'conflict';
  if (status >= 500) return 'server';
  return status === 429 ? 'server' : 'bad_request';
}

function describeBody(body: unknown): { code: number | string | null; message: string | null } {
  if (body === null || typeof body !== 'object') return { code: null, message: null };
  const record = body as Record<string, unknown>;
  if (Array.isArray(record.errors)) {
    const items = record.errors.filter((e): e is Record<string, unknown> => e !== null && typeof e === 'object');
    const first = items[0];
    const code = typeof first?.code === 'number' || typeof first?.code === 'string' ? first.code : null;
    const messages = items.map((e) => e.message).filter((m): m is string => typeof m === 'string');
    return { code, message: messages.length > 0 ? messages.join('\n') : null };
  }
  if (record.fault !== null && typeof record.fault === 'object') {
    const fault = record.fault as Record<string, unknown>;
    const code = typeof fault.code === 'number' || typeof fault.code === 'string' ? fault.code : null;
    const parts = [fault.message, fault.description].filter((p): p is string => typeof p === 'string');
    return { code, message: parts.length > 0 ? parts.join(': ') : null };
  }
  if (typeof record.error === 'string') {
    return { code: record.error, message: typeof record.error_description === 'string' ? record.error_description : record.error };
  }
  return { code: null, message: null };
}

/** Quoted values in validation messages may be personal data (an applicant's name): keep them out of logs. */
export function redact(message: string): string {
  return message
    .replace(/(String|input string) "[^"\n]*"/g, '$1 "…"')
    .replace(/Instance value \("[^"\n]*"\)/g, 'Instance value ("…")')
    .replace(/\s+/g, ' ')
    .slice(0, 500);
}
