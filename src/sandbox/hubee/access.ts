import type { Actor } from './auth.ts';
import { notFound, unauthorizedUser } from './errors.ts';
import type { Hub } from './hub.ts';
import { sameOrganization, type StoredCase, type StoredEvent, type StoredFolder } from './model.ts';

/**
 * Who may see what: an OSL only its own folders (and their cases), an SI only the cases addressed to its
 * organization once the folder was completed, ADMIN everything. Resources of another organization answer 403
 * "Unauthorized user", the documented answer for a valid token without permission (contracts/hubee.md §1.2).
 */

export function folderFor(hub: Hub, actor: Actor, folderId: string): StoredFolder {
  const folder = hub.state.folders[folderId];
  if (!folder) throw notFound('Folder');
  if (actor.role === 'OSL' && !sameOrganization(folder.owner, actor.organization)) throw unauthorizedUser();
  if (actor.role === 'SI') throw unauthorizedUser();
  return folder;
}

export function caseFor(hub: Hub, actor: Actor, caseId: string): { folder: StoredFolder; kase: StoredCase } {
  const kase = hub.state.cases[caseId];
  const folder = kase ? hub.state.folders[kase.folderId] : undefined;
  if (!kase || !folder) throw notFound('Case');
  if (actor.role === 'OSL' && !sameOrganization(folder.owner, actor.organization)) throw unauthorizedUser();
  if (actor.role === 'SI') {
    if (!sameOrganization(kase.recipient, actor.organization)) throw unauthorizedUser();
    // Until the OSL completes the folder the SI was not notified: for it the case does not exist yet.
    if (!isDelivered(folder)) throw notFound('Case');
  }
  return { folder, kase };
}

export function eventFor(hub: Hub, actor: Actor, caseId: string, eventId: string) {
  const { folder, kase } = caseFor(hub, actor, caseId);
  const event = hub.state.events[eventId];
  if (!event || event.caseId !== kase.id) throw notFound('event');
  return { folder, kase, event };
}

export function isDelivered(folder: StoredFolder): boolean {
  return folder.globalStatus !== 'HUBEE_RECEIVED' && folder.globalStatus !== 'HUBEE_COMPLETED';
}

/** Whether the actor is on the sending side of this event (its author's side). */
export function isTransmitterSide(actor: Actor, event: StoredEvent): boolean {
  if (actor.role === 'ADMIN') return event.transmitter.type === 'ADMIN';
  return sameOrganization(event.transmitter, actor.organization);
}
