import { httpRequest, TransportError, type HttpResponse } from '../http.ts';
import type { z } from 'zod';
import { errorFromResponse, errorFromTransport, unexpectedResponse } from './errors.ts';
import type { TokenSource } from './token.ts';

export interface CallOptions {
  /** Names the call in errors, e.g. "createFolder". */
  operation: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path below the API base URL, segments already encoded. */
  path: string;
  query?: URLSearchParams;
  json?: unknown;
  bytes?: Uint8Array;
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** Bytes of answer read at most (src/integrations/http.ts's default otherwise). */
  maxBodyBytes?: number;
}

export interface TransportOptions {
  apiUrl: string;
  timeoutMs: number;
  tokens: TokenSource;
  /** Sent on every call (HubEE stores them as partnerInfo). */
  partnerHeaders: Record<string, string>;
}

/**
 * Authenticated calls to HubEE: bearer token from the cache, one retry with a fresh token when HubEE answers
 * 401 (expired or revoked token, WSO2 code 900901), every failure turned into a HubeeError. Nothing is logged
 * here: bodies carry personal data and attachment contents.
 */
export class HubeeTransport {
  constructor(private readonly options: TransportOptions) {}

  async call(call: CallOptions): Promise<HttpResponse> {
    let token = await this.options.tokens.get();
    let response = await this.send(call, token);
    if (response.status === 401) {
      this.options.tokens.invalidate(token);
      token = await this.options.tokens.get();
      response = await this.send(call, token);
    }
    if (response.status < 200 || response.status >= 300) {
      throw errorFromResponse(call.operation, response.status, response.json(), response.requestId, this.where(call));
    }
    return response;
  }

  async json<T extends z.ZodType>(call: CallOptions, schema: T): Promise<z.output<T>> {
    const response = await this.call(call);
    const parsed = schema.safeParse(response.json());
    if (!parsed.success) {
      const where = parsed.error.issues[0]?.path.join('.') || 'body';
      throw unexpectedResponse(call.operation, response.status, `invalid ${where}`, response.requestId, this.where(call));
    }
    return parsed.data;
  }

  private async send(call: CallOptions, token: string): Promise<HttpResponse> {
    const url = new URL(`${this.options.apiUrl}${call.path}`);
    if (call.query) url.search = call.query.toString();
    const headers: Record<string, string> = {
      ...this.options.partnerHeaders,
      authorization: `Bearer ${token}`,
      accept: 'application/json',
      ...call.headers,
    };
    let body: string | Uint8Array | undefined;
    if (call.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(call.json);
    } else if (call.bytes !== undefined) {
      headers['content-type'] = 'application/octet-stream';
      body = call.bytes;
    }
    try {
      return await httpRequest({
        system: 'HubEE',
        method: call.method,
        url,
        headers,
        ...(body !== undefined ? { body } : {}),
        timeoutMs: call.timeoutMs ?? this.options.timeoutMs,
        ...(call.maxBodyBytes !== undefined ? { maxBodyBytes: call.maxBodyBytes } : {}),
      });
    } catch (error) {
      if (error instanceof TransportError) throw errorFromTransport(call.operation, error, this.where(call));
      throw error;
    }
  }

  /** `GET https://…/cases/{id}`: what the error tells the user was called (no query, no token). */
  private where(call: CallOptions): string {
    return `${call.method} ${this.options.apiUrl}${call.path}`;
  }
}
