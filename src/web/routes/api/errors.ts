import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.ts';
import { z } from 'zod';

/** Every error of the public API has this shape (the same as the app's JSON errors under /api). */
export const apiErrorSchema = z
  .object({
    error: z.object({
      status: z.int().describe('Le code HTTP de la réponse.'),
      code: z.string().nullable().describe('Un code stable, à tester plutôt que le message.'),
      message: z.string().describe('Une explication en français.'),
      fields: z.record(z.string(), z.string()).optional().describe('Pour chaque champ refusé, la raison.'),
    }),
  })
  .describe('Une erreur.');

export type ApiErrorBody = z.infer<typeof apiErrorSchema>;

export function sendApiError(reply: FastifyReply, status: number, code: string, message: string, fields?: Record<string, string>): FastifyReply {
  const body: ApiErrorBody = { error: { status, code, message, ...(fields ? { fields } : {}) } };
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}

/**
 * The app's way of answering an error (a page, or JSON under /api), for plugin contexts created before the app
 * set its own handler: Fastify gives such contexts the default handler otherwise.
 */
export function answerLikeTheApp(context: Pick<AppContext, 'renderError'>) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: { type: error.name, code: error.code, message: error.message, stack: error.stack } }, 'request failed');
    else request.log.info({ status, code: error.code }, 'request refused');
    return context.renderError(request, reply, status, error.code);
  };
}
