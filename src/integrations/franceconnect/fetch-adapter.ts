import type { CustomFetch } from 'openid-client';
import { httpRequest } from '../http.ts';

/**
 * openid-client's HTTP calls, made through our shared helper so they get its deadline and its failure kinds
 * (a TransportError ends up as the `cause` of openid-client's own error). `inspect` sees each answer first.
 */
export function fetchThroughHttpHelper(
  timeoutMs: number,
  inspect?: (url: string, status: number, headers: Headers, body: Buffer) => Promise<void>,
  /** The OpenID provider, as errors and logs name it (ProConnect uses this adapter too). */
  system = 'FranceConnect',
): CustomFetch {
  return async (url, options) => {
    const response = await httpRequest({
      system,
      method: options.method === 'POST' ? 'POST' : 'GET',
      url,
      headers: options.headers,
      ...(options.body === undefined || options.body === null ? {} : { body: requestBody(options.body) }),
      timeoutMs,
    });
    if (inspect) await inspect(url, response.status, response.headers, response.body);
    const nullBody = [101, 204, 205, 304].includes(response.status);
    return new Response(nullBody ? null : new Uint8Array(response.body), {
      status: response.status,
      headers: response.headers,
    });
  };
}

function requestBody(body: NonNullable<Parameters<CustomFetch>[1]['body']>): string | Uint8Array | URLSearchParams {
  if (typeof body === 'string' || body instanceof Uint8Array || body instanceof URLSearchParams) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  // openid-client streams no request body to FranceConnect; refusing is clearer than a silent empty body.
  throw new TypeError('Streaming request bodies are not supported');
}
