import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { caseFor, eventFor, isTransmitterSide } from './access.ts';
import { authorize, type Actor } from './auth.ts';
import { moveCase } from './case-status-changes.ts';
import { badRequest, HubeeApiError, unauthorizedUser } from './errors.ts';
import { step, type Hub } from './hub.ts';
import type { PartnerInfo, StoredCase, StoredEvent, StoredFolder } from './model.ts';
import { notify } from './notifications.ts';
import { partnerInfoFrom } from './partner-info.ts';
import { createEventSchema, patchEventSchema, type CreateEventInput } from './request-schemas.ts';
import { apiPath, noContent, requirePatchOverride } from './routing.ts';
import { parseBody } from './validation.ts';
import { eventView } from './views.ts';

export function registerEventRoutes(app: FastifyInstance, hub: Hub): void {
  app.post<{ Params: { caseId: string } }>('/teledossiers/v1/cases/:caseId/events', step('createEvent'), async (request, reply) => {
    const actor = authorize(hub, request, ['OSL', 'SI', 'ADMIN']);
    const { folder, kase } = caseFor(hub, actor, request.params.caseId);
    const input = parseBody(createEventSchema, request.body, 'POST', apiPath(request));
    const event = createEvent(hub, actor, folder, kase, input, partnerInfoFrom(request));
    await hub.store.commit();
    return reply.code(201).send(eventView(actor, event));
  });

  app.get<{ Params: { caseId: string; eventId: string } }>(
    '/teledossiers/v1/cases/:caseId/events/:eventId',
    step('getEvent'),
    async (request) => {
      const actor = authorize(hub, request, ['OSL', 'SI', 'ADMIN']);
      const { event } = eventFor(hub, actor, request.params.caseId, request.params.eventId);
      return eventView(actor, event);
    },
  );

  const patch = async (request: FastifyRequest<{ Params: { caseId: string; eventId: string } }>, reply: FastifyReply) => {
    const actor = authorize(hub, request, ['OSL', 'SI', 'ADMIN']);
    const { folder, kase, event } = eventFor(hub, actor, request.params.caseId, request.params.eventId);
    const input = parseBody(patchEventSchema, request.body, 'PATCH', apiPath(request));
    if (input.status === 'SENT') sendEvent(hub, actor, folder, kase, event);
    else acknowledgeEvent(hub, actor, folder, kase, event);
    await hub.store.commit();
    return noContent(reply);
  };
  app.patch<{ Params: { caseId: string; eventId: string } }>('/teledossiers/v1/cases/:caseId/events/:eventId', step('patchEvent'), patch);
  app.post<{ Params: { caseId: string; eventId: string } }>(
    '/teledossiers/v1/cases/:caseId/events/:eventId',
    step('patchEvent'),
    async (request, reply) => {
      requirePatchOverride(request);
      return patch(request, reply);
    },
  );

  app.delete<{ Params: { caseId: string; eventId: string } }>(
    '/teledossiers/v1/cases/:caseId/events/:eventId',
    step('deleteEvent'),
    async (request, reply) => {
      const actor = authorize(hub, request, ['OSL', 'SI', 'ADMIN']);
      const { kase, event } = eventFor(hub, actor, request.params.caseId, request.params.eventId);
      if (!isTransmitterSide(actor, event)) throw unauthorizedUser();
      // RC008: only an unfinished attachment deposit with no received file may disappear.
      if (event.actionType !== 'ATTACH_DEPOSIT' || event.status !== 'IN_PROGRESS' || event.attachments.some((a) => a.status === 'RECEIVED')) {
        throw badRequest('Only an ATTACH_DEPOSIT event in status IN_PROGRESS without received attachment can be deleted');
      }
      kase.eventIds = kase.eventIds.filter((id) => id !== event.id);
      delete hub.state.events[event.id];
      await hub.store.commit();
      return noContent(reply);
    },
  );
}

/**
 * Records an event on a case. A STATUS_UPDATE whose `caseNewStatus` differs from the case's status also moves the
 * case: DINUM's reference SI script relies on this, while others PATCH the case first (then this is a no-op).
 * With `notification: true` the other side is notified as soon as the event is SENT.
 */
