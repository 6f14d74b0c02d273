import type { Logger } from 'pino';
import type { FollowUpClaims } from '../db/repositories/hubee-follow-up-claims.ts';
import type { HubeeClosingStep, ShipmentRecord, ShipmentRepository } from '../db/repositories/shipments.ts';
import { communeMessageFrom } from '../domain/commune-message.ts';
import type { HubeeEnvironment } from '../domain/hubee-environment.ts';
import { applyStatusUpdate, isFinalStatus, shipmentStatusFromHubee, type ShipmentStatus } from '../domain/shipment-status.ts';
import { HubeeError, type HubeeClient, type Notification } from '../integrations/hubee/client.ts';

/**
 * The HubEE follow-up (contracts/hubee.md §2.4): reads our OSL's notifications, mirrors the statuses the communes
 * set on their cases, and closes the case then the folder once the commune is done.
 *
 * The notifications queue is shared by every process of our OSL: we ask HubEE for FormulaireQF only, and still
 * never touch a notification of another process. A notification is deleted only once everything it asked for is
 * done, so a run that fails half-way leaves it for the next run, which resumes (closing steps are recorded and
 * HubEE's "already closed" is fine). Each notification and each closing is claimed in the database first, so
 * that several instances running at once never do the same work twice.
 */

export const FORMULAIRE_QF_PROCESS = 'FormulaireQF';
const CLOSING_MESSAGE = 'Dossier traité par le service.';
const CLOSING_AUTHOR = 'DINUM';
/** Beyond any sane run over one notification; an instance that died releases its work after this. */
const CLAIM_LEASE_SECONDS = 120;
/** A run stops after this many batches even if HubEE keeps answering full ones; the next run goes on. */
const MAX_BATCHES_PER_RUN = 50;
/**
 * Notifications of a batch handled at once. Each costs three HubEE round trips or more: one at a time, the
 * follow-up was capped at a few per second by the network alone (bench/hubee-follow-up.ts measured 5/s at 50 ms).
 */
const DEFAULT_CONCURRENCY = 32;

/** What the éditeur webhooks (and anyone else) hear after the follow-up stored a new status. */
export interface ShipmentStatusChange {
  reference: string;
  collectivitySiret: string;
  externalId: string | null;
  previous: ShipmentStatus;
  status: ShipmentStatus;
  /** The commune's date for this status. */
  at: Date;
}

export type ShipmentStatusChangedHook = (change: ShipmentStatusChange) => Promise<void>;

/** The HubEE calls the follow-up makes, with our OSL credentials. */
export type HubeeFollowUpPort = Pick<
  HubeeClient,
  'listNotifications' | 'deleteNotification' | 'getEvent' | 'updateEventStatus' | 'getCase' | 'updateCaseStatus' | 'createEvent' | 'getFolder' | 'updateFolderStatus'
>;

export interface FollowUpDeps {
  hubee: HubeeFollowUpPort;
  /**
   * Which HubEE `hubee` reaches ('production' by default): only that environment's shipments are matched to its
   * cases, and its claims are its own (each environment numbers its notifications and cases on its own).
   */
  environment?: HubeeEnvironment;
  shipments: ShipmentRepository;
  claims: FollowUpClaims;
  logger: Logger;
  /** Names this run in the claims table (diagnostics only). */
  owner: string;
  batchSize: number;
  /** How many notifications of a batch are handled at once; those of one case always one after the other. */
  concurrency?: number;
  /** Called after a new status is stored; a failure is logged and does not stop the follow-up. */
  onShipmentStatusChanged?: ShipmentStatusChangedHook;
  now?: () => Date;
}

export interface FollowUpSummary {
  /** Notifications seen in HubEE's answers. */
  read: number;
  /** Ours, done and deleted. */
  processed: number;
  /** Another instance held them. */
  busy: number;
  /** Another process's: left in the queue, untouched. */
  foreign: number;
  /** Left in the queue for the next run. */
  failed: number;
  statusesStored: number;
  casesClosed: number;
}

export async function processHubeeNotifications(deps: FollowUpDeps): Promise<FollowUpSummary> {
  const summary: FollowUpSummary = { read: 0, processed: 0, busy: 0, foreign: 0, failed: 0, statusesStored: 0, casesClosed: 0 };
  for (let batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
    const notifications = await deps.hubee.listNotifications({ maxResult: deps.batchSize, processCode: FORMULAIRE_QF_PROCESS });
    summary.read += notifications.length;
    let progressed = false;
    // Cases in parallel, each case's notifications in HubEE's order (a status never overtakes an earlier one).
    await eachWithConcurrency(groupedByCase(notifications), deps.concurrency ?? DEFAULT_CONCURRENCY, async (ofOneCase) => {
      for (const notification of ofOneCase) {
        const outcome = await processOne(deps, notification, summary);
        summary[outcome] += 1;
        if (outcome === 'processed') progressed = true;
        // A notification another run holds must not be overtaken by a later one of its case: that later status
        // would be applied first and the earlier one then dropped as going backwards. (A failed one has had its
        // status stored already — what fails is HubEE's bookkeeping after it — so the next ones may go on.)
        if (outcome === 'busy') break;
      }
    });
    // A full batch means more may be waiting; but when nothing in it could be removed, asking again would
    // return the same notifications.
    if (notifications.length < deps.batchSize || !progressed) break;
  }
  return summary;
}

