import { err, ok, type Result } from './result.ts';

/**
 * The life of a shipment, as the citizen's status page and the éditeur webhooks see it.
 *
 * Our own statuses come first: `pending` (recorded, the HubEE folder not yet complete) and `failed` (HubEE
 * could not be reached within the retry window). Then the commune moves the HubEE case forward
 * (`contracts/hubee.md` §3.1); we only mirror it.
 */
export const LOCAL_STATUSES = ['pending', 'failed'] as const;
export const HUBEE_CASE_STATUSES = ['SENT', 'SI_RECEIVED', 'IN_PROGRESS', 'DONE', 'REFUSED'] as const;
export const SHIPMENT_STATUSES = [...LOCAL_STATUSES, ...HUBEE_CASE_STATUSES] as const;

export type LocalStatus = (typeof LOCAL_STATUSES)[number];
export type HubeeCaseStatus = (typeof HUBEE_CASE_STATUSES)[number];
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

export const FINAL_STATUSES = ['DONE', 'REFUSED', 'failed'] as const;
export type FinalStatus = (typeof FINAL_STATUSES)[number];
export type OpenStatus = Exclude<ShipmentStatus, FinalStatus>;

/**
 * Every status a shipment may move to from each status. Skipping steps is allowed because HubEE lets a
 * commune jump (e.g. SI_RECEIVED → DONE) and because notifications can be lost or read out of order;
 * `pending` may go straight to any case status because a notification can overtake the recording of our
 * own "sent" after a crash between completing the folder and saving.
 */
export const NEXT_STATUSES = {
  pending: ['SENT', 'SI_RECEIVED', 'IN_PROGRESS', 'DONE', 'REFUSED', 'failed'],
  SENT: ['SI_RECEIVED', 'IN_PROGRESS', 'DONE', 'REFUSED'],
  SI_RECEIVED: ['IN_PROGRESS', 'DONE', 'REFUSED'],
  IN_PROGRESS: ['DONE', 'REFUSED'],
  DONE: [],
  REFUSED: [],
  failed: [],
} as const satisfies { readonly [S in ShipmentStatus]: readonly Exclude<ShipmentStatus, S>[] };

/** The statuses reachable from `S`, for callers that know the current status statically. */
export type NextStatus<S extends ShipmentStatus> = (typeof NEXT_STATUSES)[S][number];

/** What the citizen reads on the status page ("Votre démarche est …"). */
export const STATUS_LABELS_FR: { readonly [S in ShipmentStatus]: string } = {
  pending: "en cours d'envoi",
  SENT: 'transmise',
  SI_RECEIVED: 'reçue par la commune',
  IN_PROGRESS: 'en cours de traitement',
  DONE: 'traitée',
  REFUSED: 'refusée',
  failed: "échec de l'envoi",
};

export function statusLabelFr(status: ShipmentStatus): string {
  return STATUS_LABELS_FR[status];
}

export function isFinalStatus(status: ShipmentStatus): status is FinalStatus {
  return (FINAL_STATUSES as readonly ShipmentStatus[]).includes(status);
}

export function parseShipmentStatus(input: string): Result<ShipmentStatus, 'unknown-status'> {
  const found = SHIPMENT_STATUSES.find((status) => status === input);
  return found === undefined ? err('unknown-status') : ok(found);
}

/**
 * A HubEE case status as it arrives in a notification, translated into ours, or `null` when it says
 * nothing the citizen should see:
 * - `HUBEE_NOTIFIED` is our own completion of the folder: it means "transmise";
 * - `ADD_AWAITING` (the commune waits for more information) is still "being processed" for us, since the
 *   form has no channel to relay the request to the family;
 * - `CLOSED`/`ARCHIVED` are what we do ourselves after a final status; `SI_INTG_ERROR` is the commune's
 *   software failing to integrate the case, which it resolves with HubEE and which must not look like a
 *   refusal to the family.
 */
export function shipmentStatusFromHubee(hubeeStatus: string): HubeeCaseStatus | null {
  switch (hubeeStatus) {
    case 'HUBEE_NOTIFIED':
    case 'SENT':
      return 'SENT';
    case 'SI_RECEIVED':
      return 'SI_RECEIVED';
    case 'IN_PROGRESS':
    case 'ADD_AWAITING':
      return 'IN_PROGRESS';
    case 'DONE':
      return 'DONE';
    case 'REFUSED':
      return 'REFUSED';
    default:
      return null;
  }
}

export type StatusUpdate =
  /** The status moved forward; store it (and, on a final status, close the HubEE case). */
  | { readonly changed: true; readonly status: ShipmentStatus; readonly previous: ShipmentStatus }
  /** Same status again (a replayed or duplicated notification): nothing to do. */
  | { readonly changed: false; readonly status: ShipmentStatus };

export interface StatusUpdateRefusal {
  readonly reason: 'already-final' | 'backwards';
  readonly current: ShipmentStatus;
  readonly next: ShipmentStatus;
}

/**
 * The only way a shipment's status changes. It never goes backwards (a late SI_RECEIVED after DONE is
 * ignored, not applied) and never leaves a final status.
 */
export function applyStatusUpdate(current: ShipmentStatus, next: ShipmentStatus): Result<StatusUpdate, StatusUpdateRefusal> {
  if (current === next) return ok({ changed: false, status: current });
  if (isFinalStatus(current)) return err({ reason: 'already-final', current, next });
  const allowed: readonly ShipmentStatus[] = NEXT_STATUSES[current];
  if (!allowed.includes(next)) return err({ reason: 'backwards', current, next });
  return ok({ changed: true, status: next, previous: current });
}
