import type { Actor } from './auth.ts';
import type { Hub } from './hub.ts';
import type { StoredAttachment, StoredCase, StoredEvent, StoredFolder, StoredNotification } from './model.ts';

/** The JSON HubEE returns for each resource (contracts/hubee.md §2.2), built from the stored records. */

export function attachmentView(attachment: StoredAttachment, withRecipients: boolean) {
  const view = {
    id: attachment.id,
    status: attachment.status,
    fileName: attachment.fileName,
    type: attachment.type,
    size: attachment.size,
    mimeType: attachment.mimeType,
  };
  return withRecipients ? { ...view, recipients: attachment.recipients } : view;
}

export function folderView(hub: Hub, folder: StoredFolder) {
  return {
    id: folder.id,
    globalStatus: folder.globalStatus,
    processCode: folder.processCode,
    createDateTime: folder.createDateTime,
    closeDateTime: folder.closeDateTime,
    applicant: folder.applicant,
    externalId: folder.externalId,
    updateDateTime: folder.updateDateTime,
    partnerInfo: folder.partnerInfo,
    cases: folder.caseIds.flatMap((id) => {
      const kase = hub.state.cases[id];
      return kase
        ? [
            {
              id: kase.id,
              status: kase.status,
              recipient: kase.recipient,
              externalId: kase.externalId,
              updateDateTime: kase.updateDateTime,
              transmissionDateTime: kase.transmissionDateTime,
              partnerAttributes: kase.partnerAttributes,
            },
          ]
        : [];
    }),
    attachments: folder.attachments.map((a) => attachmentView(a, true)),
  };
}

export function caseView(hub: Hub, actor: Actor, folder: StoredFolder, kase: StoredCase, lite: boolean) {
  const view = {
    id: kase.id,
    status: kase.status,
    recipient: kase.recipient,
    externalId: kase.externalId,
    updateDateTime: kase.updateDateTime,
    transmissionDateTime: kase.transmissionDateTime,
    processCode: folder.processCode,
    createDateTime: kase.createDateTime,
    closeDateTime: kase.closeDateTime,
    partnerAttributes: kase.partnerAttributes,
    applicant: folder.applicant,
    attachments: caseAttachments(folder, kase).map((a) => attachmentView(a, false)),
  };
  if (lite) return view;
  const events = kase.eventIds.flatMap((id) => {
    const event = hub.state.events[id];
    return event ? [eventView(actor, event)] : [];
  });
  return { ...view, events };
}

/** A case sees the folder attachments addressed to its externalId. */
export function caseAttachments(folder: StoredFolder, kase: StoredCase): StoredAttachment[] {
  return folder.attachments.filter((a) => a.recipients.includes(kase.externalId));
}

export function eventView(actor: Actor, event: StoredEvent) {
  return {
    id: event.id,
    transmitter: event.transmitter,
    message: event.message,
    // "comment" is the SI's internal note: HubEE never shows it to the OSL.
    comment: actor.role === 'OSL' ? null : event.comment,
    actionType: event.actionType,
    author: event.author,
    notification: event.notification,
    createDateTime: event.createDateTime,
    updateDateTime: event.updateDateTime,
    status: event.status,
    caseCurrentStatus: event.caseCurrentStatus,
    caseNewStatus: event.caseNewStatus,
    partnerAttributes: event.partnerAttributes,
    attachments: event.attachments.map((a) => attachmentView(a, false)),
    partnerInfo: event.partnerInfo,
  };
}

export function notificationView(hub: Hub, notification: StoredNotification, eventDetails: boolean) {
  const view = {
    id: notification.id,
    recipient: notification.recipient,
    transmitter: notification.transmitter,
    processCode: notification.processCode,
    caseId: notification.caseId,
    eventId: notification.eventId,
    dateTime: notification.dateTime,
  };
  if (!eventDetails) return view;
  const event = notification.eventId ? hub.state.events[notification.eventId] : undefined;
  return { ...view, eventActionType: event?.actionType ?? null, eventStatus: event?.status ?? null };
}
