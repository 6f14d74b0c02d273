import { httpRequest, TransportError } from '../http.ts';
import { errorFromResponse, errorFromTransport, unexpectedResponse } from './errors.ts';
import { tokenResponseSchema } from './schemas.ts';

export type HubeeScope = 'OSL' | 'SI' | 'ADMIN';

export interface TokenSourceOptions {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope: HubeeScope;
  timeoutMs: number;
  now?: () => number;
}

/** HubEE's documented lifetime (1 hour), assumed when the token answer does not say. */
const DEFAULT_LIFETIME_MS = 3600_000;

/**
 * One OAuth2 client-credentials token, shared by concurrent calls and renewed shortly before it expires
 * (HubEE asks partners not to request a token per call). `invalidate` drops a token the API refused (401:
 * expired or revoked) so the next call fetches a new one.
 */
export class TokenSource {
  private current: { token: string; renewAt: number } | null = null;
  private pending: Promise<string> | null = null;
  private readonly now: () => number;

  constructor(private readonly options: TokenSourceOptions) {
    this.now = options.now ?? Date.now;
  }

  async get(): Promise<string> {
    if (this.current && this.now() < this.current.renewAt) return this.current.token;
    this.pending ??= this.fetchToken().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  invalidate(token: string): void {
    if (this.current?.token === token) this.current = null;
  }

  private async fetchToken(): Promise<string> {
    const operation = 'token';
    const { clientId, clientSecret, scope } = this.options;
    // RFC 6749 §2.3.1: id and secret are form-encoded before the Basic encoding.
    const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64');
    const requestedAt = this.now();
    let response;
    try {
      response = await httpRequest({
        system: 'HubEE',
        method: 'POST',
        url: this.options.tokenUrl,
        headers: {
          authorization: `Basic ${basic}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope }).toString(),
        timeoutMs: this.options.timeoutMs,
      });
    } catch (error) {
      if (error instanceof TransportError) throw errorFromTransport(operation, error, `POST ${this.options.tokenUrl}`);
      throw error;
    }
    if (response.status < 200 || response.status >= 300) {
      throw errorFromResponse(operation, response.status, response.json(), response.requestId, `POST ${this.options.tokenUrl}`);
    }
    const parsed = tokenResponseSchema.safeParse(response.json());
    if (!parsed.success) throw unexpectedResponse(operation, response.status, 'no access_token', response.requestId, `POST ${this.options.tokenUrl}`);
    const lifetimeMs = parsed.data.expires_in ? parsed.data.expires_in * 1000 : DEFAULT_LIFETIME_MS;
    // Renew a little early: up to one minute, never more than a tenth of the lifetime (short test lifetimes).
    const margin = Math.min(60_000, lifetimeMs / 10);
    this.current = { token: parsed.data.access_token, renewAt: requestedAt + lifetimeMs - margin };
    return parsed.data.access_token;
  }
}
