import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { caseFor } from './access.ts';
import { authorize } from './auth.ts';
import { moveCase } from './case-status-changes.ts';
import { step, type Hub } from './hub.ts';
import { patchCaseSchema } from './request-schemas.ts';
import { apiPath, noContent, queryString, requirePatchOverride } from './routing.ts';
import { parseBody } from './validation.ts';
import { caseView } from './views.ts';

export function registerCaseRoutes(app: FastifyInstance, hub: Hub): void {
  app.get<{ Params: { caseId: string }; Querystring: Record<string, unknown> }>(
    '/teledossiers/v1/cases/:caseId',
    step('getCase'),
    async (request) => {
      const actor = authorize(hub, request, ['OSL', 'SI', 'ADMIN']);
      const { folder, kase } = caseFor(hub, actor, request.params.caseId);
      return caseView(hub, actor, folder, kase, queryString(request.query.lite) === 'true');
    },
  );

  // SW-F: a PATCH only changes the status; the caller then creates an event so the other side is notified.
  const patch = async (request: FastifyRequest<{ Params: { caseId: string } }>, reply: FastifyReply) => {
    const actor = authorize(hub, request, ['OSL', 'SI', 'ADMIN']);
    const { folder, kase } = caseFor(hub, actor, request.params.caseId);
    const input = parseBody(patchCaseSchema, request.body, 'PATCH', apiPath(request));
    if (moveCase(kase, actor.role, input.status, hub.nowIso())) {
      folder.updateDateTime = kase.updateDateTime;
      await hub.store.commit();
    }
    return noContent(reply);
  };
  app.patch<{ Params: { caseId: string } }>('/teledossiers/v1/cases/:caseId', step('patchCase'), patch);
  app.post<{ Params: { caseId: string } }>('/teledossiers/v1/cases/:caseId', step('patchCase'), async (request, reply) => {
    requirePatchOverride(request);
    return patch(request, reply);
  });
}
