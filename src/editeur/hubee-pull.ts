import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { HubeeError, type Case, type CaseStatus, type Notification } from '../integrations/hubee/client.ts';
import { TransportError } from '../integrations/http.ts';
import { appendLine, ensureDirectory, writeFileAtomically } from './atomic-files.ts';
import { checkFormulaireQfJson } from './formulaire-qf-schema.ts';
import { FORMULAIRE_QF_PROCESS, type HubeeSiClient } from './hubee.ts';

/**
 * `hubee pull`: what a commune's software does with its SI credentials (contracts/hubee.md §2.5). Notifications are
 * read 25 at a time until a batch comes back short; for a new case its files are downloaded into a folder of
 * their own (sizes and digests checked, FormulaireQF.json validated against our JSON Schema), the case moves to
 * SI_RECEIVED with a STATUS_UPDATE event so that the family sees it, and only then the notification is deleted.
 *
 * Crash-safe and idempotent: a case folder appears by one rename once complete; HubEE's own state says what is
 * left to acknowledge; a notification is deleted last. Running again after a crash finishes the work, and running
 * twice downloads nothing twice.
 */
export const NOTIFICATION_BATCH = 25;
const WORK_DIR = '.formulaire-qf';

export interface PulledFile {
  fileName: string;
  type: string;
  mimeType: string;
  size: number;
  /** Base64 SHA-256, the form of HubEE's digest header. */
  sha256: string;
}

/** `case.json` in each case folder. */
export interface PulledCase {
  caseId: string;
  externalId: string | null;
  transmittedAt: string | null;
  pulledAt: string;
  files: PulledFile[];
  /** FormulaireQF.json against the schema; errors name paths, never values. */
  schema: { valid: true } | { valid: false; errors: string[] };
}

export type PullStep = 'downloaded' | 'case_sent' | 'case_received' | 'event_created' | 'notification_deleted';

export interface PullOptions {
  hubee: HubeeSiClient;
  /** Where case folders go (one per case, named after the case's external id). */
  directory: string;
  /** Written in the STATUS_UPDATE events. */
  author?: string;
  batchSize?: number;
  onProgress?: (event: { kind: 'case'; caseId: string; folder: string; fresh: boolean } | { kind: 'batch'; size: number }) => void;
  /** Tests: called after each step, e.g. to stop the process there. */
  afterStep?: (step: PullStep, caseId: string) => Promise<void> | void;
}

export interface PullSummary {
  notificationsRead: number;
  casesDownloaded: number;
  casesAlreadyThere: number;
  casesAcknowledged: number;
  eventsAcknowledged: number;
  notificationsDeleted: number;
  /** Cases whose FormulaireQF.json does not match the schema (kept, to be looked at). */
  invalid: { caseId: string; folder: string; errors: string[] }[];
  folders: string[];
}

export class PullIntegrityError extends Error {
  override name = 'PullIntegrityError';
}

export async function pullCases(options: PullOptions): Promise<PullSummary> {
  const { hubee, directory } = options;
  const batchSize = options.batchSize ?? NOTIFICATION_BATCH;
  const step = async (name: PullStep, caseId: string) => options.afterStep?.(name, caseId);
  const summary: PullSummary = { notificationsRead: 0, casesDownloaded: 0, casesAlreadyThere: 0, casesAcknowledged: 0, eventsAcknowledged: 0, notificationsDeleted: 0, invalid: [], folders: [] };
  // Before any call to HubEE: a directory the tool cannot write into is said at once.
  await ensureDirectory(directory);
  await ensureDirectory(join(directory, WORK_DIR));
  const journal = join(directory, WORK_DIR, 'journal.jsonl');

  for (;;) {
    const batch = await hubee.listNotifications({ maxResult: batchSize, processCode: FORMULAIRE_QF_PROCESS, eventDetails: true });
    options.onProgress?.({ kind: 'batch', size: batch.length });
    summary.notificationsRead += batch.length;
    for (const notification of batch) {
      if (notification.processCode !== FORMULAIRE_QF_PROCESS || !notification.caseId) continue;
      const caseId = notification.caseId;
      if (notification.eventId === null) {
        const folder = await receiveCase(hubee, directory, caseId, summary, options, step);
        // Acknowledged only when what is on disk is this very case, complete.
        if ((await readPulledCase(folder))?.caseId !== caseId) throw new PullIntegrityError(`case ${caseId}: ${folder} does not hold it; not acknowledged`);
        await acknowledgeCase(hubee, caseId, options.author ?? 'Commune', summary, step);
        options.onProgress?.({ kind: 'case', caseId, folder, fresh: true });
        await appendLine(journal, JSON.stringify({ at: new Date().toISOString(), caseId, folder, notificationId: notification.id, done: 'case' }));
      } else {
        await acknowledgeEvent(hubee, notification, summary);
        await appendLine(journal, JSON.stringify({ at: new Date().toISOString(), caseId, eventId: notification.eventId, notificationId: notification.id, done: 'event' }));
      }
      await deleteNotification(hubee, notification.id);
      summary.notificationsDeleted++;
      await step('notification_deleted', caseId);
    }
    if (batch.length < batchSize) break;
  }
  return summary;
}