/** The runs over several HubEE environments, as one. */
export function sumFollowUps(summaries: readonly FollowUpSummary[]): FollowUpSummary {
  const total: FollowUpSummary = { read: 0, processed: 0, busy: 0, foreign: 0, failed: 0, statusesStored: 0, casesClosed: 0 };
  for (const summary of summaries) for (const key of Object.keys(total) as (keyof FollowUpSummary)[]) total[key] += summary[key];
  return total;
}

type Outcome = 'processed' | 'busy' | 'foreign' | 'failed';

function groupedByCase(notifications: readonly Notification[]): Notification[][] {
  const groups = new Map<string, Notification[]>();
  for (const notification of notifications) {
    const key = notification.caseId ?? `notification:${notification.id}`;
    const group = groups.get(key);
    if (group) group.push(notification);
    else groups.set(key, [notification]);
  }
  return [...groups.values()];
}

/** Runs `work` on every item, at most `concurrency` at a time (a rejection, e.g. the database gone, rejects the whole). */
async function eachWithConcurrency<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
}

async function processOne(deps: FollowUpDeps, notification: Notification, summary: FollowUpSummary): Promise<Outcome> {
  // The filter asked HubEE for ours only; this guards the shared queue should a gateway ignore it.
  if (notification.processCode !== FORMULAIRE_QF_PROCESS) return 'foreign';
  const key = claimKey(deps, `notification:${notification.id}`);
  if (!(await deps.claims.claim(key, deps.owner, CLAIM_LEASE_SECONDS))) return 'busy';
  try {
    await handle(deps, notification, summary);
    await deleteNotification(deps.hubee, notification.id);
    await deps.claims.finish(key);
    return 'processed';
  } catch (error) {
    const reason = describe(error);
    await deps.claims.release(key, reason).catch(() => {});
    deps.logger.warn({ event: 'hubee.notification.failed', notificationId: notification.id, caseId: notification.caseId, reason }, 'HubEE notification left for the next run');
    return 'failed';
  }
}

async function handle(deps: FollowUpDeps, notification: Notification, summary: FollowUpSummary): Promise<void> {
  const { hubee } = deps;
  const { caseId, eventId } = notification;
  // A "new folder" notification (no event): nothing for the OSL to do.
  if (!eventId || !caseId) return;

  let event;
  try {
    event = await hubee.getEvent(caseId, eventId);
  } catch (error) {
    // HubEE no longer knows the event (or refuses it to us): nothing to act on, only the notification to remove.
    if (error instanceof HubeeError && (error.kind === 'not_found' || error.kind === 'bad_request' || error.kind === 'forbidden')) return;
    throw error;
  }
  // Only a status or a message the commune sent and we have not acknowledged yet; anything else (our own events,
  // an event already RECEIVED because this notification came twice) is just removed.
  if (event.status !== 'SENT' || (event.actionType !== 'STATUS_UPDATE' && event.actionType !== 'SENDING_MESSAGE')) return;

  const shipment = await deps.shipments.findByCaseId(caseId, deps.environment ?? 'production');
  const at = dateOf(event.createDateTime) ?? (deps.now ?? (() => new Date()))();
  // "Message pour l'usager": the commune's words reach the family's follow-up page, beside the status.
  const message = event.transmitter?.type === 'OSL' ? null : communeMessageFrom(event.message);
  if (shipment && message) await deps.shipments.recordCommuneMessage(shipment.reference, message, at);

  const status = event.actionType === 'STATUS_UPDATE' && event.caseNewStatus ? shipmentStatusFromHubee(event.caseNewStatus) : null;
  if (shipment && status) {
    await deps.shipments.recordFirstCommuneAction(shipment.reference, at);
    const current = await storeStatus(deps, shipment, status, at, summary);
    if (isFinalStatus(current) && current !== 'failed') {
      if (await closeInHubee(deps, { ...shipment, status: current })) summary.casesClosed += 1;
    }
  }
  await hubee.updateEventStatus(caseId, eventId, 'RECEIVED');
}

