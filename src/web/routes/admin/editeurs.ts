import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.ts';
import { isSiret } from '../../../domain/siret.ts';
import { hasControlCharacters } from '../../../domain/text.ts';
import { addAgent } from '../../../usecases/manage-agents.ts';
import { EditeursAdminPage } from '../../views/admin/EditeursAdminPage.tsx';
import { sendPage } from '../send-page.ts';
import type { OperatorFrame } from '../../views/admin/AdminLayout.tsx';
import { operatorOf } from './operator-access.ts';

const NOTICES: Record<string, string> = {
  inscrit: 'Éditeur inscrit.',
  rattachee: 'Commune rattachée à l’éditeur.',
  deja_rattachee: 'Cette commune était déjà rattachée à cet éditeur.',
  detachee:
    'Commune détachée : les clés de l’éditeur n’agissent plus pour elle et elle n’apparaît plus dans son espace. Les récepteurs de webhooks de la commune restent actifs : vérifiez-les dans la page Webhooks.',
  deja_detachee: 'Cette commune n’était pas rattachée à cet éditeur.',
  administrateur: 'Administrateur ajouté : il peut s’identifier avec ProConnect et inviter ses collègues.',
};

/**
 * The operator's part of the éditeurs (inside the operators' authenticated /admin scope): register one, link a
 * commune to it or detach it, add its first administrator. Each change goes to the éditeur's journal under the operator's e-mail.
 */
export async function editeurAdminRoutes(admin: FastifyInstance, context: AppContext, operator: (request: FastifyRequest, reply: FastifyReply) => OperatorFrame): Promise<void> {
  const { editeurs, editeurMembers, editeurJournal } = context.espace;
  const limits = { config: { rateLimit: { max: 120, timeWindow: '1 minute' } } };
  const text = (value: unknown, max: number) => (typeof value === 'string' ? value.trim().slice(0, max) : '');

  const render = async (request: FastifyRequest, reply: FastifyReply, error: string | null = null) => {
    const notice = (request.query as { fait?: unknown } | undefined)?.fait;
    const all = await editeurs.list();
    const overviews = await Promise.all(
      all.map(async (editeur) => {
        const sirets = await editeurs.clientSirets(editeur.siret);
        const clients = (await Promise.all(sirets.map((s) => context.collectivities.findBySiret(s)))).filter((c) => c !== null).map((c) => ({ siret: c.siret, name: c.name }));
        const administrators = (await editeurMembers.list(editeur.siret)).filter((m) => m.role === 'administrateur').map((m) => m.email);
        return { editeur, clients, administrators };
      }),
    );
    return sendPage(reply, EditeursAdminPage({ operator: operator(request, reply), editeurs: overviews, csrfToken: reply.generateCsrf(), notice: typeof notice === 'string' ? (NOTICES[notice] ?? null) : null, error }));
  };
  const refuse = (request: FastifyRequest, reply: FastifyReply, status: number, error: string) => render(request, reply.code(status), error);

  admin.get('/admin/editeurs', limits, async (request, reply) => render(request, reply));

  admin.post<{ Body: { siret?: unknown; nom?: unknown } | undefined }>('/admin/editeurs', { ...limits, preHandler: admin.csrfProtection }, async (request, reply) => {
    const siret = text(request.body?.siret, 20).replace(/\s/g, '');
    const name = text(request.body?.nom, 300);
    if (!isSiret(siret)) return refuse(request, reply, 400, 'Ce SIRET n’est pas valide (14 chiffres, clé de contrôle).');
    if (name.length < 1 || name.length > 200 || hasControlCharacters(name)) return refuse(request, reply, 400, 'Donnez un nom de 1 à 200 caractères.');
    await editeurs.ensure({ siret, name, datapassId: null });
    return reply.redirect('/admin/editeurs?fait=inscrit', 303);
  });

  type ClientBody = { Body: { editeur?: unknown; commune?: unknown } | undefined };
  /** The éditeur and the commune a link form names, or the refusal already sent. */
  const linkOf = async (request: FastifyRequest<ClientBody>, reply: FastifyReply) => {
    const editeurSiret = text(request.body?.editeur, 20).replace(/\s/g, '');
    const communeSiret = text(request.body?.commune, 20).replace(/\s/g, '');
    const editeur = /^[0-9]{14}$/.test(editeurSiret) ? await editeurs.findBySiret(editeurSiret) : null;
    if (!editeur) {
      await refuse(request, reply, 404, 'Aucun éditeur inscrit n’a ce SIRET.');
      return null;
    }
    const commune = /^[0-9]{14}$/.test(communeSiret) ? await context.collectivities.findBySiret(communeSiret) : null;
    if (!commune) {
      await refuse(request, reply, 404, 'Aucune collectivité n’a ce SIRET.');
      return null;
    }
    return { editeur, commune };
  };

  admin.post<ClientBody>('/admin/editeurs/clients', { ...limits, preHandler: admin.csrfProtection }, async (request, reply) => {
    const link = await linkOf(request, reply);
    if (!link) return reply;
    const { editeur, commune } = link;
    const linked = await editeurs.linkClient(editeur.siret, commune.siret, 'operator');
    if (linked) await editeurJournal.record({ siret: editeur.siret, actorKind: 'operator', actor: operatorOf(request).email, action: 'client_linked', detail: commune.siret });
    return reply.redirect(`/admin/editeurs?fait=${linked ? 'rattachee' : 'deja_rattachee'}`, 303);
  });

  admin.post<ClientBody>('/admin/editeurs/clients/detacher', { ...limits, preHandler: admin.csrfProtection }, async (request, reply) => {
    const link = await linkOf(request, reply);
    if (!link) return reply;
    const { editeur, commune } = link;
    const unlinked = await editeurs.unlinkClient(editeur.siret, commune.siret);
    if (unlinked) await editeurJournal.record({ siret: editeur.siret, actorKind: 'operator', actor: operatorOf(request).email, action: 'client_unlinked', detail: commune.siret });
    return reply.redirect(`/admin/editeurs?fait=${unlinked ? 'detachee' : 'deja_detachee'}`, 303);
  });

  admin.post<{ Body: { editeur?: unknown; email?: unknown } | undefined }>('/admin/editeurs/administrateurs', { ...limits, preHandler: admin.csrfProtection }, async (request, reply) => {
    const editeurSiret = text(request.body?.editeur, 20).replace(/\s/g, '');
    const editeur = /^[0-9]{14}$/.test(editeurSiret) ? await editeurs.findBySiret(editeurSiret) : null;
    if (!editeur) return refuse(request, reply, 404, 'Aucun éditeur inscrit n’a ce SIRET.');
    const change = await addAgent({ agents: editeurMembers, journal: editeurJournal }, editeur.siret, { kind: 'operator', name: operatorOf(request).email }, text(request.body?.email, 400), 'administrateur');
    if (!change.ok) return refuse(request, reply, 400, 'Saisissez une adresse e-mail valide.');
    return reply.redirect('/admin/editeurs?fait=administrateur', 303);
  });
}
