import http from 'node:http';
import https from 'node:https';

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

/**
 * Sockets kept open between calls, one pool per scheme for the whole process: a journey makes nine upstream calls
 * (FranceConnect's token and userinfo, API Particulier, HubEE's create, three uploads, complete…), and Node's
 * global fetch cost about 17 % of the app's CPU under a journey load (its WHATWG Request/Headers/streams layers
 * over undici, bench/journeys.ts findings). node:http's client does the same exchange for a fraction of that. An
 * idle socket is closed after 4 s (or the server's own Keep-Alive hint when shorter), as undici's default, so that
 * a server closing its end first is unlikely to meet a request on it.
 */
const AGENT_OPTIONS = { keepAlive: true, timeout: 4_000, scheduling: 'lifo' as const };
const agents = { 'http:': new http.Agent(AGENT_OPTIONS), 'https:': new https.Agent(AGENT_OPTIONS) };

/** Methods a request may be sent again for when a kept-alive socket turns out closed before any answer. */
const IDEMPOTENT = new Set(['GET', 'PUT', 'DELETE']);

export async function httpRequest(request: HttpRequest): Promise<HttpResponse> {
  const url = request.url instanceof URL ? request.url : new URL(request.url);
  const method = request.method ?? 'GET';
  const limit = request.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const headers: Record<string, string> = { accept: '*/*' };
  for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = value;
  let body: string | Uint8Array | undefined;
  if (request.body instanceof URLSearchParams) {
    body = request.body.toString();
    headers['content-type'] ??= 'application/x-www-form-urlencoded;charset=UTF-8';
  } else if (typeof request.body === 'string') {
    body = request.body;
    headers['content-type'] ??= 'text/plain;charset=UTF-8';
  } else {
    body = request.body;
  }
  if (body !== undefined) headers['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
  else if (method === 'POST' || method === 'PUT' || method === 'PATCH') headers['content-length'] = '0';
  const signal = AbortSignal.timeout(request.timeoutMs);
  let answer: { status: number; headers: Headers; body: Buffer };
  try {
    answer = await exchange(url, method, headers, body, limit, signal);
  } catch (error) {
    if (error instanceof TooLarge) throw new TransportError({ kind: 'too_large', limitBytes: limit }, request.system);
    throw new TransportError(describeFailure(error, request.timeoutMs), request.system);
  }
  return {
    status: answer.status,
    headers: answer.headers,
    body: answer.body,
    requestId: answer.headers.get('x-request-id'),
    text: () => answer.body.toString('utf8'),
    json: () => {
      try {
        return JSON.parse(answer.body.toString('utf8')) as unknown;
      } catch {
        return undefined;
      }
    },
  };
}

class TooLarge extends Error {}

/**
 * One request and its whole answer, the body read chunk by chunk and refused (the socket dropped) past `limit`
 * bytes. Sent once more, on a fresh socket, when an idempotent request met a kept-alive socket that the server had
 * closed before answering anything (Node's documented pattern for `reusedSocket`).
 */
function exchange(url: URL, method: string, headers: Record<string, string>, body: string | Uint8Array | undefined, limit: number, signal: AbortSignal, retried = false): Promise<{ status: number; headers: Headers; body: Buffer }> {
  const secure = url.protocol === 'https:';
  if (!secure && url.protocol !== 'http:') return Promise.reject(new TypeError(`unsupported protocol ${url.protocol}`));
  return new Promise((resolve, reject: (error: unknown) => void) => {
    // Past the deadline, whatever broke (the socket, the body) is the deadline's doing.
    const fail = (error: unknown) => reject(signal.aborted ? signal.reason : error);
    let answered = false;
    const req = (secure ? https : http).request(url, { method, headers, agent: agents[url.protocol as 'http:' | 'https:'], signal }, (res) => {
      answered = true;
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > limit) {
        res.destroy();
        fail(new TooLarge());
        return;
      }
      const chunks: Buffer[] = [];
      let total = 0;
      res.on('data', (chunk: Buffer) => {
        total += chunk.byteLength;
        if (total > limit) {
          res.destroy();
          fail(new TooLarge());
          return;
        }
        chunks.push(chunk);
      });
      res.once('error', fail);
      res.once('close', () => {
        if (!res.complete) fail(Object.assign(new Error('the answer was cut short'), { code: 'ECONNRESET' }));
      });
      res.once('end', () => {
        const answerHeaders = new Headers();
        const raw = res.rawHeaders;
        for (let i = 0; i + 1 < raw.length; i += 2) answerHeaders.append(raw[i]!, raw[i + 1]!);
        resolve({ status: res.statusCode ?? 0, headers: answerHeaders, body: Buffer.concat(chunks, total) });
      });
    });
    req.once('error', (error: NodeJS.ErrnoException) => {
      if (!answered && !retried && req.reusedSocket && IDEMPOTENT.has(method) && (error.code === 'ECONNRESET' || error.code === 'EPIPE') && !signal.aborted) {
        exchange(url, method, headers, body, limit, signal, true).then(resolve, reject);
        return;
      }
      fail(error);
    });
    req.end(body);
  });
}

function describeFailure(error: unknown, timeoutMs: number): TransportFailure {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return { kind: 'timeout', afterMs: timeoutMs };
  }
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = (cause as { code?: unknown } | null)?.code;
  return { kind: 'unreachable', reason: typeof code === 'string' ? code : String((cause as Error)?.message ?? cause) };
}
