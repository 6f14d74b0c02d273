import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { ClaimedShipment, ShipmentRepository } from '../db/repositories/shipments.ts';
import type { FormulaireQfInput } from '../domain/formulaire-qf/input.ts';
import type { Teledossier } from '../domain/formulaire-qf/teledossier.ts';
import type { Metrics } from '../metrics/recorder.ts';
import type { PersonalDataCipher } from '../security/personal-data-cipher.ts';

/**
 * Sends one recorded shipment to HubEE as a FormulaireQF folder, at most once:
 *   claim → (a folder from an earlier attempt? finish or undo it) → create folder → remember its id →
 *   upload the three files in parallel → mark complete → forget the personal data.
 * Any failure undoes the folder while HubEE allows it and leaves the shipment pending for a later attempt
 * with a longer delay; past the retry window the shipment is marked failed and its data erased (after a last
 * look: a folder HubEE completed is sent, an incomplete one deleted).
 *
 * The one case this cannot repair: HubEE creates the folder but its answer never reaches us. HubEE v1 has no
 * list endpoint and no search by externalId, so that folder cannot be found again; it stays HUBEE_RECEIVED,
 * never notified to the commune (so never a duplicate for it), holding the applicant's name until HubEE purges
 * it. Our client therefore waits longer for createFolder (30 s) than for any other call.
 * (src/usecases/transmit-shipment.test.ts measures it, with every other failure at every step.)
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
export type ShipmentPayload = Omit<FormulaireQfInput, 'transmittedAt' | 'previousTransmissionAt'> & { transmittedAt: string; previousTransmissionAt?: string | null };

export type TransmitOutcome =
  | { kind: 'sent'; reference: string }
  | { kind: 'retry_scheduled'; reference: string; inSeconds: number; reason: string }
  | { kind: 'failed'; reference: string; reason: string }
  /** Not pending any more, or another sender holds it right now. */
  | { kind: 'not_claimed'; reference: string };

export interface TransmitDeps {
  shipments: ShipmentRepository;
  /** The production HubEE: every family's shipment, and test dossiers recorded for it. */
  hubee: HubeeFolderPort;
  /** HubEE's qualification environment when configured: the test dossiers recorded for it. */
  qualificationHubee?: HubeeFolderPort | null;
  cipher: PersonalDataCipher;
  buildTeledossier: (input: FormulaireQfInput) => Promise<Teledossier>;
  logger: Logger;
  metrics: Pick<Metrics, 'record'>;
  /** Told once HubEE has the folder (the éditeurs' webhooks); it can neither delay nor fail the transmission. */
  onSent?: (reference: string) => Promise<unknown>;
  now?: () => Date;
  /** How long one attempt holds the shipment (300 s by default); another sender may take over after it. */
  leaseSeconds?: number;
  retryBaseSeconds?: number;
}

const DEFAULT_LEASE_SECONDS = 300;

/** Folder statuses that mean HubEE has the whole folder (completion reached it). */
const COMPLETED_STATUSES = new Set(['HUBEE_COMPLETED', 'HUBEE_NOTIFIED', 'SENT', 'SI_RECEIVED', 'IN_PROGRESS', 'ADD_AWAITING', 'DONE', 'REFUSED', 'CLOSED', 'ARCHIVED']);

export function shipmentPayloadContext(reference: string): string {
  return `shipment:${reference}`;
}

export function retryDelaySeconds(attempts: number, baseSeconds = 30): number {
  return Math.min(baseSeconds * 2 ** Math.max(0, attempts - 1), 3600);
}

export async function transmitShipment(baseDeps: TransmitDeps, reference: string): Promise<TransmitOutcome> {
  const leaseSeconds = baseDeps.leaseSeconds ?? DEFAULT_LEASE_SECONDS;
  const claimed = await baseDeps.shipments.claim(reference, leaseSeconds);
  if (!claimed) return { kind: 'not_claimed', reference };
  return transmitClaimedShipment(baseDeps, claimed);
}

/**
 * An attempt on a shipment this process holds: just claimed, or just recorded with its lease (the first attempt of
 * "Transmettre"). The lease is counted from now, a little after the database started it: never longer than held.
 */
