import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { caseFor, eventFor, folderFor, isTransmitterSide } from './access.ts';
import { authorize } from './auth.ts';
import { badRequest, HubeeApiError, notFound, unauthorizedUser } from './errors.ts';
import { step, type Hub } from './hub.ts';
import type { StoredAttachment } from './model.ts';
import { noContent } from './routing.ts';
import { sha256Base64 } from './store.ts';
import { caseAttachments } from './views.ts';

/**
 * Binaries: the OSL uploads each file declared in the folder metadata, the SI downloads them through its case
 * (with a `digest` header: base64 SHA-256), and either side can deposit files on an ATTACH_DEPOSIT event.
 */
export function registerAttachmentRoutes(app: FastifyInstance, hub: Hub): void {
  app.put<{ Params: { folderId: string; attachmentId: string } }>(
    '/teledossiers/v1/folders/:folderId/attachments/:attachmentId',
    step('uploadAttachment'),
    async (request, reply) => {
      const actor = authorize(hub, request, ['OSL', 'ADMIN']);
      const folder = folderFor(hub, actor, request.params.folderId);
      const attachment = folder.attachments.find((a) => a.id === request.params.attachmentId);
      if (!attachment) throw new HubeeApiError(404, 'Binary meta-data is not found');
      if (folder.globalStatus !== 'HUBEE_RECEIVED') throw badRequest(`Folder status ${folder.globalStatus} does not accept attachments`);
      await receive(hub, request, attachment);
      folder.updateDateTime = hub.nowIso();
      await hub.store.commit();
      return noContent(reply);
    },
  );

  app.get<{ Params: { caseId: string; attachmentId: string } }>(
    '/teledossiers/v1/cases/:caseId/attachments/:attachmentId',
    step('downloadCaseAttachment'),
    async (request, reply) => {
      const actor = authorize(hub, request, ['OSL', 'SI', 'ADMIN']);
      const { folder, kase } = caseFor(hub, actor, request.params.caseId);
      const attachment = caseAttachments(folder, kase).find((a) => a.id === request.params.attachmentId);
      if (!attachment) throw new HubeeApiError(404, 'Binary meta-data is not found');
      return sendBinary(hub, reply, attachment);
    },
  );

  app.put<{ Params: { caseId: string; eventId: string; attachmentId: string } }>(
    '/teledossiers/v1/cases/:caseId/events/:eventId/attachments/:attachmentId',
    step('uploadAttachment'),
    async (request, reply) => {
      const actor = authorize(hub, request, ['OSL', 'SI', 'ADMIN']);
      const { event } = eventFor(hub, actor, request.params.caseId, request.params.eventId);
      if (!isTransmitterSide(actor, event)) throw unauthorizedUser();
      const attachment = event.attachments.find((a) => a.id === request.params.attachmentId);
      if (!attachment) throw new HubeeApiError(404, 'Binary meta-data is not found');
      if (event.status !== 'IN_PROGRESS') throw badRequest(`Event status ${event.status} does not accept attachments`);
      await receive(hub, request, attachment);
      event.updateDateTime = hub.nowIso();
      await hub.store.commit();
      return noContent(reply);
    },
  );

  app.get<{ Params: { caseId: string; eventId: string; attachmentId: string } }>(
    '/teledossiers/v1/cases/:caseId/events/:eventId/attachments/:attachmentId',
    step('downloadCaseAttachment'),
    async (request, reply) => {
      const actor = authorize(hub, request, ['OSL', 'SI', 'ADMIN']);
      const { event } = eventFor(hub, actor, request.params.caseId, request.params.eventId);
      const attachment = event.attachments.find((a) => a.id === request.params.attachmentId);
      if (!attachment) throw new HubeeApiError(404, 'Binary meta-data is not found');
      return sendBinary(hub, reply, attachment);
    },
  );
}

/**
 * Checks a received binary against its metadata (size; and the optional `digest` header) before storing it.
 * A mismatch is refused with 400 and the attachment stays PENDING, so the sender can simply upload again.
 */
async function receive(hub: Hub, request: FastifyRequest, attachment: StoredAttachment): Promise<void> {
  const bytes = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  if (bytes.length !== attachment.size) {
    throw badRequest(`Binary size (${bytes.length} bytes) does not match the size declared in the meta-data (${attachment.size} bytes)`);
  }
  const digest = sha256Base64(bytes);
  const announced = digestHeader(request.headers.digest);
  if (announced !== null && announced !== digest) throw badRequest('Binary digest does not match the digest header (SHA-256, base64)');
  await hub.store.putBinary(attachment.id, bytes);
  attachment.status = 'RECEIVED';
  attachment.digest = digest;
}

/** The header is the bare base64 SHA-256 (SW-F); the RFC 3230 form `SHA-256=<base64>` is accepted too. */
function digestHeader(value: string | string[] | undefined): string | null {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || raw.trim() === '') return null;
  return raw.trim().replace(/^sha-256=/i, '');
}

async function sendBinary(hub: Hub, reply: FastifyReply, attachment: StoredAttachment): Promise<FastifyReply> {
  const bytes = attachment.status === 'RECEIVED' ? await hub.store.getBinary(attachment.id) : null;
  if (!bytes) throw notFound('File');
  return reply
    .code(200)
    .type('application/octet-stream')
    .header('digest', attachment.digest ?? sha256Base64(bytes))
    .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(attachment.fileName)}`)
    .send(bytes);
}