/** Downloads the case into its folder unless a complete folder is already there; returns the folder. */
async function receiveCase(hubee: HubeeSiClient, directory: string, caseId: string, summary: PullSummary, options: PullOptions, step: (s: PullStep, c: string) => Promise<void>): Promise<string> {
  const kase = await hubee.getCase(caseId);
  const { folder, existing } = await folderFor(directory, kase);
  summary.folders.push(folder);
  if (existing) {
    summary.casesAlreadyThere++;
    if (!existing.schema.valid) summary.invalid.push({ caseId, folder, errors: existing.schema.errors });
    return folder;
  }
  // Downloaded in a private temporary folder, renamed into place once everything is checked and on disk.
  const temporary = join(directory, WORK_DIR, 'incoming', caseId.replace(/[^A-Za-z0-9-]/g, '_'));
  await rm(temporary, { recursive: true, force: true });
  await mkdir(temporary, { recursive: true });
  const files: PulledFile[] = [];
  let schema: PulledCase['schema'] = { valid: false, errors: ['FormulaireQF.json absent'] };
  for (const attachment of kase.attachments) {
    const fileName = safeFileName(attachment.fileName);
    let downloaded;
    try {
      // Read as a stream and stopped past the declared size: a file bigger than announced is never held whole.
      downloaded = await hubee.downloadCaseAttachment(caseId, attachment.id, { maxBytes: attachment.size });
    } catch (error) {
      if (error instanceof HubeeError && error.cause instanceof TransportError && error.cause.failure.kind === 'too_large') {
        throw new PullIntegrityError(`case ${caseId}: ${fileName} is larger than the ${attachment.size} bytes HubEE declared`);
      }
      throw error;
    }
    if (downloaded.bytes.length !== attachment.size) {
      throw new PullIntegrityError(`case ${caseId}: ${fileName} has ${downloaded.bytes.length} bytes, HubEE declared ${attachment.size}`);
    }
    const sha256 = createHash('sha256').update(downloaded.bytes).digest('base64');
    if (downloaded.digest !== null && downloaded.digest !== sha256) throw new PullIntegrityError(`case ${caseId}: ${fileName} does not match its digest`);
    if (fileName === 'FormulaireQF.json') schema = validateJson(downloaded.bytes);
    await writeFileAtomically(join(temporary, fileName), downloaded.bytes);
    files.push({ fileName, type: attachment.type, mimeType: attachment.mimeType, size: attachment.size, sha256 });
  }
  const pulled: PulledCase = { caseId, externalId: kase.externalId, transmittedAt: kase.transmissionDateTime, pulledAt: new Date().toISOString(), files, schema };
  await writeFileAtomically(join(temporary, 'case.json'), `${JSON.stringify(pulled, null, 2)}\n`);
  await rm(folder, { recursive: true, force: true });
  await rename(temporary, folder);
  summary.casesDownloaded++;
  if (!schema.valid) summary.invalid.push({ caseId, folder, errors: schema.errors });
  await step('downloaded', caseId);
  return folder;
}

/**
 * HUBEE_NOTIFIED → SENT → SI_RECEIVED, then the event that notifies the sender. What HubEE already has is not
 * done again: after a crash between the move and the event, the event is created once.
 */
