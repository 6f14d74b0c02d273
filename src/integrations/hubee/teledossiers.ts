import { createHash } from 'node:crypto';
import { z } from 'zod';
import { HubeeError } from './errors.ts';
import {
  caseSchema,
  eventSchema,
  folderSchema,
  notificationSchema,
  type Case,
  type CaseStatus,
  type CreateEventInput,
  type CreateFolderInput,
  type Folder,
  type FolderStatus,
  type HubeeEvent,
  type ListNotificationsOptions,
  type Notification,
} from './schemas.ts';
import type { HubeeTransport } from './transport.ts';

const BASE = '/teledossiers/v1';
const seg = encodeURIComponent;

/** Base64 SHA-256, the form of HubEE's `digest` header. */
export function sha256Digest(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64');
}

export interface DownloadedAttachment {
  bytes: Buffer;
  /** HubEE's `digest` header (already checked against the bytes), null when it sent none. */
  digest: string | null;
}

/** The télédossier calls: the OSL's (folders, uploads) and both sides' (cases, events, notifications). */
export function teledossierOperations(transport: HubeeTransport, timeouts: { uploadTimeoutMs: number; createFolderTimeoutMs: number }) {
  const { uploadTimeoutMs, createFolderTimeoutMs } = timeouts;
  return {
    createFolder: (input: CreateFolderInput): Promise<Folder> =>
      transport.json(
        { operation: 'createFolder', method: 'POST', path: `${BASE}/folders`, json: input, timeoutMs: createFolderTimeoutMs },
        folderSchema,
      ),

    getFolder: (folderId: string): Promise<Folder> =>
      transport.json({ operation: 'getFolder', method: 'GET', path: `${BASE}/folders/${seg(folderId)}` }, folderSchema),

    /** `digest` (base64 SHA-256, see sha256Digest) lets HubEE refuse a corrupted transfer. */
    uploadAttachment: async (folderId: string, attachmentId: string, bytes: Uint8Array, options: { digest?: string } = {}): Promise<void> => {
      await transport.call({
        operation: 'uploadAttachment',
        method: 'PUT',
        path: `${BASE}/folders/${seg(folderId)}/attachments/${seg(attachmentId)}`,
        bytes,
        ...(options.digest ? { headers: { digest: options.digest } } : {}),
        timeoutMs: uploadTimeoutMs,
      });
    },

    /** HubEE then notifies the recipients and moves the folder and its cases to HUBEE_NOTIFIED. */
    markFolderCompleted: async (folderId: string): Promise<void> => {
      await transport.call({
        operation: 'markFolderCompleted',
        method: 'PATCH',
        path: `${BASE}/folders/${seg(folderId)}`,
        json: { globalStatus: 'HUBEE_COMPLETED' },
      });
    },

    /** E.g. CLOSED once the cases are closed (HubEE never changes cases from the folder). */
    updateFolderStatus: async (folderId: string, globalStatus: FolderStatus, closeDateTime?: string): Promise<void> => {
      await transport.call({
        operation: 'updateFolderStatus',
        method: 'PATCH',
        path: `${BASE}/folders/${seg(folderId)}`,
        json: closeDateTime ? { globalStatus, closeDateTime } : { globalStatus },
      });
    },

    /** Only possible while the folder is HUBEE_RECEIVED (the rollback of a failed transmission). */
    deleteFolder: async (folderId: string): Promise<void> => {
      await transport.call({ operation: 'deleteFolder', method: 'DELETE', path: `${BASE}/folders/${seg(folderId)}` });
    },

    getCase: (caseId: string, options: { lite?: boolean } = {}): Promise<Case> =>
      transport.json(
        {
          operation: 'getCase',
          method: 'GET',
          path: `${BASE}/cases/${seg(caseId)}`,
          ...(options.lite ? { query: new URLSearchParams({ lite: 'true' }) } : {}),
        },
        caseSchema,
      ),

    /** HubEE expects an event afterwards (createEvent with notification: true) so the other side hears of it. */
    updateCaseStatus: async (caseId: string, status: CaseStatus): Promise<void> => {
      await transport.call({ operation: 'updateCaseStatus', method: 'PATCH', path: `${BASE}/cases/${seg(caseId)}`, json: { status } });
    },

    /** Downloads a file of the case and checks it against HubEE's `digest` header when there is one. */
    downloadCaseAttachment: async (caseId: string, attachmentId: string, options: { maxBytes?: number } = {}): Promise<DownloadedAttachment> => {
      const operation = 'downloadCaseAttachment';
      const response = await transport.call({
        operation,
        method: 'GET',
        path: `${BASE}/cases/${seg(caseId)}/attachments/${seg(attachmentId)}`,
        headers: { accept: 'application/octet-stream' },
        timeoutMs: uploadTimeoutMs,
        ...(options.maxBytes !== undefined ? { maxBodyBytes: options.maxBytes } : {}),
      });
      const header = response.headers.get('digest');
      const digest = header ? header.trim().replace(/^sha-256=/i, '') : null;
      if (digest !== null && digest !== sha256Digest(response.body)) {
        throw new HubeeError('server', {
          operation,
          status: response.status,
          code: null,
          hubeeMessage: 'The downloaded file does not match its digest header',
          requestId: response.requestId,
        });
      }
      return { bytes: response.body, digest };
    },

    createEvent: (caseId: string, input: CreateEventInput): Promise<HubeeEvent> =>
      transport.json({ operation: 'createEvent', method: 'POST', path: `${BASE}/cases/${seg(caseId)}/events`, json: input }, eventSchema),

    getEvent: (caseId: string, eventId: string): Promise<HubeeEvent> =>
      transport.json({ operation: 'getEvent', method: 'GET', path: `${BASE}/cases/${seg(caseId)}/events/${seg(eventId)}` }, eventSchema),

    /** RECEIVED acknowledges the other side's event; SENT releases one's own ATTACH_DEPOSIT. */
    updateEventStatus: async (caseId: string, eventId: string, status: 'SENT' | 'RECEIVED'): Promise<void> => {
      await transport.call({
        operation: 'updateEventStatus',
        method: 'PATCH',
        path: `${BASE}/cases/${seg(caseId)}/events/${seg(eventId)}`,
        json: { status },
      });
    },

    listNotifications: (options: ListNotificationsOptions = {}): Promise<Notification[]> => {
      const query = new URLSearchParams();
      if (options.maxResult !== undefined) query.set('maxResult', String(options.maxResult));
      for (const code of toList(options.processCode)) query.append('processCode', code);
      if (options.eventDetails) query.set('eventDetails', 'true');
      return transport.json(
        { operation: 'listNotifications', method: 'GET', path: `${BASE}/notifications`, query },
        z.array(notificationSchema),
      );
    },

    deleteNotification: async (notificationId: string): Promise<void> => {
      await transport.call({ operation: 'deleteNotification', method: 'DELETE', path: `${BASE}/notifications/${seg(notificationId)}` });
    },
  };
}

export function toList(value: string | readonly string[] | undefined): readonly string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : value;
}
