/**
 * The one way our clients call an external system: a deadline on every call, a request id kept for the logs,
 * and failures sorted into kinds the callers can act on. It never logs bodies (they carry personal data).
 */
export type TransportFailure =
  | { kind: 'timeout'; afterMs: number }
  | { kind: 'unreachable'; reason: string };

export class TransportError extends Error {
  override name = 'TransportError';
  constructor(
    readonly failure: TransportFailure,
    readonly system: string,
  ) {
    super(
      failure.kind === 'timeout'
        ? `${system} did not answer within ${failure.afterMs} ms`
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
  let response: Response;
  let body: Buffer;
  try {
    response = await fetch(request.url, init);
    body = Buffer.from(await response.arrayBuffer());
  } catch (error) {
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

function describeFailure(error: unknown, timeoutMs: number): TransportFailure {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return { kind: 'timeout', afterMs: timeoutMs };
  }
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = (cause as { code?: unknown } | null)?.code;
  return { kind: 'unreachable', reason: typeof code === 'string' ? code : String((cause as Error)?.message ?? cause) };
}
