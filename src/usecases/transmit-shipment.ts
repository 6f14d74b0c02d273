import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { ShipmentRepository } from '../db/repositories/shipments.ts';
import type { FormulaireQfInput } from '../domain/formulaire-qf/input.ts';
import type { Teledossier } from '../domain/formulaire-qf/teledossier.ts';
import type { PersonalDataCipher } from '../security/personal-data-cipher.ts';

/**
 * Sends one recorded shipment to HubEE as a FormulaireQF folder, at most once:
 *   claim → (a folder from an earlier attempt? finish or undo it) → create folder → remember its id →
 *   upload the three files in parallel → mark complete → forget the personal data.
 * Any failure undoes the folder while HubEE allows it and leaves the shipment pending for a later attempt
 * with a longer delay; past the retry window the shipment is marked failed and its data erased.
 */

/** The part of HubEE this use case needs, in our own words. */
export interface HubeeFolderPort {
  /** Attachment ids come back in the order of the télédossier's attachments. */
  createFolder(teledossier: Teledossier): Promise<{ folderId: string; caseId: string; attachmentIds: string[] }>;
  uploadAttachment(folderId: string, attachmentId: string, bytes: Uint8Array, digest: string): Promise<void>;
  completeFolder(folderId: string): Promise<void>;
  /** The folder's globalStatus, or null when HubEE does not know it. */
  folderStatus(folderId: string): Promise<string | null>;
  deleteFolder(folderId: string): Promise<void>;
}

/** What the encrypted shipment payload holds; `transmittedAt` as an ISO string. */
export type ShipmentPayload = Omit<FormulaireQfInput, 'transmittedAt'> & { transmittedAt: string };

export type TransmitOutcome =
  | { kind: 'sent'; reference: string }
  | { kind: 'retry_scheduled'; reference: string; inSeconds: number; reason: string }
  | { kind: 'failed'; reference: string; reason: string }
  /** Not pending any more, or another sender holds it right now. */
  | { kind: 'not_claimed'; reference: string };

export interface TransmitDeps {
  shipments: ShipmentRepository;
  hubee: HubeeFolderPort;
  cipher: PersonalDataCipher;
  buildTeledossier: (input: FormulaireQfInput) => Promise<Teledossier>;
  logger: Logger;
  now?: () => Date;
  /** Long enough for the slowest complete attempt; another sender may take over after it. */
  leaseSeconds?: number;
  retryBaseSeconds?: number;
}

/** Folder statuses that mean HubEE has the whole folder (completion reached it). */
const COMPLETED_STATUSES = new Set(['HUBEE_COMPLETED', 'HUBEE_NOTIFIED', 'SENT', 'SI_RECEIVED', 'IN_PROGRESS', 'ADD_AWAITING', 'DONE', 'REFUSED', 'CLOSED', 'ARCHIVED']);

export function shipmentPayloadContext(reference: string): string {
  return `shipment:${reference}`;
}

export function retryDelaySeconds(attempts: number, baseSeconds = 30): number {
  return Math.min(baseSeconds * 2 ** Math.max(0, attempts - 1), 3600);
}

export async function transmitShipment(deps: TransmitDeps, reference: string): Promise<TransmitOutcome> {
  const { shipments, hubee, cipher, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const claimed = await shipments.claim(reference, deps.leaseSeconds ?? 120);
  if (!claimed) return { kind: 'not_claimed', reference };
  const log = logger.child({ reference, attempt: claimed.attempts });

  try {
    if (claimed.hubeeFolderId) {
      const finished = await settleEarlierFolder(deps, reference, claimed.hubeeFolderId);
      if (finished) {
        await shipments.markSent(reference);
        log.info({ event: 'shipment.sent', recovered: true }, 'shipment found complete in HubEE');
        return { kind: 'sent', reference };
      }
    }

    const payload = cipher.decrypt<ShipmentPayload>(claimed.payload, shipmentPayloadContext(reference));
    const teledossier = await deps.buildTeledossier({ ...payload, transmittedAt: new Date(payload.transmittedAt) });
    const created = await hubee.createFolder(teledossier);
    await shipments.recordFolder(reference, created.folderId, created.caseId);

    try {
      await Promise.all(
        teledossier.attachments.map((file, index) => {
          const attachmentId = created.attachmentIds[index];
          if (!attachmentId) throw new Error(`HubEE returned no attachment id for file ${index + 1}`);
          return hubee.uploadAttachment(created.folderId, attachmentId, file.bytes, sha256Base64(file.bytes));
        }),
      );
      await hubee.completeFolder(created.folderId);
    } catch (error) {
      // Completion may have reached HubEE even though its answer did not reach us.
      if (await isComplete(hubee, created.folderId)) {
        await shipments.markSent(reference);
        log.info({ event: 'shipment.sent', recovered: true }, 'shipment complete despite a failed answer');
        return { kind: 'sent', reference };
      }
      await undoFolder(deps, reference, created.folderId);
      throw error;
    }

    await shipments.markSent(reference);
    log.info({ event: 'shipment.sent' }, 'shipment sent to HubEE');
    return { kind: 'sent', reference };
  } catch (error) {
    const reason = describe(error);
    if (now().getTime() >= claimed.giveUpAt.getTime()) {
      await shipments.markFailed(reference, reason);
      log.error({ event: 'shipment.failed', reason }, 'shipment given up after the retry window');
      return { kind: 'failed', reference, reason };
    }
    const inSeconds = retryDelaySeconds(claimed.attempts, deps.retryBaseSeconds);
    await shipments.release(reference, inSeconds, reason);
    log.warn({ event: 'shipment.retry_scheduled', reason, inSeconds }, 'shipment will be retried');
    return { kind: 'retry_scheduled', reference, inSeconds, reason };
  }
}

/** True when the earlier attempt's folder is complete; otherwise it is undone and forgotten. */
async function settleEarlierFolder(deps: TransmitDeps, reference: string, folderId: string): Promise<boolean> {
  const status = await deps.hubee.folderStatus(folderId);
  if (status !== null && COMPLETED_STATUSES.has(status)) return true;
  if (status === null) {
    await deps.shipments.forgetFolder(reference);
    return false;
  }
  await deps.hubee.deleteFolder(folderId);
  await deps.shipments.forgetFolder(reference);
  return false;
}

async function isComplete(hubee: HubeeFolderPort, folderId: string): Promise<boolean> {
  try {
    const status = await hubee.folderStatus(folderId);
    return status !== null && COMPLETED_STATUSES.has(status);
  } catch {
    return false;
  }
}

/** Best effort: if the delete fails too, the recorded folder id lets the next attempt finish the job. */
async function undoFolder(deps: TransmitDeps, reference: string, folderId: string): Promise<void> {
  try {
    await deps.hubee.deleteFolder(folderId);
    await deps.shipments.forgetFolder(reference);
  } catch (error) {
    deps.logger.warn({ reference, event: 'shipment.undo_failed', reason: describe(error) }, 'could not delete the incomplete folder yet');
  }
}

function sha256Base64(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64');
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
