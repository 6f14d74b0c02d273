import { decodeProtectedHeader } from 'jose';
import type * as oidc from 'openid-client';

/** The kid of the JWT in a token or userinfo answer, if there is one. */
export function signedAnswerKid(url: string, metadata: oidc.ServerMetadata, headers: Headers, body: Buffer): string | undefined {
  try {
    let jwt: unknown;
    if (url === metadata.token_endpoint) {
      jwt = (JSON.parse(body.toString('utf8')) as { id_token?: unknown }).id_token;
    } else if (url === metadata.userinfo_endpoint && (headers.get('content-type') ?? '').startsWith('application/jwt')) {
      jwt = body.toString('utf8');
    }
    return typeof jwt === 'string' ? decodeProtectedHeader(jwt).kid : undefined;
  } catch {
    // Not ours to judge: openid-client rejects a malformed answer with a precise reason.
    return undefined;
  }
}

/**
 * A reason fit for logs: openid-client's and oauth4webapi's messages and codes name the failed check, never a
 * claim value.
 */
export function describe(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown error';
  const code = 'code' in error && typeof error.code === 'string' ? `${error.code}: ` : '';
  const cause = error.cause instanceof Error && error.cause.message !== error.message ? ` (${error.cause.message})` : '';
  return `${code}${error.message}${cause}`;
}

export function findCause<T extends Error>(error: unknown, type: new (...args: never[]) => T): T | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    if (current instanceof type) return current;
  }
  return undefined;
}