export function createEvent(
  hub: Hub,
  actor: Actor,
  folder: StoredFolder,
  kase: StoredCase,
  input: CreateEventInput,
  partnerInfo: PartnerInfo,
): StoredEvent {
  const deposit = input.actionType === 'ATTACH_DEPOSIT';
  if (deposit && input.attachments.length === 0) throw badRequest('An ATTACH_DEPOSIT event requires at least one attachment');
  if (!deposit && input.attachments.length > 0) throw badRequest(`An event ${input.actionType} cannot carry attachments`);
  if (input.actionType === 'STATUS_UPDATE' && !input.caseNewStatus) throw badRequest('A STATUS_UPDATE event requires caseNewStatus');

  const now = hub.nowIso();
  const statusBefore = kase.status;
  if (input.actionType === 'STATUS_UPDATE' && input.caseNewStatus && moveCase(kase, actor.role, input.caseNewStatus, now)) {
    folder.updateDateTime = now;
  }
  const event: StoredEvent = {
    id: randomUUID(),
    caseId: kase.id,
    transmitter: actor.organization,
    message: input.message ?? null,
    comment: input.comment ?? null,
    actionType: input.actionType,
    author: input.author ?? null,
    notification: input.notification,
    status: deposit ? 'IN_PROGRESS' : 'SENT',
    caseCurrentStatus: input.caseCurrentStatus ?? statusBefore,
    caseNewStatus: input.caseNewStatus ?? null,
    partnerAttributes: input.partnerAttributes ?? null,
    attachments: input.attachments.map((a) => ({ id: randomUUID(), status: 'PENDING', ...a, recipients: [], digest: null })),
    partnerInfo,
    createDateTime: now,
    updateDateTime: now,
  };
  hub.state.events[event.id] = event;
  kase.eventIds.push(event.id);
  if (event.status === 'SENT') notifyOtherSide(hub, folder, kase, event);
  return event;
}

function sendEvent(hub: Hub, actor: Actor, folder: StoredFolder, kase: StoredCase, event: StoredEvent): void {
  if (!isTransmitterSide(actor, event)) throw unauthorizedUser();
  if (event.status === 'SENT') return;
  if (event.status !== 'IN_PROGRESS') throw badRequest(`Event status ${event.status} cannot change to SENT`);
  // RC007: every file of the deposit must be there before the other side is told.
  if (event.attachments.some((a) => a.status === 'PENDING')) throw badRequest('Event cannot be sent: some attachments are not received');
  event.status = 'SENT';
  event.updateDateTime = hub.nowIso();
  notifyOtherSide(hub, folder, kase, event);
}

/**
 * The recipient marks the event read. When the event asked for notifications, HubEE tells its author: an
 * acknowledgement notification, which its reader sees with `eventStatus` RECEIVED (SFD "Modification d'un Case"
 * step 4.1; contracts/hubee.md §3.1b). Both sides receive such notifications.
 */
function acknowledgeEvent(hub: Hub, actor: Actor, folder: StoredFolder, kase: StoredCase, event: StoredEvent): void {
  if (isTransmitterSide(actor, event)) throw new HubeeApiError(400, 'An event can only be marked RECEIVED by its recipient');
  if (event.status === 'RECEIVED') return;
  if (event.status !== 'SENT') throw badRequest(`Event status ${event.status} cannot change to RECEIVED`);
  event.status = 'RECEIVED';
  event.updateDateTime = hub.nowIso();
  if (event.notification) {
    notify(hub, { recipient: event.transmitter, transmitter: actor.organization, processCode: folder.processCode, caseId: kase.id, eventId: event.id });
  }
}

function notifyOtherSide(hub: Hub, folder: StoredFolder, kase: StoredCase, event: StoredEvent): void {
  if (!event.notification) return;
  // An SI's event goes to the OSL that sent the folder; the OSL's (or DINUM's) goes to the recipient SI.
  const recipient = event.transmitter.type === 'SI' ? folder.owner : kase.recipient;
  notify(hub, { recipient, transmitter: event.transmitter, processCode: folder.processCode, caseId: kase.id, eventId: event.id });
}
