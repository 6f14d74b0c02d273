import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import type { EditeurRecord } from '../../db/repositories/editeurs.ts';
import type { AgentRole } from '../../db/schema.ts';
import type { EspaceSessionData } from '../../espace-context.ts';
import { decideEditeurAccess } from '../../usecases/editeur-access.ts';
import type { EspaceCookies } from '../collectivite/session.ts';
import { RefusalPage } from '../collectivite/views/SignInPages.tsx';
import { sendPage } from '../routes/send-page.ts';
import type { EditeurFrame } from './views/EditeurLayout.tsx';

/** A signed-in member allowed to act for one éditeur, as every /editeur page sees them. */
export interface EditeurMember {
  session: EspaceSessionData;
  editeur: EditeurRecord;
  role: AgentRole;
  memberId: string;
  /** The éditeur's client communes, read at each request (a link removed by the operator takes effect at once). */
  communes: { siret: string; name: string }[];
  frame: EditeurFrame;
}

/**
 * The authorisation of every /editeur request, on the server: a live session (the one sign-in of both spaces),
 * then the same decision as at sign-in (the éditeur of the session's SIRET, the e-mail on its list). The éditeur
 * is always the session's, and its communes always its own clients: no URL can name another's.
 */
export function editeurGuard(context: AppContext, cookies: EspaceCookies) {
  return async (request: FastifyRequest, reply: FastifyReply, options: { administrator?: boolean } = {}): Promise<EditeurMember | null> => {
    const session = await cookies.session(request);
    if (!session) {
      await reply.redirect(cookies.hadSession(request) ? '/editeur?session=expiree' : '/editeur', 303);
      return null;
    }
    const { user } = session.data;
    const access = await decideEditeurAccess({ editeurs: context.espace.editeurs, members: context.espace.editeurMembers }, user);
    if (!access) {
      // Signed in for a commune or an unknown organisation: the espace collectivité says why.
      await reply.redirect('/espace/transmissions', 303);
      return null;
    }
    if (!access.ok) {
      await sendPage(reply.code(403), RefusalPage({ refusal: access.refusal, csrfToken: reply.generateCsrf() }));
      return null;
    }
    if (options.administrator && access.role !== 'administrateur') {
      await context.renderError(request, reply, 403, 'EDITEUR_ADMINISTRATORS_ONLY');
      return null;
    }
    const sirets = await context.espace.editeurs.clientSirets(access.editeur.siret);
    const communes = (await Promise.all(sirets.map((siret) => context.collectivities.findBySiret(siret))))
      .filter((c) => c !== null)
      .map((c) => ({ siret: c.siret, name: c.name }))
      .sort((a, b) => a.name.localeCompare(b.name, 'fr'));
    return {
      session: session.data,
      editeur: access.editeur,
      role: access.role,
      memberId: access.memberId,
      communes,
      frame: { editeurName: access.editeur.name, memberName: `${user.givenName} ${user.usualName}`, isAdministrator: access.role === 'administrateur', csrfToken: reply.generateCsrf() },
    };
  };
}

export type EditeurGuard = ReturnType<typeof editeurGuard>;
