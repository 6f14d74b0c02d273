import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { folderFor } from './access.ts';
import { authorize, type Actor } from './auth.ts';
import { badRequest, HubeeApiError } from './errors.ts';
import { step, type Hub } from './hub.ts';
import { organizationId, type StoredCase, type StoredFolder } from './model.ts';
import { notify } from './notifications.ts';
import { partnerInfoFrom } from './partner-info.ts';
import { maxAttachmentSize } from './processes.ts';
import { createFolderSchema, patchFolderSchema } from './request-schemas.ts';
import { apiPath, noContent, requirePatchOverride } from './routing.ts';
import { parseBody } from './validation.ts';
import { folderView } from './views.ts';

type CreateFolderInput = z.output<typeof createFolderSchema>;

export function registerFolderRoutes(app: FastifyInstance, hub: Hub): void {
  app.post('/teledossiers/v1/folders', step('createFolder'), async (request, reply) => {
    const actor = authorize(hub, request, ['OSL', 'ADMIN']);
    const input = parseBody(createFolderSchema, request.body, 'POST', apiPath(request));
    const folder = createFolder(hub, actor, input, request);
    await hub.store.commit();
    return reply.code(201).send(folderView(hub, folder));
  });

  app.get<{ Params: { folderId: string } }>('/teledossiers/v1/folders/:folderId', step('getFolder'), async (request) => {
    const actor = authorize(hub, request, ['OSL', 'ADMIN']);
    return folderView(hub, folderFor(hub, actor, request.params.folderId));
  });

  const patch = async (request: FastifyRequest<{ Params: { folderId: string } }>, reply: FastifyReply) => {
    const actor = authorize(hub, request, ['OSL', 'ADMIN']);
    const folder = folderFor(hub, actor, request.params.folderId);
    const input = parseBody(patchFolderSchema, request.body, 'PATCH', apiPath(request));
    setFolderStatus(hub, folder, input.globalStatus, input.closeDateTime ?? null);
    await hub.store.commit();
    return noContent(reply);
  };
  app.patch<{ Params: { folderId: string } }>('/teledossiers/v1/folders/:folderId', step('patchFolder'), patch);
  app.post<{ Params: { folderId: string } }>('/teledossiers/v1/folders/:folderId', step('patchFolder'), async (request, reply) => {
    requirePatchOverride(request);
    return patch(request, reply);
  });

  app.delete<{ Params: { folderId: string } }>('/teledossiers/v1/folders/:folderId', step('deleteFolder'), async (request, reply) => {
    const actor = authorize(hub, request, ['OSL', 'ADMIN']);
    const folder = folderFor(hub, actor, request.params.folderId);
    await deleteFolder(hub, folder);
    return noContent(reply);
  });
}

function createFolder(hub: Hub, actor: Actor, input: CreateFolderInput, request: FastifyRequest): StoredFolder {
  const caseExternalIds = input.cases.map((c) => c.externalId);
  if (new Set(caseExternalIds).size !== caseExternalIds.length) throw badRequest('Case externalId must be unique in a folder');
  for (const c of input.cases) {
    const recipientId = organizationId(c.recipient);
    if (!hub.state.organizations[recipientId]) throw badRequest(`Case recipient ${recipientId} does not exist`);
    const subscribed = Object.values(hub.state.subscriptions).some(
      (s) => s.status === 'Actif' && s.processCode === input.processCode && organizationId(s.subscriber) === recipientId,
    );
    // HubEE's own wording, typo included (contracts/hubee.md §2.3).
    if (!subscribed) throw badRequest(`Case recipient ${recipientId} does not suscribed to ${input.processCode}`);
  }
  const maxSize = maxAttachmentSize(input.processCode);
  input.attachments.forEach((attachment, index) => {
    if (attachment.size > maxSize) {
      throw badRequest(
        `Bad Request : Validation failed.\n[ERROR][REQUEST][POST /teledossiers/v1/folders @body] [Path '/attachments/${index}/size'] Numeric instance is greater than the required maximum (maximum: ${maxSize})`,
      );
    }
    for (const recipient of attachment.recipients) {
      if (!caseExternalIds.includes(recipient)) throw badRequest(`Attachment recipient ${recipient} is not a case of the folder`);
    }
  });

  const now = hub.nowIso();
  const folderId = randomUUID();
  const cases: StoredCase[] = input.cases.map((c) => ({
    id: randomUUID(),
    folderId,
    externalId: c.externalId,
    recipient: c.recipient,
    // SFD: a case is HUBEE_RECEIVED until its folder is completed; the FQF stub's HUBEE_NOTIFIED is illustrative
    // (contracts/hubee.md §3.1b).
    status: 'HUBEE_RECEIVED',
    createDateTime: now,
    updateDateTime: now,
    transmissionDateTime: null,
    closeDateTime: null,
    partnerAttributes: c.partnerAttributes ?? null,
    eventIds: [],
  }));
  const folder: StoredFolder = {
    id: folderId,
    processCode: input.processCode,
    externalId: input.externalId,
    applicant: { firstName: input.applicant.firstName, lastName: input.applicant.lastName, email: input.applicant.email ?? null },
    globalStatus: 'HUBEE_RECEIVED',
    createDateTime: now,
    updateDateTime: now,
    closeDateTime: input.closeDateTime ?? null,
    partnerInfo: partnerInfoFrom(request),
    owner: actor.organization,
    caseIds: cases.map((c) => c.id),
    attachments: input.attachments.map((a) => ({
      id: randomUUID(),
      status: 'PENDING',
      fileName: a.fileName,
      type: a.type,
      size: a.size,
      mimeType: a.mimeType,
      recipients: a.recipients,
      digest: null,
    })),
  };
  hub.state.folders[folder.id] = folder;
  for (const c of cases) hub.state.cases[c.id] = c;
  return folder;
}

