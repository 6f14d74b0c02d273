import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

/** Compares digests, so that neither the token's content nor its length shows in the time taken. */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * The token from `Authorization: Bearer …`, or null. The old form's Rails API also took `Token token="…"` (and
 * `Token …`): operators' scripts written for it keep working with the same token.
 */
export function bearerTokenOf(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  const value = header.trim();
  for (const pattern of TOKEN_FORMS) {
    const match = pattern.exec(value);
    if (match?.[1] !== undefined) return match[1];
  }
  return null;
}

const TOKEN_FORMS: readonly RegExp[] = [/^Bearer ([\x21-\x7e]+)$/i, /^Token token="([\x21\x23-\x7e]+)"$/i, /^Token token=([\x21\x23-\x7e]+)$/i, /^Token ([\x21-\x7e]+)$/i];

/** The account under which wrong API tokens are counted: there is one token, every guess is a guess at it. */
export const API_TOKEN_ACCOUNT = 'api-token';