async function acknowledgeCase(hubee: HubeeSiClient, caseId: string, author: string, summary: PullSummary, step: (s: PullStep, c: string) => Promise<void>): Promise<void> {
  let kase = await hubee.getCase(caseId);
  if (kase.status === 'HUBEE_NOTIFIED') {
    await hubee.updateCaseStatus(caseId, 'SENT');
    await step('case_sent', caseId);
    kase = { ...kase, status: 'SENT' };
  }
  if (kase.status === 'SENT') {
    await hubee.updateCaseStatus(caseId, 'SI_RECEIVED');
    await step('case_received', caseId);
    kase = await hubee.getCase(caseId);
  }
  const announced = kase.events.some((e) => e.actionType === 'STATUS_UPDATE' && e.caseNewStatus === 'SI_RECEIVED' && e.transmitter?.type !== 'OSL');
  if (kase.status === 'SI_RECEIVED' && !announced) {
    await hubee.createEvent(caseId, {
      actionType: 'STATUS_UPDATE',
      author,
      notification: true,
      caseCurrentStatus: 'SENT' as CaseStatus,
      caseNewStatus: 'SI_RECEIVED',
      message: 'Dossier reçu par la commune.',
    });
    summary.casesAcknowledged++;
    await step('event_created', caseId);
  }
}

/** An event of the other side (e.g. the form closing the case): read, then acknowledged. */
async function acknowledgeEvent(hubee: HubeeSiClient, notification: Notification, summary: PullSummary): Promise<void> {
  if (!notification.caseId || !notification.eventId || notification.eventStatus === 'RECEIVED') return;
  try {
    const event = await hubee.getEvent(notification.caseId, notification.eventId);
    if (event.status === 'SENT') {
      await hubee.updateEventStatus(notification.caseId, notification.eventId, 'RECEIVED');
      summary.eventsAcknowledged++;
    }
  } catch (error) {
    // A case or event HubEE no longer has: nothing left to acknowledge.
    if (!(error instanceof HubeeError && error.kind === 'not_found')) throw error;
  }
}

async function deleteNotification(hubee: HubeeSiClient, id: string): Promise<void> {
  try {
    await hubee.deleteNotification(id);
  } catch (error) {
    if (!(error instanceof HubeeError && error.kind === 'not_found')) throw error;
  }
}

function validateJson(bytes: Buffer): PulledCase['schema'] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    return { valid: false, errors: ['FormulaireQF.json is not JSON'] };
  }
  return checkFormulaireQfJson(parsed);
}

/** The case's external id (Formulaire-QF-<reference>-01) names its folder; the case id when it has none. */
export function folderName(kase: Pick<Case, 'id' | 'externalId'>): string {
  return safeFileName(kase.externalId ?? kase.id);
}

/**
 * The folder of a case, and what it already holds of it. Two external ids can clean up to the same name
 * (`a/1`, `a:1`): a folder holding another case is never taken for this one; the case id is then added to the name.
 */
async function folderFor(directory: string, kase: Pick<Case, 'id' | 'externalId'>): Promise<{ folder: string; existing: PulledCase | null }> {
  const base = folderName(kase);
  for (const name of [base, `${base}--${safeFileName(kase.id)}`]) {
    const folder = join(directory, name);
    const existing = await readPulledCase(folder);
    if (existing === null || existing.caseId === kase.id) return { folder, existing };
  }
  throw new PullIntegrityError(`case ${kase.id}: its folder names are taken by other cases`);
}

function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[^\p{L}\p{N}._ -]/gu, '_').replace(/^\.+/, '_');
  return cleaned === '' ? '_' : cleaned.slice(0, 200);
}

export async function readPulledCase(folder: string): Promise<PulledCase | null> {
  try {
    return JSON.parse(await readFile(join(folder, 'case.json'), 'utf8')) as PulledCase;
  } catch {
    return null;
  }
}

/** The case folders of a pull directory. */
export async function listPulledCases(directory: string): Promise<{ folder: string; pulled: PulledCase }[]> {
  const found: { folder: string; pulled: PulledCase }[] = [];
  for (const entry of await readdir(directory).catch(() => [] as string[])) {
    if (entry.startsWith('.')) continue;
    const folder = join(directory, entry);
    if (!(await stat(folder)).isDirectory()) continue;
    const pulled = await readPulledCase(folder);
    if (pulled) found.push({ folder, pulled });
  }
  return found.sort((a, b) => a.folder.localeCompare(b.folder));
}
