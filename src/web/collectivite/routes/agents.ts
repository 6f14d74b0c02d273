import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.ts';
import { addAgent, changeAgentRole, isAgentRole, removeAgent, type AgentChange } from '../../../usecases/manage-agents.ts';
import { sendPage } from '../../routes/send-page.ts';
import type { Agent, AgentGuard } from '../access.ts';
import { AgentsPage } from '../views/AgentsPage.tsx';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const NOTICES: Record<string, { type: 'success' | 'error'; text: string }> = {
  added: { type: 'success', text: 'L’agent est ajouté : il peut s’identifier avec ProConnect.' },
  already_listed: { type: 'success', text: 'Cette adresse figurait déjà sur la liste.' },
  removed: { type: 'success', text: 'L’agent est retiré de la liste : il n’a plus accès à l’espace.' },
  role_changed: { type: 'success', text: 'Le rôle est changé.' },
  unchanged: { type: 'success', text: 'Le rôle était déjà celui-ci.' },
  last_administrator: { type: 'error', text: 'La commune doit garder au moins un administrateur : ajoutez-en un autre d’abord.' },
};

/** The list of agents (administrators only): add, remove, change a role; each change journaled. */
export async function agentRoutes(app: FastifyInstance, context: AppContext, guard: AgentGuard): Promise<void> {
  const deps = { agents: context.espace.agents, journal: context.espace.journal };
  const actorOf = (agent: Agent) => ({ kind: 'agent' as const, name: agent.session.user.email });

  const render = async (agent: Agent, extra: Partial<Parameters<typeof AgentsPage>[0]> = {}) =>
    AgentsPage({
      frame: agent.frame,
      agents: await deps.agents.list(agent.collectivity.siret),
      journal: await deps.journal.list(agent.collectivity.siret, 20),
      selfId: agent.agentId,
      ...extra,
    });

  const after = (change: AgentChange) => (change.ok ? change.kind : change.reason);

  app.get<{ Querystring: { fait?: unknown } }>('/espace/agents', async (request, reply) => {
    const agent = await guard(request, reply, { administrator: true });
    if (!agent) return reply;
    const notice = typeof request.query.fait === 'string' ? NOTICES[request.query.fait] : undefined;
    return sendPage(reply, await render(agent, notice ? { notice } : {}));
  });

  app.post<{ Body: { email?: unknown; role?: unknown } | undefined }>('/espace/agents', { preHandler: app.csrfProtection }, async (request, reply) => {
    const agent = await guard(request, reply, { administrator: true });
    if (!agent) return reply;
    const email = typeof request.body?.email === 'string' ? request.body.email.slice(0, 400) : '';
    const role = isAgentRole(request.body?.role) ? request.body.role : null;
    const change = role === null ? ({ ok: false, reason: 'invalid_email' } as const) : await addAgent(deps, agent.collectivity.siret, actorOf(agent), email, role);
    if (!change.ok) {
      const emailError = role === null ? 'Choisissez un rôle.' : 'Saisissez une adresse e-mail valide, par exemple prenom.nom@mairie.fr.';
      return sendPage(reply.code(400), await render(agent, { emailError, emailValue: email }));
    }
    return reply.redirect(`/espace/agents?fait=${after(change)}`, 303);
  });

  const withTarget = async (id: string, reply: Parameters<AgentGuard>[1], request: Parameters<AgentGuard>[0], change: (agent: Agent) => Promise<AgentChange>) => {
    const agent = await guard(request, reply, { administrator: true });
    if (!agent) return reply;
    // Another commune's agent, or none: the same answer, so that ids of other communes tell nothing.
    if (!UUID.test(id)) return context.renderError(request, reply, 404, 'ESPACE_UNKNOWN_AGENT');
    const result = await change(agent);
    if (!result.ok && result.reason === 'unknown_agent') return context.renderError(request, reply, 404, 'ESPACE_UNKNOWN_AGENT');
    if (!result.ok && result.reason === 'last_administrator') {
      const notice = NOTICES.last_administrator;
      return sendPage(reply.code(409), await render(agent, notice ? { notice } : {}));
    }
    return reply.redirect(`/espace/agents?fait=${after(result)}`, 303);
  };

  app.post<{ Params: { id: string } }>('/espace/agents/:id/retirer', { preHandler: app.csrfProtection }, async (request, reply) =>
    withTarget(request.params.id, reply, request, (agent) => removeAgent(deps, agent.collectivity.siret, actorOf(agent), request.params.id)),
  );

  app.post<{ Params: { id: string }; Body: { role?: unknown } | undefined }>('/espace/agents/:id/role', { preHandler: app.csrfProtection }, async (request, reply) => {
    const role = request.body?.role;
    if (!isAgentRole(role)) return context.renderError(request, reply, 400);
    return withTarget(request.params.id, reply, request, (agent) => changeAgentRole(deps, agent.collectivity.siret, actorOf(agent), request.params.id, role));
  });
}
