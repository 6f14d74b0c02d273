import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.ts';
import { addAgent, changeAgentRole, isAgentRole, removeAgent, type AgentChange } from '../../../usecases/manage-agents.ts';
import { AgentsAdminPage } from '../../views/admin/AgentsAdminPage.tsx';
import { sendPage } from '../send-page.ts';
import type { OperatorFrame } from '../../views/admin/AdminLayout.tsx';
import { operatorOf } from './operator-access.ts';

const NOTICES: Record<string, string> = {
  added: 'Agent ajouté.',
  already_listed: 'Cette adresse figurait déjà sur la liste.',
  removed: 'Agent retiré.',
  role_changed: 'Rôle changé.',
  unchanged: 'Le rôle était déjà celui-ci.',
};
const ERRORS: Record<string, string> = {
  invalid_email: 'Adresse e-mail ou rôle invalide.',
  unknown_agent: 'Cet agent n’est pas sur la liste de cette collectivité.',
  last_administrator: 'La collectivité doit garder au moins un administrateur.',
};

/**
 * The operator manages a commune's agents of the espace collectivité as its administrators do (inside the
 * operators' guarded /admin scope); every change is journaled under the operator's e-mail.
 */
export async function agentAdminRoutes(admin: FastifyInstance, context: AppContext, operator: (request: FastifyRequest, reply: FastifyReply) => OperatorFrame): Promise<void> {
  const deps = { agents: context.espace.agents, journal: context.espace.journal };
  const limits = { config: { rateLimit: { max: 120, timeWindow: '1 minute' } } };
  type Params = { siret: string; id?: string };

  const collectivityOf = async (siret: string) => (/^[0-9]{14}$/.test(siret) ? context.collectivities.findBySiret(siret) : null);
  const render = async (request: FastifyRequest, reply: FastifyReply, siret: string, error: string | null = null) => {
    const collectivity = await collectivityOf(siret);
    if (!collectivity) return context.renderError(request, reply, 404, 'UNKNOWN_COLLECTIVITY');
    const notice = (request.query as { fait?: unknown } | undefined)?.fait;
    return sendPage(
      reply,
      AgentsAdminPage({
        operator: operator(request, reply),
        collectivity: { siret: collectivity.siret, name: collectivity.name },
        agents: await deps.agents.list(collectivity.siret),
        journal: await deps.journal.list(collectivity.siret, 50),
        csrfToken: reply.generateCsrf(),
        notice: typeof notice === 'string' ? (NOTICES[notice] ?? null) : null,
        error,
      }),
    );
  };
  const answer = async (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply, change: AgentChange) => {
    if (change.ok) return reply.redirect(`/admin/collectivites/${request.params.siret}/agents?fait=${change.kind}`, 303);
    const status = change.reason === 'unknown_agent' ? 404 : change.reason === 'last_administrator' ? 409 : 400;
    return render(request, reply.code(status), request.params.siret, ERRORS[change.reason] ?? null);
  };
  const actor = (request: FastifyRequest) => ({ kind: 'operator' as const, name: operatorOf(request).email });

  admin.get<{ Params: Params }>('/admin/collectivites/:siret/agents', limits, async (request, reply) => render(request, reply, request.params.siret));

  admin.post<{ Params: Params; Body: { email?: unknown; role?: unknown } | undefined }>(
    '/admin/collectivites/:siret/agents',
    { ...limits, preHandler: admin.csrfProtection },
    async (request, reply) => {
      const collectivity = await collectivityOf(request.params.siret);
      if (!collectivity) return context.renderError(request, reply, 404, 'UNKNOWN_COLLECTIVITY');
      const role = request.body?.role;
      const email = typeof request.body?.email === 'string' ? request.body.email.slice(0, 400) : '';
      const change = isAgentRole(role) ? await addAgent(deps, collectivity.siret, actor(request), email, role) : ({ ok: false, reason: 'invalid_email' } as const);
      return answer(request, reply, change);
    },
  );

  admin.post<{ Params: Params }>('/admin/collectivites/:siret/agents/:id/retirer', { ...limits, preHandler: admin.csrfProtection }, async (request, reply) => {
    const collectivity = await collectivityOf(request.params.siret);
    if (!collectivity) return context.renderError(request, reply, 404, 'UNKNOWN_COLLECTIVITY');
    return answer(request, reply, await removeAgent(deps, collectivity.siret, actor(request), String(request.params.id).slice(0, 64)));
  });

  admin.post<{ Params: Params; Body: { role?: unknown } | undefined }>('/admin/collectivites/:siret/agents/:id/role', { ...limits, preHandler: admin.csrfProtection }, async (request, reply) => {
    const collectivity = await collectivityOf(request.params.siret);
    if (!collectivity) return context.renderError(request, reply, 404, 'UNKNOWN_COLLECTIVITY');
    const role = request.body?.role;
    if (!isAgentRole(role)) return answer(request, reply, { ok: false, reason: 'invalid_email' });
    return answer(request, reply, await changeAgentRole(deps, collectivity.siret, actor(request), String(request.params.id).slice(0, 64), role));
  });
}
