import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Actor } from '../auth.ts';
import { HubeeApiError } from '../errors.ts';
import { createEvent } from '../events.ts';
import { step, type Hub } from '../hub.ts';
import { CASE_STATUSES, organizationId, type CaseStatus, type Organization, type StoredCase } from '../model.ts';
import { caseAttachments } from '../views.ts';
import { casePage, homePage, notFoundPage, organizationPage, portalBase } from './pages.ts';
import { CASE_STATUS_LABELS, PORTAL_MOVES, portalMoves } from './labels.ts';

const PORTAL_AUTHOR = 'Agent de la commune (portail HubEE)';

/**
 * The commune agents' portal. There is no login in the sandbox: an agent picks a commune and acts as that
 * commune's SI. Every action goes through the same operations as the API, so it produces the events and
 * notifications the OSL would receive from the real portal.
 */
export function registerPortalRoutes(app: FastifyInstance, hub: Hub): void {
  app.get('/portail', step('portal'), async (_request, reply) => sendPage(reply, 200, homePage(hub)));

  app.get<{ Params: { orgId: string } }>('/portail/organisations/:orgId', step('portal'), async (request, reply) => {
    const organization = hub.state.organizations[request.params.orgId];
    if (!organization || organization.type !== 'SI') return sendPage(reply, 404, notFoundPage(hub, 'Cette commune est inconnue de HubEE.'));
    return sendPage(reply, 200, organizationPage(hub, organization));
  });

  app.get<{ Params: { caseId: string }; Querystring: { avis?: string } }>('/portail/dossiers/:caseId', step('portal'), async (request, reply) => {
    const found = deliveredCase(hub, request.params.caseId);
    if (!found) return sendPage(reply, 404, notFoundPage(hub, 'Ce télédossier est introuvable.'));
    const { organization, folder, kase } = found;
    // Opening a new télédossier in the portal is the commune fetching it: HubEE records it as SENT.
    if (kase.status === 'HUBEE_NOTIFIED') {
      createEvent(hub, agent(organization), folder, kase, statusUpdate('SENT', kase, null), portalPartnerInfo);
      await hub.store.commit();
    }
    const notice = typeof request.query.avis === 'string' ? request.query.avis.slice(0, 200) : null;
    return sendPage(reply, 200, casePage(hub, organization, folder, kase, notice));
  });

  app.get<{ Params: { caseId: string; attachmentId: string } }>(
    '/portail/dossiers/:caseId/pieces-jointes/:attachmentId',
    step('portal'),
    async (request, reply) => {
      const found = deliveredCase(hub, request.params.caseId);
      const attachment = found ? caseAttachments(found.folder, found.kase).find((a) => a.id === request.params.attachmentId) : undefined;
      const bytes = attachment?.status === 'RECEIVED' ? await hub.store.getBinary(attachment.id) : null;
      if (!attachment || !bytes) return sendPage(reply, 404, notFoundPage(hub, 'Cette pièce jointe est introuvable.'));
      return reply
        .type(attachment.mimeType)
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(attachment.fileName)}`)
        .header('digest', attachment.digest ?? '')
        .send(bytes);
    },
  );

  app.post<{ Params: { caseId: string } }>('/portail/dossiers/:caseId/statut', step('portal'), async (request, reply) => {
    const found = deliveredCase(hub, request.params.caseId);
    if (!found) return sendPage(reply, 404, notFoundPage(hub, 'Ce télédossier est introuvable.'));
    const { organization, folder, kase } = found;
    const form = request.body instanceof URLSearchParams ? request.body : new URLSearchParams();
    const status = form.get('status') ?? '';
    const message = (form.get('message') ?? '').trim().slice(0, 1000) || null;
    const back = `${portalBase(hub)}/dossiers/${kase.id}`;
    if (!isPortalMove(status)) return reply.redirect(`${back}?avis=${encodeURIComponent('Action inconnue.')}`, 303);
    if (!portalMoves(kase.status).some((m) => m.status === status)) {
      return reply.redirect(`${back}?avis=${encodeURIComponent('Action impossible dans le statut actuel.')}`, 303);
    }
    try {
      createEvent(hub, agent(organization), folder, kase, statusUpdate(status, kase, message), portalPartnerInfo);
    } catch (error) {
      if (!(error instanceof HubeeApiError)) throw error;
      return reply.redirect(`${back}?avis=${encodeURIComponent(`Action impossible dans le statut actuel.`)}`, 303);
    }
    await hub.store.commit();
    return reply.redirect(`${back}?avis=${encodeURIComponent(`Statut mis à jour : ${CASE_STATUS_LABELS[status]}.`)}`, 303);
  });
}

function deliveredCase(hub: Hub, caseId: string) {
  const kase = hub.state.cases[caseId];
  const folder = kase ? hub.state.folders[kase.folderId] : undefined;
  const organization: Organization | undefined = kase ? hub.state.organizations[organizationId(kase.recipient)] : undefined;
  if (!kase || !folder || !organization) return null;
  if (folder.globalStatus === 'HUBEE_RECEIVED' || folder.globalStatus === 'HUBEE_COMPLETED') return null;
  return { organization, folder, kase };
}

function agent(organization: Organization): Actor {
  return {
    role: 'SI',
    organization: { type: organization.type, companyRegister: organization.companyRegister, branchCode: organization.branchCode },
    clientId: 'portail',
  };
}

const portalPartnerInfo = { editorName: 'HubEE', applicationName: 'Portail HubEE', softwareVersion: null };

function statusUpdate(status: CaseStatus, kase: StoredCase, message: string | null) {
  return {
    actionType: 'STATUS_UPDATE' as const,
    caseCurrentStatus: kase.status,
    caseNewStatus: status,
    message,
    comment: null,
    author: PORTAL_AUTHOR,
    notification: true,
    partnerAttributes: null,
    attachments: [],
  };
}

function isPortalMove(status: string): status is CaseStatus {
  return (CASE_STATUSES as readonly string[]).includes(status) && PORTAL_MOVES.some((m) => m.status === status);
}

function sendPage(reply: FastifyReply, code: number, body: string): FastifyReply {
  return reply.code(code).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
}
