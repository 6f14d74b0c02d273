import type { Db } from '../database.ts';

/**
 * The job queue's state for the operator, read from pg-boss's own tables (schema `pgboss`, version 10): counts
 * per queue and state, and the latest failed jobs with their error. Job data is not shown: ours carry only
 * references and ids, and the operator does not need them.
 */
export interface QueueCounts {
  queue: string;
  state: string;
  count: number;
}

export interface FailedJob {
  id: string;
  queue: string;
  failedAt: Date | null;
  retries: number;
  error: string;
}

export interface JobQueueState {
  counts(): Promise<QueueCounts[]>;
  latestFailures(limit: number): Promise<FailedJob[]>;
}

export function createJobQueueState(db: Db, schema = 'pgboss'): JobQueueState {
  if (!/^[a-z_]+$/.test(schema)) throw new Error('invalid queue schema name');
  return {
    async counts() {
      const { rows } = await db.executeSql(`SELECT name, state::text AS state, count(*)::int AS count FROM ${schema}.job GROUP BY name, state ORDER BY name, state`);
      return (rows as { name: string; state: string; count: number }[]).map((r) => ({ queue: r.name, state: r.state, count: r.count }));
    },
    async latestFailures(limit) {
      const { rows } = await db.executeSql(
        `SELECT id::text AS id, name, completed_on, retry_count, coalesce(output->>'message', output::text, '') AS error
           FROM ${schema}.job WHERE state = 'failed' ORDER BY completed_on DESC NULLS LAST LIMIT $1`,
        [limit],
      );
      return (rows as { id: string; name: string; completed_on: Date | string | null; retry_count: number; error: string }[]).map((r) => ({
        id: r.id,
        queue: r.name,
        failedAt: r.completed_on === null ? null : new Date(r.completed_on),
        retries: r.retry_count,
        error: r.error.slice(0, 300),
      }));
    },
  };
}