export async function transmitClaimedShipment(baseDeps: TransmitDeps, claimed: ClaimedShipment): Promise<TransmitOutcome> {
  const { shipments, cipher, logger } = baseDeps;
  const reference = claimed.reference;
  const now = baseDeps.now ?? (() => new Date());
  const leaseSeconds = baseDeps.leaseSeconds ?? DEFAULT_LEASE_SECONDS;
  const lease = leaseClock(leaseSeconds);
  const log = logger.child({ reference, attempt: claimed.attempts, hubeeEnvironment: claimed.hubeeEnvironment });
  // The one pipeline, aimed at the HubEE recorded on the shipment. A qualification environment removed from the
  // configuration since leaves it failing like an unreachable HubEE: retried, then given up, never sent elsewhere.
  const hubee = claimed.hubeeEnvironment === 'qualification' ? (baseDeps.qualificationHubee ?? unconfiguredQualification) : baseDeps.hubee;
  const deps: TransmitDeps = { ...baseDeps, hubee };
  const count = (kind: 'transmission.sent' | 'transmission.retried' | 'transmission.failed') => {
    // A test dossier is no family's transmission: the figures never see it.
    if (claimed.isTest) return;
    deps.metrics.record({ kind, siret: claimed.collectivitySiret });
    if (kind !== 'transmission.sent') deps.metrics.record({ kind: 'upstream.failed', code: 'hubee' });
  };
  const sent = async (how: 'sent' | 'recovered'): Promise<TransmitOutcome> => {
    await shipments.markSent(reference);
    count('transmission.sent');
    announceSent(deps, reference, log);
    log.info({ event: 'shipment.sent', recovered: how === 'recovered' }, 'shipment sent to HubEE');
    return { kind: 'sent', reference };
  };
  /** The folder HubEE may hold for this shipment (recorded in the shipment), whatever its state. */
  let folderId = claimed.hubeeFolderId;

  try {
    // 1. A folder from an earlier attempt: complete means done; anything else is undone before starting again.
    if (folderId) {
      if (await settleEarlierFolder(deps, reference, folderId)) return await sent('recovered');
      folderId = null;
    }

    // 2. The télédossier, from the encrypted payload.
    const payload = cipher.decrypt<ShipmentPayload>(claimed.payload, shipmentPayloadContext(reference));
    const teledossier = await deps.buildTeledossier({
      ...payload,
      transmittedAt: new Date(payload.transmittedAt),
      // Shipments recorded before migration 0016 carry it in their payload, later ones on the shipment.
      previousTransmissionAt: payload.previousTransmissionAt ? new Date(payload.previousTransmissionAt) : claimed.previousTransmissionAt,
    });

    // 3. The folder, remembered at once so that a retry finds it instead of making another. Only while the lease
    //    is surely ours: past it, another sender may be creating its own folder for this shipment.
    lease.ensureHeld();
    const created = await hubee.createFolder(teledossier);
    if (!lease.held()) {
      await deleteQuietly(deps, reference, created.folderId);
      throw new LeaseRanOut();
    }
    await shipments.recordFolder(reference, created.folderId, created.caseId);
    folderId = created.folderId;

    // 4. The three files, then 5. completion (which notifies the commune).
    try {
      await uploadAll(hubee, created, teledossier);
      lease.ensureHeld();
      await hubee.completeFolder(created.folderId);
    } catch (error) {
      // Out of lease: the folder stays recorded; whoever holds the shipment now settles it.
      if (error instanceof LeaseRanOut) throw error;
      // Completion may have reached HubEE even though its answer did not reach us.
      if (await isComplete(hubee, created.folderId)) return await sent('recovered');
      if (await undoFolder(deps, reference, created.folderId)) folderId = null;
      throw error;
    }

    return await sent('sent');
  } catch (error) {
    if (error instanceof LeaseRanOut) {
      // Neither release nor fail: another sender may hold the shipment now, and the sweep finds it otherwise.
      log.warn({ event: 'shipment.lease_ran_out' }, 'attempt stopped: its lease ran out');
      return { kind: 'not_claimed', reference };
    }
    const reason = describe(error);
    if (now().getTime() >= claimed.giveUpAt.getTime()) {
      // A last look before giving up: HubEE may have completed the folder after all, and an incomplete one
      // (with the applicant's name) should not outlive the shipment.
      if (folderId && (await lastLook(deps, reference, folderId))) return await sent('recovered');
      await shipments.markFailed(reference, reason);
      count('transmission.failed');
      log.error({ event: 'shipment.failed', reason }, 'shipment given up after the retry window');
      return { kind: 'failed', reference, reason };
    }
    const inSeconds = retryDelaySeconds(claimed.attempts, deps.retryBaseSeconds);
    await shipments.release(reference, inSeconds, reason);
    count('transmission.retried');
    log.warn({ event: 'shipment.retry_scheduled', reason, inSeconds }, 'shipment will be retried');
    return { kind: 'retry_scheduled', reference, inSeconds, reason };
  }
}

