import type { Config } from '../../config/config.ts';
import { httpRequest, TransportError } from '../http.ts';

/**
 * API Particulier's `GET /api/introspect?token=…` (`contracts/api-particulier-qf.md` §1.4): the scopes of a token,
 * asked when a commune registers the token its habilitation delivered. The token goes in the query as the
 * contract says; like the QF client, this never logs (the URL carries the token).
 */
export type Introspection =
  | { ok: true; scopes: string[]; name: string | null }
  | { ok: false; kind: 'invalid_token' | 'expired_token'; status: 401 }
  | { ok: false; kind: 'rate_limited'; status: 429; retryAfterSeconds: number | null }
  | { ok: false; kind: 'unavailable'; status: number | null };

export async function introspectApiParticulierToken(settings: Config['apiParticulier'], token: string): Promise<Introspection> {
  let response;
  try {
    response = await httpRequest({
      system: 'API Particulier',
      url: `${settings.baseUrl}/introspect?${new URLSearchParams({ token })}`,
      headers: { Accept: 'application/json' },
      timeoutMs: settings.timeoutMs,
      maxBodyBytes: 64 * 1024,
    });
  } catch (error) {
    if (error instanceof TransportError) return { ok: false, kind: 'unavailable', status: null };
    throw error;
  }
  if (response.status === 401) {
    const code = firstErrorCode(response.json());
    return { ok: false, kind: code === '00103' ? 'expired_token' : 'invalid_token', status: 401 };
  }
  if (response.status === 429) {
    const retryAfter = Number(response.headers.get('retry-after'));
    return { ok: false, kind: 'rate_limited', status: 429, retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : null };
  }
  const body = response.json();
  if (response.status !== 200 || !isIntrospectionBody(body)) return { ok: false, kind: 'unavailable', status: response.status };
  return { ok: true, scopes: body.scopes, name: typeof body.name === 'string' ? body.name : null };
}

function isIntrospectionBody(body: unknown): body is { scopes: string[]; name?: unknown } {
  if (typeof body !== 'object' || body === null) return false;
  const scopes = (body as { scopes?: unknown }).scopes;
  return Array.isArray(scopes) && scopes.every((s) => typeof s === 'string');
}

function firstErrorCode(body: unknown): string | null {
  const errors = typeof body === 'object' && body !== null ? (body as { errors?: unknown }).errors : undefined;
  const code = Array.isArray(errors) ? (errors[0] as { code?: unknown } | undefined)?.code : undefined;
  return typeof code === 'string' ? code : null;
}