function setFolderStatus(hub: Hub, folder: StoredFolder, status: StoredFolder['globalStatus'], closeDateTime: string | null): void {
  const now = hub.nowIso();
  if (status === 'HUBEE_COMPLETED' && folder.globalStatus !== 'HUBEE_RECEIVED') {
    // Reopening (valise folder G): SW-F says a folder status changes no case "except for the HUBEE_COMPLETED
    // value at folder creation", so later on it only brings the folder back to HUBEE_NOTIFIED, as completion does
    // (contracts/hubee.md §3.1b: no from → to table).
    folder.globalStatus = 'HUBEE_NOTIFIED';
    folder.updateDateTime = now;
    folder.closeDateTime = null;
    return;
  }
  if (status === 'HUBEE_COMPLETED') {
    if (folder.attachments.some((a) => a.status !== 'RECEIVED')) {
      throw badRequest('Folder cannot be completed: some attachments are not received');
    }
    completeFolder(hub, folder, now);
    return;
  }
  if (status === 'HUBEE_RECEIVED' || folder.globalStatus === 'HUBEE_RECEIVED') {
    throw badRequest(`Folder status ${folder.globalStatus} cannot change to ${status}`);
  }
  // SW-F: changing the folder status never changes its cases (the OSL updates the cases first).
  folder.globalStatus = status;
  folder.updateDateTime = now;
  if (status === 'CLOSED') folder.closeDateTime = closeDateTime ?? now;
  else if (closeDateTime !== null) folder.closeDateTime = closeDateTime;
}

/**
 * HUBEE_COMPLETED is a request, not a resting state: HubEE then notifies each recipient SI and moves the folder
 * and its cases to HUBEE_NOTIFIED (contracts/hubee.md §2.3 step 3).
 */
function completeFolder(hub: Hub, folder: StoredFolder, now: string): void {
  folder.globalStatus = 'HUBEE_NOTIFIED';
  folder.updateDateTime = now;
  for (const caseId of folder.caseIds) {
    const kase = hub.state.cases[caseId];
    if (!kase) continue;
    kase.status = 'HUBEE_NOTIFIED';
    kase.transmissionDateTime = now;
    kase.updateDateTime = now;
    notify(hub, { recipient: kase.recipient, transmitter: folder.owner, processCode: folder.processCode, caseId: kase.id, eventId: null });
  }
}

async function deleteFolder(hub: Hub, folder: StoredFolder): Promise<void> {
  const hasEvents = folder.caseIds.some((id) => (hub.state.cases[id]?.eventIds.length ?? 0) > 0);
  const hasNotifications = Object.values(hub.state.notifications).some((n) => n.caseId !== null && folder.caseIds.includes(n.caseId));
  if (folder.globalStatus !== 'HUBEE_RECEIVED' || hasEvents || hasNotifications) {
    throw new HubeeApiError(400, `Folder cannot be deleted: its status is ${folder.globalStatus}, only HUBEE_RECEIVED folders can be deleted`);
  }
  for (const id of folder.caseIds) delete hub.state.cases[id];
  delete hub.state.folders[folder.id];
  hub.deletedFolders.push({ folderId: folder.id, externalId: folder.externalId, processCode: folder.processCode });
  await hub.store.commit();
  await Promise.all(folder.attachments.map((a) => hub.store.deleteBinary(a.id)));
}