/**
 * The lease by our own clock. Past half of it we start nothing another sender could be doing at the same time
 * (creating or completing a folder): the other half covers the call in flight (createFolder waits up to 30 s,
 * with a token fetch and a 401 retry on top).
 */
function leaseClock(leaseSeconds: number) {
  const started = performance.now();
  const held = () => performance.now() - started < (leaseSeconds * 1000) / 2;
  return {
    held,
    ensureHeld: () => {
      if (!held()) throw new LeaseRanOut();
    },
  };
}

class QualificationNotConfigured extends Error {
  override name = 'QualificationNotConfigured';
  constructor() {
    super('HubEE qualification environment is no longer configured (HUBEE_QUALIFICATION_*)');
  }
}

const refuse = async (): Promise<never> => {
  throw new QualificationNotConfigured();
};
const unconfiguredQualification: HubeeFolderPort = { createFolder: refuse, uploadAttachment: refuse, completeFolder: refuse, folderStatus: refuse, deleteFolder: refuse };

class LeaseRanOut extends Error {
  override name = 'LeaseRanOut';
  constructor() {
    super('the attempt outlived half of its lease');
  }
}

/** Waits for every upload, so that an undo never races an upload still in flight. */
async function uploadAll(
  hubee: HubeeFolderPort,
  created: { folderId: string; attachmentIds: string[] },
  teledossier: Teledossier,
): Promise<void> {
  const results = await Promise.allSettled(
    teledossier.attachments.map(async (file, index) => {
      const attachmentId = created.attachmentIds[index];
      if (!attachmentId) throw new Error(`HubEE returned no attachment id for file ${index + 1}`);
      await hubee.uploadAttachment(created.folderId, attachmentId, file.bytes, sha256Base64(file.bytes));
    }),
  );
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) throw failure.reason;
}

/** Fire and forget: the shipment is sent whatever becomes of the announcement. */
function announceSent(deps: TransmitDeps, reference: string, log: Logger): void {
  const { onSent } = deps;
  if (!onSent) return;
  void Promise.resolve()
    .then(() => onSent(reference))
    .catch((error: unknown) => log.warn({ event: 'shipment.sent_hook_failed', reason: describe(error) }, 'the sent hook failed'));
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

/** Best effort, true when done: if the delete fails too, the recorded folder id lets the next attempt finish the job. */
async function undoFolder(deps: TransmitDeps, reference: string, folderId: string): Promise<boolean> {
  try {
    await deps.hubee.deleteFolder(folderId);
    await deps.shipments.forgetFolder(reference);
    return true;
  } catch (error) {
    deps.logger.warn({ reference, event: 'shipment.undo_failed', reason: describe(error) }, 'could not delete the incomplete folder yet');
    return false;
  }
}

/** A folder nobody will ever record: delete it if HubEE lets us, else it stays incomplete (never notified). */
async function deleteQuietly(deps: TransmitDeps, reference: string, folderId: string): Promise<void> {
  try {
    await deps.hubee.deleteFolder(folderId);
  } catch (error) {
    deps.logger.warn({ reference, event: 'shipment.orphan_folder', reason: describe(error) }, 'an unrecorded incomplete folder stays in HubEE');
  }
}

/** Past the retry window: true when HubEE has the folder complete; an incomplete one is deleted if possible. */
async function lastLook(deps: TransmitDeps, reference: string, folderId: string): Promise<boolean> {
  try {
    const status = await deps.hubee.folderStatus(folderId);
    if (status !== null && COMPLETED_STATUSES.has(status)) return true;
    if (status !== null) await deps.hubee.deleteFolder(folderId);
    await deps.shipments.forgetFolder(reference);
  } catch (error) {
    deps.logger.warn({ reference, event: 'shipment.orphan_folder', reason: describe(error) }, 'the incomplete folder could not be deleted before giving up');
  }
  return false;
}

function sha256Base64(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64');
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
