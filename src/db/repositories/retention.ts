import { sql } from 'kysely';
import type { Db } from '../database.ts';
import { purgeExpiredSessions } from './espace-sessions.ts';

/** The deletions of the retention policy, each idempotent and safe to run from several instances at once. */
export interface RetentionRepository {
  /** HubEE ids of shipments whose case is closed: they have no use any more. */
  forgetClosedHubeeIds(): Promise<number>;
  /** Shipments (and their status history) created before `before`, unless still being sent. */
  deleteShipmentsCreatedBefore(before: Date): Promise<number>;
  /** Hourly counters older than `before`. */
  deleteMetricsBefore(before: Date): Promise<number>;
  /** Agents' and operators' sessions past their idle or absolute limit at `now` (they open nothing any more). */
  deleteExpiredSessions(now: Date): Promise<number>;
  /** Mise à jour annuelle batches past their seven days (their families, sealed identities and results, with them). */
  deleteExpiredQfRefreshBatches(now: Date): Promise<number>;
  /** Webhook messages created before `before` (with their attempts), unless still to be delivered. */
  deleteWebhookDeliveriesCreatedBefore(before: Date): Promise<number>;
  /** Journal entries written before `before`. */
  deleteJournalBefore(before: Date): Promise<number>;
}

export function createRetentionRepository(db: Db): RetentionRepository {
  const k = db.kysely;
  return {
    deleteExpiredSessions: (now) => purgeExpiredSessions(db, now),
    async forgetClosedHubeeIds() {
      const result = await k
        .updateTable('shipments')
        .set({ hubee_folder_id: null, hubee_case_id: null })
        .where('closed_at', 'is not', null)
        .where((eb) => eb.or([eb('hubee_folder_id', 'is not', null), eb('hubee_case_id', 'is not', null)]))
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
    async deleteShipmentsCreatedBefore(before) {
      // The status history goes with them (ON DELETE CASCADE).
      const result = await k
        .deleteFrom('shipments')
        .where('created_at', '<', before)
        .where('status', '!=', 'pending')
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async deleteMetricsBefore(before) {
      const result = await k.deleteFrom('metric_counts').where('hour', '<', sql<Date>`${before}`).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async deleteWebhookDeliveriesCreatedBefore(before) {
      // The attempts go with them (ON DELETE CASCADE).
      const result = await k.deleteFrom('webhook_deliveries').where('created_at', '<', before).where('status', '!=', 'pending').executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async deleteJournalBefore(before) {
      const result = await k.deleteFrom('espace_journal').where('at', '<', before).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async deleteExpiredQfRefreshBatches(now) {
      const result = await k.deleteFrom('qf_refresh_batches').where('expires_at', '<', now).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
