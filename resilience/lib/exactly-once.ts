import { sql } from 'kysely';
import type { Db } from '../../src/db/database.ts';
import { hubeeFolderExternalId, type ShipmentReference } from '../../src/domain/shipment-reference.ts';
import type { HubeeCensus } from '../../src/sandbox/hubee/census.ts';

/** What our database says of one shipment, personal data left out (only whether the payload is still there). */
export interface ShipmentRow {
  reference: string;
  status: string;
  payloadKept: boolean;
}

export async function readShipments(db: Db): Promise<ShipmentRow[]> {
  const rows = await db.kysely
    .selectFrom('shipments')
    .select(['reference', 'status', sql<boolean>`payload is not null`.as('payload_kept')])
    .execute();
  return rows.map((row) => ({ reference: row.reference, status: row.status, payloadKept: Boolean(row.payload_kept) }));
}

/**
 * The promise, counted: every shipment (those the families were shown, and any the service recorded) ends as
 * exactly one complete folder in HubEE, SENT in our database with its personal data erased; no incomplete
 * folder left behind. Incomplete folders of a shipment that was nonetheless sent once are "unreachable": a
 * creation whose answer never reached us (HubEE v1 cannot be searched), counted apart from the other orphans.
 */
export interface ExactlyOnceReport {
  confirmed: number;
  recorded: number;
  /** Exactly one complete folder, SENT, payload erased. */
  sentOnce: number;
  /** Confirmed to a family but unknown to our database. */
  unrecorded: string[];
  /** No complete folder in HubEE. */
  lost: string[];
  /** More than one complete folder. */
  duplicated: string[];
  notSent: { reference: string; status: string }[];
  payloadsKept: string[];
  /** Incomplete folders of shipments that were sent once: creations answered after we stopped waiting. */
  unreachableOrphans: number;
  /** Any other incomplete folder (of a shipment not sent, or of no shipment of ours). */
  otherOrphans: number;
}

export function assessExactlyOnce(confirmed: readonly string[], shipments: readonly ShipmentRow[], census: HubeeCensus): ExactlyOnceReport {
  const byReference = new Map(shipments.map((row) => [row.reference, row]));
  const report: ExactlyOnceReport = {
    confirmed: confirmed.length,
    recorded: shipments.length,
    sentOnce: 0,
    unrecorded: confirmed.filter((reference) => !byReference.has(reference)),
    lost: [],
    duplicated: [],
    notSent: [],
    payloadsKept: [],
    unreachableOrphans: 0,
    otherOrphans: 0,
  };
  const ours = new Set<string>();
  for (const row of shipments) {
    const externalId = hubeeFolderExternalId(row.reference as ShipmentReference);
    ours.add(externalId);
    const count = census.byExternalId[externalId] ?? { complete: 0, incomplete: 0, deleted: 0 };
    if (count.complete === 0) report.lost.push(row.reference);
    if (count.complete > 1) report.duplicated.push(row.reference);
    if (row.status !== 'SENT') report.notSent.push({ reference: row.reference, status: row.status });
    if (row.payloadKept) report.payloadsKept.push(row.reference);
    if (count.complete === 1 && row.status === 'SENT' && !row.payloadKept) report.sentOnce += 1;
    if (count.complete === 1) report.unreachableOrphans += count.incomplete;
    else report.otherOrphans += count.incomplete;
  }
  for (const [externalId, count] of Object.entries(census.byExternalId)) if (!ours.has(externalId)) report.otherOrphans += count.incomplete;
  return report;
}

/** True when nothing was lost, doubled, left unsent or kept, and no orphan beyond the allowed unreachable ones. */
export function holds(report: ExactlyOnceReport, unreachableAllowed: number): boolean {
  return (
    report.unrecorded.length === 0 &&
    report.lost.length === 0 &&
    report.duplicated.length === 0 &&
    report.notSent.length === 0 &&
    report.payloadsKept.length === 0 &&
    report.otherOrphans === 0 &&
    report.unreachableOrphans <= unreachableAllowed
  );
}

export function formatReport(report: ExactlyOnceReport): string[] {
  const sample = (list: readonly unknown[]) => (list.length > 0 ? ` (e.g. ${JSON.stringify(list.slice(0, 3))})` : '');
  return [
    `confirmed to families         ${report.confirmed}`,
    `recorded in our database      ${report.recorded}`,
    `sent exactly once             ${report.sentOnce}   (one complete folder in HubEE, SENT, payload erased)`,
    `confirmed but unrecorded      ${report.unrecorded.length}${sample(report.unrecorded)}`,
    `lost (no complete folder)     ${report.lost.length}${sample(report.lost)}`,
    `duplicated (2+ complete)      ${report.duplicated.length}${sample(report.duplicated)}`,
    `not SENT in our database      ${report.notSent.length}${sample(report.notSent)}`,
    `payloads not erased           ${report.payloadsKept.length}${sample(report.payloadsKept)}`,
    `orphan incomplete folders     ${report.otherOrphans}`,
    `unreachable incomplete        ${report.unreachableOrphans}   (creations whose answer never reached us: late, or the process died; never notified)`,
  ];
}
