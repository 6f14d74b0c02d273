import { sql } from 'kysely';
import type { Db } from '../database.ts';
import type { ShipmentStatusColumn } from '../schema.ts';
import { end, start, type DayPeriod } from './figures.ts';

/**
 * One commune's transmissions as its agents see them: references, the portal's external_id, statuses with their
 * history and dates. Every query is bound to the commune's SIRET: there is no way to ask for another's.
 */
export interface CommuneTransmission {
  reference: string;
  externalId: string | null;
  status: ShipmentStatusColumn;
  createdAt: Date;
  sentAt: Date | null;
  statusUpdatedAt: Date;
  firstCommuneStatusAt: Date | null;
  /** When the same family last transmitted to this commune before this one (shipments still kept), or null. */
  repeatsTransmissionOf: Date | null;
  /** A test dossier (fictitious person), shown as such and left out of the counts. */
  isTest: boolean;
  history: { status: ShipmentStatusColumn; at: Date }[];
}

export interface TransmissionFilter {
  period: DayPeriod;
  status: ShipmentStatusColumn | null;
}

/** A transmission with the commune it was made for (the API's answers name it). */
export interface SitedTransmission extends CommuneTransmission {
  siret: string;
}

/** Where a page of the feed starts: after this change of this transmission (exclusive). */
export interface FeedPosition {
  at: Date;
  reference: string;
}

export interface CommuneTransmissions {
  list(siret: string, filter: TransmissionFilter, limit: number): Promise<CommuneTransmission[]>;
  /**
   * The transmissions of these communes by their last change, oldest first, from `since` (inclusive) and after
   * `after`: a client that was down replays from its last position and sees every transmission that changed.
   */
  feed(sirets: readonly string[], options: { since: Date | null; after: FeedPosition | null; limit: number }): Promise<SitedTransmission[]>;
  findByReference(reference: string): Promise<SitedTransmission | null>;
  /** Per current status, over the period (whatever the status filter). */
  countByStatus(siret: string, period: DayPeriod): Promise<{ status: ShipmentStatusColumn; count: number }[]>;
  /** Per commune status, the figures' "first action" for this commune. */
  firstActionDelay(siret: string, period: DayPeriod): Promise<{ count: number; medianSeconds: number | null }>;
  /** The counted events of this commune over the period, by kind. */
  eventTotals(siret: string, period: DayPeriod): Promise<{ kind: string; code: string; count: number }[]>;
}

const COLUMNS = ['reference', 'collectivity_siret', 'external_id', 'status', 'created_at', 'sent_at', 'status_updated_at', 'first_commune_status_at', 'is_test'] as const;

type TransmissionRow = {
  reference: string;
  collectivity_siret: string;
  external_id: string | null;
  status: ShipmentStatusColumn;
  created_at: Date;
  sent_at: Date | null;
  status_updated_at: Date;
  first_commune_status_at: Date | null;
  is_test: boolean;
  /** Only where the query asked for it (the commune's list). */
  repeats_transmission_of?: Date | null;
};

export function createCommuneTransmissions(db: Db): CommuneTransmissions {
  const k = db.kysely;
  /** The rows with their status history, in the rows' order. */
  const withHistory = async (rows: TransmissionRow[]): Promise<SitedTransmission[]> => {
    const references = rows.map((r) => r.reference);
    const history =
      references.length === 0
        ? []
        : await k.selectFrom('shipment_status_history').select(['reference', 'status', 'at']).where('reference', 'in', references).orderBy('at').orderBy('id').execute();
    return rows.map((r) => ({
      reference: r.reference,
      siret: r.collectivity_siret,
      externalId: r.external_id,
      status: r.status,
      createdAt: r.created_at,
      sentAt: r.sent_at,
      statusUpdatedAt: r.status_updated_at,
      firstCommuneStatusAt: r.first_commune_status_at,
      repeatsTransmissionOf: r.repeats_transmission_of ?? null,
      isTest: r.is_test,
      history: history.filter((h) => h.reference === r.reference).map((h) => ({ status: h.status, at: h.at })),
    }));
  };
  return {
    async list(siret, filter, limit) {
      let query = k
        .selectFrom('shipments')
        .select(COLUMNS)
        // The keyed hash never leaves the database: only the date of the same family's earlier transmission does.
        .select((eb) =>
          eb
            .selectFrom('shipments as earlier')
            .select(sql<Date | null>`max(earlier.created_at)`.as('at'))
            .whereRef('earlier.collectivity_siret', '=', 'shipments.collectivity_siret')
            .whereRef('earlier.identity_hash', '=', 'shipments.identity_hash')
            .whereRef('earlier.created_at', '<', 'shipments.created_at')
            .as('repeats_transmission_of'),
        )
        .where('collectivity_siret', '=', siret)
        .where('created_at', '>=', start(filter.period.from))
        .where('created_at', '<', end(filter.period.to));
      if (filter.status) query = query.where('status', '=', filter.status);
      return withHistory(await query.orderBy('created_at', 'desc').orderBy('reference').limit(limit).execute());
    },
    async feed(sirets, options) {
      if (sirets.length === 0) return [];
      // Compared at the millisecond, the precision of the cursor's date: PostgreSQL keeps microseconds.
      const changedAt = sql<Date>`date_trunc('milliseconds', status_updated_at)`;
      let query = k
        .selectFrom('shipments')
        .select([...COLUMNS.filter((c) => c !== 'status_updated_at'), changedAt.as('status_updated_at')])
        .where('collectivity_siret', 'in', [...sirets]);
      if (options.since) query = query.where(changedAt, '>=', options.since);
      const after = options.after;
      if (after) {
        query = query.where((eb) => eb.or([eb(changedAt, '>', after.at), eb.and([eb(changedAt, '=', after.at), eb('reference', '>', after.reference)])]));
      }
      return withHistory(await query.orderBy(changedAt).orderBy('reference').limit(options.limit).execute());
    },
    async findByReference(reference) {
      const row = await k.selectFrom('shipments').select(COLUMNS).where('reference', '=', reference).executeTakeFirst();
      return row ? ((await withHistory([row]))[0] ?? null) : null;
    },
    async countByStatus(siret, period) {
      return k
        .selectFrom('shipments')
        .select(['status', sql<number>`count(*)::int`.as('count')])
        .where('collectivity_siret', '=', siret)
        .where('is_test', '=', false)
        .where('created_at', '>=', start(period.from))
        .where('created_at', '<', end(period.to))
        .groupBy('status')
        .orderBy('status')
        .execute();
    },
    async firstActionDelay(siret, period) {
      const row = await k
        .selectFrom('shipments')
        .select([
          sql<number>`count(*)::int`.as('count'),
          sql<number | null>`percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_commune_status_at - sent_at))`.as('median'),
        ])
        .where('collectivity_siret', '=', siret)
        .where('sent_at', '>=', start(period.from))
        .where('sent_at', '<', end(period.to))
        .where('first_commune_status_at', 'is not', null)
        .where('is_test', '=', false)
        .executeTakeFirstOrThrow();
      return { count: row.count, medianSeconds: row.median === null ? null : Math.round(Number(row.median)) };
    },
    async eventTotals(siret, period) {
      return k
        .selectFrom('metric_counts')
        .select(['kind', 'code', sql<number>`sum(count)::int`.as('count')])
        .where('collectivity_siret', '=', siret)
        .where('hour', '>=', start(period.from))
        .where('hour', '<', end(period.to))
        .groupBy(['kind', 'code'])
        .orderBy('kind')
        .orderBy('code')
        .execute();
    },
  };
}

