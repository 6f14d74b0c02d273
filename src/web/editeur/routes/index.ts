import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.ts';
import { clientSummaries } from '../../../db/repositories/editeurs.ts';
import { memberListRoutes } from '../../collectivite/routes/agents.ts';
import { espaceCookies } from '../../collectivite/session.ts';
import { MembersSection, membersPageIsError } from '../../collectivite/views/AgentsPage.tsx';
import { apiKeyRoutes } from '../../espaces/api-key-routes.ts';
import type { Space, SpaceMember } from '../../espaces/space.ts';
import { webhookPageRoutes } from '../../espaces/webhook-routes.ts';
import { answerTestDossierRequest, sentTestDossier, testDossierAvailability } from '../../espaces/test-dossier-routes.ts';
import { sendPage } from '../../routes/send-page.ts';
import { editeurGuard, type EditeurGuard } from '../access.ts';
import { ClientsPage, type FailingWebhook } from '../views/ClientsPage.tsx';
import { EditeurLayout, type EditeurFrame } from '../views/EditeurLayout.tsx';
import { EditeurSignInPage } from '../views/EditeurSignInPage.tsx';

/** The espace éditeur as the pages shared with the espace collectivité see it. */
function editeurSpace(context: AppContext, guard: EditeurGuard): Space<SpaceMember & { frame: EditeurFrame }> {
  return {
    basePath: '/editeur',
    async guard(request, reply, options) {
      const member = await guard(request, reply, options);
      if (!member) return null;
      return {
        owner: { kind: 'editeur', siret: member.editeur.siret },
        actorEmail: member.session.user.email,
        isAdministrator: member.role === 'administrateur',
        communes: member.communes,
        csrfToken: member.frame.csrfToken,
        journal: context.espace.editeurJournal,
        frame: member.frame,
      };
    },
    page: (member, props) => EditeurLayout({ title: props.title, section: props.section, frame: member.frame, isError: props.isError, children: props.children }),
  };
}

/**
 * The espace éditeur at /editeur: its client communes with their state and alerts, then (administrators) its
 * webhooks, its API keys and its members. The sign-in is the espace collectivité's (one ProConnect callback).
 */
export async function editeurRoutes(app: FastifyInstance, context: AppContext): Promise<void> {
  const cookies = espaceCookies(context.config, context.espace);
  const guard = editeurGuard(context, cookies);

  app.get<{ Querystring: { session?: unknown; deconnecte?: unknown } }>('/editeur', async (request, reply) => {
    if (await cookies.session(request)) return reply.redirect('/editeur/clients', 303);
    const notice = request.query.deconnecte !== undefined ? ('signed_out' as const) : request.query.session !== undefined ? ('expired' as const) : undefined;
    return sendPage(reply, EditeurSignInPage({ csrfToken: reply.generateCsrf(), ...(notice ? { notice } : {}) }));
  });

  app.get<{ Querystring: { test?: unknown } }>('/editeur/clients', async (request, reply) => {
    const member = await guard(request, reply);
    if (!member) return reply;
    const sirets = member.communes.map((c) => c.siret);
    const [clients, endpoints, sentTest] = await Promise.all([clientSummaries(context.db, sirets), context.webhooks.listEndpoints(), sentTestDossier(context, request.query.test, sirets)]);
    const mine = endpoints.filter((e) => e.owner.kind === 'collectivity' && sirets.includes(e.owner.siret));
    const nameOf = (siret: string) => member.communes.find((c) => c.siret === siret)?.name ?? siret;
    const failingWebhooks: FailingWebhook[] = mine
      .filter((e) => e.failingSince !== null || (e.status === 'disabled' && e.disabledReason !== null))
      .map((e) => ({ communeName: e.owner.kind === 'collectivity' ? nameOf(e.owner.siret) : e.owner.name, url: e.url, since: e.failingSince ?? e.disabledAt, disabled: e.status === 'disabled' }));
    const webhookCounts: Record<string, number> = {};
    for (const e of mine) if (e.owner.kind === 'collectivity') webhookCounts[e.owner.siret] = (webhookCounts[e.owner.siret] ?? 0) + 1;
    return sendPage(
      reply,
      ClientsPage({ frame: member.frame, clients, failingWebhooks, webhookCounts, appUrl: context.config.http.publicUrl, testDossier: { ...testDossierAvailability(context.config), sent: sentTest } }),
    );
  });

  // Any member may check a client's reception, as any agent of the commune may; only for the éditeur's own
  // active clients, whatever the URL names, and journaled in the éditeur's journal.
  app.post<{ Params: { siret: string } }>(
    '/editeur/clients/:siret/dossier-de-test',
    { preHandler: app.csrfProtection, config: { rateLimit: { max: 10, timeWindow: '1 minute' } } },
    async (request, reply) => {
      const member = await guard(request, reply);
      if (!member) return reply;
      const commune = member.communes.find((c) => c.siret === request.params.siret);
      if (!commune) return context.renderError(request, reply, 404);
      return answerTestDossierRequest(
        context,
        request,
        reply,
        { collectivitySiret: commune.siret, journal: context.espace.editeurJournal, journalSiret: member.editeur.siret, actorEmail: member.session.user.email },
        (reference) => `/editeur/clients?test=${reference}#commune-${commune.siret}`,
      );
    },
  );

  const space = editeurSpace(context, guard);
  await webhookPageRoutes(app, context, space);
  await apiKeyRoutes(app, context, space, (member) => `${member.frame.editeurName} et ses communes clientes`);
  await memberListRoutes(app, context, {
    path: '/editeur/membres',
    deps: { agents: context.espace.editeurMembers, journal: context.espace.editeurJournal },
    async administrator(request, reply) {
      const member = await guard(request, reply, { administrator: true });
      if (!member) return null;
      return {
        siret: member.editeur.siret,
        actorEmail: member.session.user.email,
        selfId: member.memberId,
        render: (view) =>
          EditeurLayout({
            title: 'Membres',
            section: 'membres',
            frame: member.frame,
            isError: membersPageIsError(view),
            children: MembersSection({
              ...view,
              listPath: '/editeur/membres',
              csrfToken: member.frame.csrfToken,
              organisationName: member.editeur.name,
              noun: 'Membres',
              intro: `Peuvent entrer dans cet espace les personnes de cette liste qui s’identifient avec ProConnect au nom de ${member.editeur.name}. Un administrateur gère la liste, les webhooks et les clés d’API ; un membre consulte les communes clientes.`,
            }),
          }),
      };
    },
  });
}
