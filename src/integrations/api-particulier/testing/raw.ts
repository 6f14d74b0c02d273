import assert from 'node:assert/strict';

/**
 * Raw calls for the tests that must send what our typed client never would (a missing or malformed parameter),
 * and the checks every answer of API Particulier must pass.
 */
export interface RawAnswer {
  status: number;
  headers: Headers;
  body: unknown;
}

export type RawParams = Record<string, string | string[] | undefined>;

export async function rawGet(url: string, token: string | null, params: RawParams, headers: Record<string, string> = {}): Promise<RawAnswer> {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) query.append(name, v);
  }
  const response = await fetch(`${url}?${query}`, {
    headers: { ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...headers },
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? null : (JSON.parse(text) as unknown) };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** §1.4 and §4: a request id and the three RateLimit headers on every answer, whatever its status. */
export function assertCommonHeaders(answer: RawAnswer): void {
  assert.match(answer.headers.get('x-request-id') ?? '', UUID, 'X-Request-Id');
  for (const name of ['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset']) {
    assert.match(answer.headers.get(name) ?? '', /^\d+$/, name);
  }
  assert.match(answer.headers.get('content-type') ?? '', /^application\/json/);
}

/** The first error of a v3 error body. */
export function firstError(answer: RawAnswer): { code: string; title: string; detail: string; source: unknown; meta: unknown } {
  const body = answer.body as { errors?: { code: string; title: string; detail: string; source: unknown; meta: unknown }[] };
  assert.ok(Array.isArray(body.errors) && body.errors.length === 1, 'one error in the body');
  return body.errors[0]!;
}