/** Moves the shipment forward (never backwards, never twice); returns the status it ends with. */
async function storeStatus(deps: FollowUpDeps, shipment: ShipmentRecord, next: ShipmentStatus, at: Date, summary: FollowUpSummary): Promise<ShipmentStatus> {
  let current: ShipmentStatus = shipment.status;
  // Another instance may store a status between our read and our write: read again and decide again.
  for (let attempt = 0; attempt < 5; attempt++) {
    const decision = applyStatusUpdate(current, next);
    if (!decision.ok) {
      deps.logger.info({ event: 'hubee.status.ignored', reference: shipment.reference, reason: decision.error.reason, current, next }, 'status not applied');
      return current;
    }
    if (!decision.value.changed) return current;
    if (await deps.shipments.recordCommuneStatus(shipment.reference, { expected: current, status: next, at })) {
      summary.statusesStored += 1;
      deps.logger.info({ event: 'shipment.status', reference: shipment.reference, previous: current, status: next }, 'shipment status updated');
      await announce(deps, { reference: shipment.reference, collectivitySiret: shipment.collectivitySiret, externalId: shipment.externalId, previous: current, status: next, at });
      return next;
    }
    const fresh = await deps.shipments.find(shipment.reference);
    if (!fresh) return current;
    current = fresh.status;
  }
  throw new Error('shipment status kept changing under us');
}

async function announce(deps: FollowUpDeps, change: ShipmentStatusChange): Promise<void> {
  if (!deps.onShipmentStatusChanged) return;
  try {
    await deps.onShipmentStatusChanged(change);
  } catch (error) {
    deps.logger.warn({ event: 'shipment.status.hook_failed', reference: change.reference, reason: describe(error) }, 'status change hook failed');
  }
}

/**
 * Case CLOSED → closing event → folder CLOSED → forget the ids, in that order (HubEE never closes cases from the
 * folder). Each step done is recorded; a step HubEE already has counts as done. Returns true when it closed now.
 */
async function closeInHubee(deps: FollowUpDeps, shipment: ShipmentRecord): Promise<boolean> {
  const { hubee, shipments } = deps;
  const { reference, hubeeCaseId: caseId, hubeeFolderId: folderId } = shipment;
  if (!caseId || !folderId) return false;
  const key = `closing:${reference}`;
  if (!(await deps.claims.claim(key, deps.owner, CLAIM_LEASE_SECONDS))) {
    throw new Error('the case is being closed by another run');
  }
  try {
    const done = await shipments.closingProgress(reference);
    const step = async (name: HubeeClosingStep, run: () => Promise<void>) => {
      if (done[name]) return;
      await run();
      await shipments.recordClosingStep(reference, name);
    };
    await step('case', async () => {
      await tolerateAlreadyClosed(
        () => hubee.updateCaseStatus(caseId, 'CLOSED'),
        async () => (await hubee.getCase(caseId, { lite: true })).status === 'CLOSED',
      );
    });
    await step('event', async () => {
      // The event may have been created by a run that died before recording it: never tell the commune twice.
      const kase = await hubee.getCase(caseId);
      if (kase.events.some((e) => e.actionType === 'STATUS_UPDATE' && e.caseNewStatus === 'CLOSED' && e.transmitter?.type !== 'SI')) return;
      await hubee.createEvent(caseId, {
        actionType: 'STATUS_UPDATE',
        message: CLOSING_MESSAGE,
        author: CLOSING_AUTHOR,
        notification: true,
        caseCurrentStatus: shipment.status === 'REFUSED' ? 'REFUSED' : 'DONE',
        caseNewStatus: 'CLOSED',
      });
    });
    await step('folder', async () => {
      await tolerateAlreadyClosed(
        () => hubee.updateFolderStatus(folderId, 'CLOSED'),
        async () => (await hubee.getFolder(folderId)).globalStatus === 'CLOSED',
      );
    });
    await shipments.close(reference);
    await deps.claims.finish(key);
    deps.logger.info({ event: 'hubee.case.closed', reference, status: shipment.status }, 'HubEE case and folder closed');
    return true;
  } catch (error) {
    await deps.claims.release(key, describe(error)).catch(() => {});
    throw error;
  }
}

/** HubEE may refuse to close what is already closed: that is the state we want. */
async function tolerateAlreadyClosed(close: () => Promise<void>, isClosed: () => Promise<boolean>): Promise<void> {
  try {
    await close();
  } catch (error) {
    if (error instanceof HubeeError && error.kind === 'bad_request' && (await isClosed())) return;
    throw error;
  }
}

async function deleteNotification(hubee: HubeeFollowUpPort, notificationId: string): Promise<void> {
  try {
    await hubee.deleteNotification(notificationId);
  } catch (error) {
    // Gone already (another run deleted it after finishing): the goal is reached.
    if (error instanceof HubeeError && error.kind === 'not_found') return;
    throw error;
  }
}

/** Production's keys as they always were; another environment's prefixed, so that equal ids never collide. */
function claimKey(deps: FollowUpDeps, key: string): string {
  const environment = deps.environment ?? 'production';
  return environment === 'production' ? key : `${environment}:${key}`;
}

function dateOf(value: string | null): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** HubeeError messages are already redacted; other errors are ours. */
function describe(error: unknown): string {
  return error instanceof Error ? error.message.slice(0, 300) : 'unknown error';
}
