import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Db } from '../db/database.ts';
import { normalizeMetricEvent, type MetricEvent, type MetricEventKind } from './events.ts';

/**
 * Counts events for the operator. `record` never throws and never waits for the database: a citizen's page
 * must not fail or slow down because a counter could not be written. Counts are kept in memory per hour and
 * written in one statement every few seconds (and on `flush`/`stop`); a crash loses at most those seconds.
 */
export interface Metrics {
  record(event: MetricEvent): void;
  /** Writes what is buffered now (tests, shutdown). */
  flush(): Promise<void>;
  /** Totals since this process started, per kind and code: the Prometheus counters. */
  processTotals(): { kind: MetricEventKind; code: string; count: number }[];
  stop(): Promise<void>;
}

/** Above this many distinct buffered counters (the database has been away for long), new ones are dropped. */
const MAX_BUFFERED_KEYS = 20_000;

export function createMetrics(deps: { db: Db; logger: Logger; flushEverySeconds?: number; now?: () => Date }): Metrics {
  const now = deps.now ?? (() => new Date());
  let buffer = new Map<string, number>();
  const totals = new Map<string, number>();
  let dropped = 0;
  let writing: Promise<void> = Promise.resolve();

  const write = async (): Promise<void> => {
    if (buffer.size === 0) return;
    const batch = buffer;
    buffer = new Map();
    const rows = [...batch].map(([key, count]) => {
      const [kind, siret, code, hour] = JSON.parse(key) as [string, string, string, string];
      return { kind, collectivity_siret: siret, code, hour: new Date(hour), count };
    });
    try {
      await deps.db.kysely
        .insertInto('metric_counts')
        .values(rows)
        .onConflict((oc) => oc.columns(['kind', 'hour', 'collectivity_siret', 'code']).doUpdateSet({ count: sql`metric_counts.count + excluded.count` }))
        .execute();
    } catch (error) {
      // Put the counts back for the next attempt.
      for (const [key, count] of batch) add(buffer, key, count);
      deps.logger.warn({ event: 'metrics.flush_failed', reason: error instanceof Error ? error.message : String(error) }, 'metrics not written yet');
    }
  };
  const flush = (): Promise<void> => {
    writing = writing.then(write, write);
    return writing;
  };

  const timer = setInterval(() => void flush(), (deps.flushEverySeconds ?? 10) * 1000);
  timer.unref();

  return {
    record(event) {
      try {
        const { kind, siret, code } = normalizeMetricEvent(event);
        const hour = new Date(now());
        hour.setUTCMinutes(0, 0, 0);
        const key = JSON.stringify([kind, siret, code, hour.toISOString()]);
        if (!buffer.has(key) && buffer.size >= MAX_BUFFERED_KEYS) {
          dropped++;
          if (dropped === 1 || dropped % 1000 === 0) deps.logger.warn({ event: 'metrics.dropped', dropped }, 'metrics buffer full');
          return;
        }
        add(buffer, key, 1);
        add(totals, JSON.stringify([kind, code]), 1);
      } catch (error) {
        deps.logger.warn({ event: 'metrics.record_failed', reason: error instanceof Error ? error.message : String(error) }, 'metric not recorded');
      }
    },
    flush,
    processTotals() {
      return [...totals].map(([key, count]) => {
        const [kind, code] = JSON.parse(key) as [MetricEventKind, string];
        return { kind, code, count };
      });
    },
    async stop() {
      clearInterval(timer);
      await flush();
    },
  };
}

function add(map: Map<string, number>, key: string, count: number): void {
  map.set(key, (map.get(key) ?? 0) + count);
}
