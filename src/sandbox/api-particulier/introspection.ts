import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { expiredToken, invalidToken, type ErrorAnswer } from './error-bodies.ts';
import { localTokenRegistry } from './tokens.ts';

/**
 * `GET /introspect?token=…` under the base (production: https://particulier.api.gouv.fr/api/introspect): "lists the scopes of a token" (contracts/api-particulier-qf.md §1.4, "Retrouver
 * les droits d'un jeton"), the route the 403 00100 detail points to. The contract gives no body; ours is the
 * token's id, a name and its scopes. The token may also come as a bearer.
 */
export function registerIntrospection(
  scope: FastifyInstance,
  now: () => number,
  sendError: (reply: FastifyReply, error: ErrorAnswer) => FastifyReply,
): void {
  scope.get<{ Querystring: Record<string, string | string[] | undefined> }>('/introspect', async (request, reply) => {
    const fromQuery = request.query.token;
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
    const token = typeof fromQuery === 'string' && fromQuery !== '' ? fromQuery : bearer;
    const registered = token === undefined ? undefined : localTokenRegistry.get(token);
    if (!token || !registered) return sendError(reply, invalidToken());
    if (registered.expiresAt !== null && registered.expiresAt.getTime() <= now()) return sendError(reply, expiredToken());
    return reply.header('cache-control', 'no-store').send({
      // A stable id that is not the token itself (the real ids are the JWT's jti).
      _id: createHash('sha256').update(token).digest('hex').slice(0, 32),
      name: registered.name,
      scopes: registered.scopes,
    });
  });
}
