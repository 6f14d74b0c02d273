import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../database.ts';
import type { ShipmentStatusColumn } from '../schema.ts';

/** A period of whole days in French time, both ends included: `from` and `to` are `YYYY-MM-DD`. */
export interface DayPeriod {
  from: string;
  to: string;
}

export const FIGURES_TIME_ZONE = 'Europe/Paris';

/** What the operator's figures are computed from: the hourly counters and the shipments (nothing personal). */
export interface FiguresRepository {
  eventTotals(period: DayPeriod): Promise<{ kind: string; code: string; count: number }[]>;
  /** Per day (French time) of the period, for one kind of event. */
  eventsPerDay(period: DayPeriod, kind: string): Promise<{ day: string; count: number }[]>;
  /** Per collectivity, for the given kinds. */
  eventsPerCollectivity(period: DayPeriod, kinds: readonly string[]): Promise<{ siret: string; kind: string; count: number }[]>;
  /** Shipments created in the period, by their current status. */
  shipmentsByStatus(period: DayPeriod): Promise<{ status: ShipmentStatusColumn; count: number }[]>;
  /** Shipments created in the period, per collectivity, most first. */
  shipmentsByCollectivity(period: DayPeriod, limit: number): Promise<{ siret: string; name: string | null; count: number; sent: number }[]>;
  /**
   * Of the shipments sent in the period that the commune has acted on (first status after SENT), how many and
   * the median time in seconds between the sending and that first action.
   */
  firstActionDelay(period: DayPeriod): Promise<{ count: number; medianSeconds: number | null }>;
}

/** The first instant of a French day, and the first of the day after (the espace's period filters use them too). */
export const start = (day: string): RawBuilder<Date> => sql<Date>`((${day}::date)::timestamp AT TIME ZONE ${FIGURES_TIME_ZONE})`;
export const end = (day: string): RawBuilder<Date> => sql<Date>`(((${day}::date) + 1)::timestamp AT TIME ZONE ${FIGURES_TIME_ZONE})`;

/** The statuses a commune (or its software) sets; the first of them is its first action. */
export const COMMUNE_STATUSES: readonly ShipmentStatusColumn[] = ['SI_RECEIVED', 'IN_PROGRESS', 'DONE', 'REFUSED'];

export function createFiguresRepository(db: Db): FiguresRepository {
  const k = db.kysely;
  return {
    async eventTotals(period) {
      return k
        .selectFrom('metric_counts')
        .select(['kind', 'code', sql<number>`sum(count)::int`.as('count')])
        .where('hour', '>=', start(period.from))
        .where('hour', '<', end(period.to))
        .groupBy(['kind', 'code'])
        .orderBy('kind')
        .orderBy('code')
        .execute();
    },
    async eventsPerDay(period, kind) {
      const day = sql<string>`to_char(hour AT TIME ZONE ${sql.lit(FIGURES_TIME_ZONE)}, 'YYYY-MM-DD')`;
      return k
        .selectFrom('metric_counts')
        .select([day.as('day'), sql<number>`sum(count)::int`.as('count')])
        .where('kind', '=', kind)
        .where('hour', '>=', start(period.from))
        .where('hour', '<', end(period.to))
        .groupBy(day)
        .orderBy(day)
        .execute();
    },
    async eventsPerCollectivity(period, kinds) {
      if (kinds.length === 0) return [];
      const rows = await k
        .selectFrom('metric_counts')
        .select(['collectivity_siret', 'kind', sql<number>`sum(count)::int`.as('count')])
        .where('kind', 'in', [...kinds])
        .where('collectivity_siret', '!=', '')
        .where('hour', '>=', start(period.from))
        .where('hour', '<', end(period.to))
        .groupBy(['collectivity_siret', 'kind'])
        .execute();
      return rows.map((r) => ({ siret: r.collectivity_siret, kind: r.kind, count: r.count }));
    },
    async shipmentsByStatus(period) {
      return k
        .selectFrom('shipments')
        .select(['status', sql<number>`count(*)::int`.as('count')])
        .where('is_test', '=', false)
        .where('created_at', '>=', start(period.from))
        .where('created_at', '<', end(period.to))
        .groupBy('status')
        .orderBy('status')
        .execute();
    },
    async shipmentsByCollectivity(period, limit) {
      return k
        .selectFrom('shipments as s')
        .leftJoin('collectivities as c', 'c.siret', 's.collectivity_siret')
        .select([
          's.collectivity_siret as siret',
          sql<string | null>`max(c.name)`.as('name'),
          sql<number>`count(*)::int`.as('count'),
          sql<number>`count(s.sent_at)::int`.as('sent'),
        ])
        .where('s.is_test', '=', false)
        .where('s.created_at', '>=', start(period.from))
        .where('s.created_at', '<', end(period.to))
        .groupBy('s.collectivity_siret')
        .orderBy(sql`count(*)`, 'desc')
        .orderBy('s.collectivity_siret')
        .limit(limit)
        .execute();
    },
    async firstActionDelay(period) {
      const firstAction = k
        .selectFrom('shipment_status_history as h')
        .select(sql<Date>`min(h.at)`.as('at'))
        .where('h.reference', '=', sql<string>`s.reference`)
        .where('h.status', 'in', [...COMMUNE_STATUSES]);
      const delays = k
        .selectFrom('shipments as s')
        .select(sql<number>`extract(epoch from (${firstAction}) - s.sent_at)`.as('seconds'))
        .where('s.sent_at', 'is not', null)
        .where('s.is_test', '=', false)
        .where('s.sent_at', '>=', start(period.from))
        .where('s.sent_at', '<', end(period.to))
        .as('d');
      const row = await k
        .selectFrom(delays)
        .select([
          sql<number>`count(*)::int`.as('count'),
          sql<number | null>`percentile_cont(0.5) WITHIN GROUP (ORDER BY d.seconds)`.as('median'),
        ])
        .where('d.seconds', 'is not', null)
        .executeTakeFirstOrThrow();
      return { count: row.count, medianSeconds: row.median === null ? null : Number(row.median) };
    },
  };
}
