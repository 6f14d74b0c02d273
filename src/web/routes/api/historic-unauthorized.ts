import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The old form's API (Rails, `authenticate_or_request_with_http_token`) refused a missing or wrong token with a
 * 401, `WWW-Authenticate: Token realm="Application"` and the plain-text body below. Scripts written against it may
 * test that body or that scheme, so its historic routes keep them; the v2 routes keep our JSON errors.
 */
export const HISTORIC_UNAUTHORIZED_BODY = 'HTTP Token: Access denied.\n';
export const HISTORIC_WWW_AUTHENTICATE = 'Token realm="Application"';

/** An onSend hook: a 401 of the token check becomes the old answer; every other answer is left as it is. */
export async function historicUnauthorizedAnswer(_request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
  if (reply.statusCode !== 401) return payload;
  reply.header('www-authenticate', HISTORIC_WWW_AUTHENTICATE);
  reply.header('content-type', 'text/plain; charset=utf-8');
  return HISTORIC_UNAUTHORIZED_BODY;
}
