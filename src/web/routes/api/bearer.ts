import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { recordFailedAuth, throttledFor, type FailedAuthLimiter } from '../../../security/failed-auth-limiter.ts';
import { sendApiError } from './errors.ts';

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

/**
 * An onRequest hook: 401 JSON with WWW-Authenticate unless the request carries the operator's API token; 429 with
 * Retry-After once the address or the token is over its failure limit (checked before the token is compared).
 */
export function requireBearer(expected: string, limiter: FailedAuthLimiter) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    const token = bearerTokenOf(request);
    const tried = request.headers.authorization !== undefined;
    if (tried && throttledFor(limiter, request, reply, API_TOKEN_ACCOUNT) > 0) {
      return sendApiError(reply, 429, 'TOO_MANY_FAILED_AUTHENTICATIONS', 'Trop de jetons refusés : réessayez plus tard.');
    }
    if (token !== null && sameSecret(token, expected)) return;
    if (tried) recordFailedAuth(limiter, request, API_TOKEN_ACCOUNT);
    request.log.info({ event: 'api.unauthorized', reason: token === null ? 'missing' : 'invalid' }, 'API token refused');
    reply.header('www-authenticate', token === null ? 'Bearer realm="formulaire-qf"' : 'Bearer realm="formulaire-qf", error="invalid_token"');
    return sendApiError(
      reply,
      401,
      token === null ? 'TOKEN_MISSING' : 'TOKEN_INVALID',
      token === null ? 'Un jeton est attendu (en-tête Authorization: Bearer …).' : 'Ce jeton n’est pas valide.',
    );
  };
}
