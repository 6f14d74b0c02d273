import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import type { CollectivityRecord } from '../../db/repositories/collectivities.ts';
import type { AgentRole } from '../../db/schema.ts';
import type { EspaceSessionData } from '../../espace-context.ts';
import { decideAccess } from '../../usecases/espace-access.ts';
import { sendPage } from '../routes/send-page.ts';
import type { EspaceCookies } from './session.ts';
import type { EspaceFrame } from './views/EspaceLayout.tsx';
import { RefusalPage } from './views/SignInPages.tsx';

/** A signed-in agent allowed to act for one commune, as every /espace page sees it. */
export interface Agent {
  session: EspaceSessionData;
  collectivity: CollectivityRecord;
  role: AgentRole;
  agentId: string;
  frame: EspaceFrame;
}

/**
 * The authorisation of every /espace request, on the server: a live session, then the same decision as at
 * sign-in (the commune of the session's SIRET, active, the e-mail on its list). The commune is always the
 * session's: no URL names it, so no URL can reach another's data. Null when a page was already sent.
 */
export function agentGuard(context: AppContext, cookies: EspaceCookies) {
  return async (request: FastifyRequest, reply: FastifyReply, options: { administrator?: boolean } = {}): Promise<Agent | null> => {
    const session = await cookies.session(request);
    if (!session) {
      await reply.redirect(cookies.hadSession(request) ? '/espace?session=expiree' : '/espace', 303);
      return null;
    }
    const { user } = session.data;
    const decision = await decideAccess({ collectivities: context.collectivities, agents: context.espace.agents }, user);
    if (!decision.ok) {
      await sendPage(reply.code(403), RefusalPage({ refusal: decision.refusal, csrfToken: reply.generateCsrf() }));
      return null;
    }
    if (options.administrator && decision.role !== 'administrateur') {
      await context.renderError(request, reply, 403, 'ESPACE_ADMINISTRATORS_ONLY');
      return null;
    }
    return {
      session: session.data,
      collectivity: decision.collectivity,
      role: decision.role,
      agentId: decision.agentId,
      frame: {
        collectivityName: decision.collectivity.name,
        agentName: `${user.givenName} ${user.usualName}`,
        isAdministrator: decision.role === 'administrateur',
        csrfToken: reply.generateCsrf(),
      },
    };
  };
}

export type AgentGuard = ReturnType<typeof agentGuard>;
