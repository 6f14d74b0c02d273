import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.ts';
import type { AgentRecord } from '../../../db/repositories/collectivity-agents.ts';
import type { JournalRecord } from '../../../db/repositories/espace-journal.ts';
import { addAgent, changeAgentRole, isAgentRole, removeAgent, type AgentChange, type AgentsDeps } from '../../../usecases/manage-agents.ts';
import type { Renderable } from '../../views/render.ts';
import { sendPage } from '../../routes/send-page.ts';
import type { AgentGuard } from '../access.ts';
import { AgentsPage } from '../views/AgentsPage.tsx';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const NOTICES: Record<string, { type: 'success' | 'error'; text: string }> = {
  added: { type: 'success', text: 'La personne est ajoutée : elle peut s’identifier avec ProConnect.' },
  already_listed: { type: 'success', text: 'Cette adresse figurait déjà sur la liste.' },
  removed: { type: 'success', text: 'La personne est retirée de la liste : elle n’a plus accès à l’espace.' },
  role_changed: { type: 'success', text: 'Le rôle est changé.' },
  unchanged: { type: 'success', text: 'Le rôle était déjà celui-ci.' },
  last_administrator: { type: 'error', text: 'La liste doit garder au moins un administrateur : ajoutez-en un autre d’abord.' },
};

/** What a page of a list needs: the list, the journal, and what to say. */
export interface MembersView {
  agents: AgentRecord[];
  journal: JournalRecord[];
  selfId: string;
  notice?: { type: 'success' | 'error'; text: string };
  emailError?: string;
  emailValue?: string;
}

/** An administrator of the organisation whose list is shown, as the list's routes see them. */
export interface ListAdministrator {
  siret: string;
  actorEmail: string;
  selfId: string;
  render(view: MembersView): Renderable;
}

/** A list of who may enter a space: where it lives, its repository and journal, and its administrators' guard. */
export interface MemberList {
  path: string;
  deps: AgentsDeps;
  administrator(request: FastifyRequest, reply: FastifyReply): Promise<ListAdministrator | null>;
}

/** The list (administrators only): add, remove, change a role; each change journaled. Both spaces use it. */
export async function memberListRoutes(app: FastifyInstance, context: AppContext, list: MemberList): Promise<void> {
  const { deps, path } = list;
  const actorOf = (admin: ListAdministrator) => ({ kind: 'agent' as const, name: admin.actorEmail });

  const render = async (admin: ListAdministrator, extra: Partial<MembersView> = {}) =>
    admin.render({ agents: await deps.agents.list(admin.siret), journal: await deps.journal.list(admin.siret, 20), selfId: admin.selfId, ...extra });

  const after = (change: AgentChange) => (change.ok ? change.kind : change.reason);

  app.get<{ Querystring: { fait?: unknown } }>(path, async (request, reply) => {
    const admin = await list.administrator(request, reply);
    if (!admin) return reply;
    const notice = typeof request.query.fait === 'string' ? NOTICES[request.query.fait] : undefined;
    return sendPage(reply, await render(admin, notice ? { notice } : {}));
  });

  app.post<{ Body: { email?: unknown; role?: unknown } | undefined }>(path, { preHandler: app.csrfProtection }, async (request, reply) => {
    const admin = await list.administrator(request, reply);
    if (!admin) return reply;
    const email = typeof request.body?.email === 'string' ? request.body.email.slice(0, 400) : '';
    const role = isAgentRole(request.body?.role) ? request.body.role : null;
    const change = role === null ? ({ ok: false, reason: 'invalid_email' } as const) : await addAgent(deps, admin.siret, actorOf(admin), email, role);
    if (!change.ok) {
      const emailError = role === null ? 'Choisissez un rôle.' : 'Saisissez une adresse e-mail valide, par exemple prenom.nom@mairie.fr.';
      return sendPage(reply.code(400), await render(admin, { emailError, emailValue: email }));
    }
    return reply.redirect(`${path}?fait=${after(change)}`, 303);
  });

  const withTarget = async (id: string, reply: FastifyReply, request: FastifyRequest, change: (admin: ListAdministrator) => Promise<AgentChange>) => {
    const admin = await list.administrator(request, reply);
    if (!admin) return reply;
    // Another organisation's member, or none: the same answer, so that ids of other organisations tell nothing.
    if (!UUID.test(id)) return context.renderError(request, reply, 404, 'ESPACE_UNKNOWN_AGENT');
    const result = await change(admin);
    if (!result.ok && result.reason === 'unknown_agent') return context.renderError(request, reply, 404, 'ESPACE_UNKNOWN_AGENT');
    if (!result.ok && result.reason === 'last_administrator') {
      const notice = NOTICES.last_administrator;
      return sendPage(reply.code(409), await render(admin, notice ? { notice } : {}));
    }
    return reply.redirect(`${path}?fait=${after(result)}`, 303);
  };

  app.post<{ Params: { id: string } }>(`${path}/:id/retirer`, { preHandler: app.csrfProtection }, async (request, reply) =>
    withTarget(request.params.id, reply, request, (admin) => removeAgent(deps, admin.siret, actorOf(admin), request.params.id)),
  );

  app.post<{ Params: { id: string }; Body: { role?: unknown } | undefined }>(`${path}/:id/role`, { preHandler: app.csrfProtection }, async (request, reply) => {
    const role = request.body?.role;
    if (!isAgentRole(role)) return context.renderError(request, reply, 400);
    return withTarget(request.params.id, reply, request, (admin) => changeAgentRole(deps, admin.siret, actorOf(admin), request.params.id, role));
  });
}

/** The commune's list of agents at /espace/agents. */
export async function agentRoutes(app: FastifyInstance, context: AppContext, guard: AgentGuard): Promise<void> {
  await memberListRoutes(app, context, {
    path: '/espace/agents',
    deps: { agents: context.espace.agents, journal: context.espace.journal },
    async administrator(request, reply) {
      const agent = await guard(request, reply, { administrator: true });
      if (!agent) return null;
      return { siret: agent.collectivity.siret, actorEmail: agent.session.user.email, selfId: agent.agentId, render: (view) => AgentsPage({ frame: agent.frame, ...view }) };
    },
  });
}
