/**
 * The one way our clients call an external system: a deadline on every call, a request id kept for the logs,
 * and failures sorted into kinds the callers can act on. It never logs bodies (they carry personal data).
 */
export type TransportFailure =
  | { kind: 'timeout'; afterMs: number }
  | { kind: 'unreachable'; reason: string }
  /** The answer's body went past the request's `maxBodyBytes`: reading stopped there. */
  | { kind: 'too_large'; limitBytes: number };

/** No answer of any system is read past this, unless a call asks for less (or, knowingly, more). */
export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;

export class TransportError extends Error {
  override name = 'TransportError';
  constructor(
    readonly failure: TransportFailure,
    readonly system: string,
  ) {
    super(
      failure.kind === 'timeout'
        ? `${system} did not answer within ${failure.afterMs} ms`
        : failure.kind === 'too_large'
          ? `${system} answered more than ${failure.limitBytes} bytes`
          : `${system} could not be reached: ${failure.reason}`,
    );
  }
}

export interface HttpRequest {
  /** Names the system in errors and logs, e.g. "HubEE". */
  system: string;
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string | URL;
  headers?: Record<string, string>;
  body?: string | Uint8Array | URLSearchParams;
  timeoutMs: number;
  /**
   * Bytes of body read at most (DEFAULT_MAX_BODY_BYTES when absent): the body is streamed and the call fails as
   * `too_large` as soon as it goes past, whatever Content-Length said, so that an answer is never buffered whole
   * before its size is known.
   */
  maxBodyBytes?: number;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: Buffer;
  /** The upstream's request id when it gives one (X-Request-Id), for correlating logs. */
  requestId: string | null;
  text(): string;
  /** Parsed JSON, or undefined when the body is not JSON. */
  json(): unknown;
}

export async function httpRequest(request: HttpRequest): Promise<HttpResponse> {
  const init: RequestInit = {
    method: request.method ?? 'GET',
    headers: request.headers ?? {},
    signal: AbortSignal.timeout(request.timeoutMs),
    redirect: 'manual',
  };
  if (request.body !== undefined) init.body = request.body as BodyInit;
  const limit = request.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  let response: Response;
  let body: Buffer;
  try {
    response = await fetch(request.url, init);
    body = await readCapped(response, limit);
  } catch (error) {
    if (error instanceof TooLarge) throw new TransportError({ kind: 'too_large', limitBytes: limit }, request.system);
    throw new TransportError(describeFailure(error, request.timeoutMs), request.system);
  }
  return {
    status: response.status,
    headers: response.headers,
    body,
    requestId: response.headers.get('x-request-id'),
    text: () => body.toString('utf8'),
    json: () => {
      try {
        return JSON.parse(body.toString('utf8')) as unknown;
      } catch {
        return undefined;
      }
    },
  };
}

class TooLarge extends Error {}

/** The body, chunk by chunk, refused (and the connection dropped) past `limit` bytes. */
async function readCapped(response: Response, limit: number): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel().catch(() => {});
    throw new TooLarge();
  }
  if (!response.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      throw new TooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

function describeFailure(error: unknown, timeoutMs: number): TransportFailure {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return { kind: 'timeout', afterMs: timeoutMs };
  }
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = (cause as { code?: unknown } | null)?.code;
  return { kind: 'unreachable', reason: typeof code === 'string' ? code : String((cause as Error)?.message ?? cause) };
}
