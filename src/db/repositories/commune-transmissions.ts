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
  /** A test dossier (fictitious person), shown as such and left out of the counts. */
  isTest: boolean;
  history: { status: ShipmentStatusColumn; at: Date }[];
}

export interface TransmissionFilter {
  period: DayPeriod;
  status: ShipmentStatusColumn | null;
}

export interface CommuneTransmissions {
  list(siret: string, filter: TransmissionFilter, limit: number): Promise<CommuneTransmission[]>;
  /** Per current status, over the period (whatever the status filter). */
  countByStatus(siret: string, period: DayPeriod): Promise<{ status: ShipmentStatusColumn; count: number }[]>;
  /** Per commune status, the figures' "first action" for this commune. */
  firstActionDelay(siret: string, period: DayPeriod): Promise<{ count: number; medianSeconds: number | null }>;
  /** The counted events of this commune over the period, by kind. */
  eventTotals(siret: string, period: DayPeriod): Promise<{ kind: string; code: string; count: number }[]>;
}

export function createCommuneTransmissions(db: Db): CommuneTransmissions {
  const k = db.kysely;
  return {
    async list(siret, filter, limit) {
      let query = k
        .selectFrom('shipments')
        .select(['reference', 'external_id', 'status', 'created_at', 'sent_at', 'status_updated_at', 'first_commune_status_at', 'is_test'])
        .where('collectivity_siret', '=', siret)
        .where('created_at', '>=', start(filter.period.from))
        .where('created_at', '<', end(filter.period.to));
      if (filter.status) query = query.where('status', '=', filter.status);
      const rows = await query.orderBy('created_at', 'desc').orderBy('reference').limit(limit).execute();
      const references = rows.map((r) => r.reference);
      const history =
        references.length === 0
          ? []
          : await k.selectFrom('shipment_status_history').select(['reference', 'status', 'at']).where('reference', 'in', references).orderBy('at').orderBy('id').execute();
      return rows.map((r) => ({
        reference: r.reference,
        externalId: r.external_id,
        status: r.status,
        createdAt: r.created_at,
        sentAt: r.sent_at,
        statusUpdatedAt: r.status_updated_at,
        firstCommuneStatusAt: r.first_commune_status_at,
        isTest: r.is_test,
        history: history.filter((h) => h.reference === r.reference).map((h) => ({ status: h.status, at: h.at })),
      }));
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

