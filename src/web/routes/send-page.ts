import type { FastifyReply } from 'fastify';
import { pagePayload, type Renderable } from '../views/render.ts';

/** Every page: HTML, never cached by shared caches (it may show a session's state). */
export function sendPage(reply: FastifyReply, page: Renderable): FastifyReply {
  return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(pagePayload(page));
}
