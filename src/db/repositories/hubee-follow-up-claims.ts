import { sql } from 'kysely';
import type { Db } from '../database.ts';

/**
 * Exclusive rights to do one piece of HubEE follow-up work (a notification, the closing of a case), shared by
 * every instance through the database: one INSERT … ON CONFLICT decides, atomically on both engines. A claim
 * whose holder died expires and can be retaken; a finished one is never taken again.
 */
export interface FollowUpClaims {
  /** True when `owner` now holds `key` for `leaseSeconds`. */
  claim(key: string, owner: string, leaseSeconds: number): Promise<boolean>;
  /** The work is done: nobody takes it again. */
  finish(key: string): Promise<void>;
  /** The work failed: anyone may take it again at once (the next run), the error kept for the operator. */
  release(key: string, error: string): Promise<void>;
  /** Forgets finished claims older than `days` (their notifications are long gone from HubEE). */
  purgeFinished(days: number): Promise<number>;
}

export function createFollowUpClaims(db: Db): FollowUpClaims {
  const k = db.kysely;
  return {
    async claim(key, owner, leaseSeconds) {
      const row = await k
        .insertInto('hubee_follow_up_claims')
        .values({ key, owner, lease_until: sql<Date>`now() + make_interval(secs => ${leaseSeconds})` })
        .onConflict((oc) =>
          oc
            .column('key')
            .doUpdateSet({
              owner,
              lease_until: sql<Date>`now() + make_interval(secs => ${leaseSeconds})`,
              attempts: sql<number>`hubee_follow_up_claims.attempts + 1`,
            })
            .where('hubee_follow_up_claims.done_at', 'is', null)
            .where('hubee_follow_up_claims.lease_until', '<', sql<Date>`now()`),
        )
        .returning('key')
        .executeTakeFirst();
      return row !== undefined;
    },
    async finish(key) {
      await k.updateTable('hubee_follow_up_claims').set({ done_at: sql`now()`, last_error: null }).where('key', '=', key).execute();
    },
    async release(key, error) {
      await k
        .updateTable('hubee_follow_up_claims')
        .set({ lease_until: sql`now() - interval '1 second'`, last_error: error.slice(0, 500) })
        .where('key', '=', key)
        .where('done_at', 'is', null)
        .execute();
    },
    async purgeFinished(days) {
      const result = await k
        .deleteFrom('hubee_follow_up_claims')
        .where('done_at', '<', sql<Date>`now() - make_interval(days => ${days})`)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
