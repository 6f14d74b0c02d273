import type { Logger } from 'pino';
import type { RetentionPolicy } from '../config/config.ts';
import type { RetentionRepository } from '../db/repositories/retention.ts';

export interface PurgeSummary {
  journeys: number;
  hubeeIdsForgotten: number;
  shipments: number;
  metricHours: number;
  /** Expired sessions of agents (espace collectivité) and operators (back office). */
  sessions: number;
  /** Mise à jour annuelle batches past their seven days. */
  qfRefreshBatches: number;
  /** Webhook messages (a reference and a status each) as old as the shipments deleted, with their attempts. */
  webhookDeliveries: number;
  /** Entries of the espace's journal past `journalDays`. */
  journalEntries: number;
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * The retention policy, as promised on the "Données personnelles" page: expired journeys go (they are also
 * purged every few minutes), HubEE ids go once the case is closed, shipments go `shipmentDays` after their
 * creation (with their status history), the hourly counters `metricsDays` after their hour, the sessions of
 * agents and operators once expired (an agent's or operator's e-mail and ProConnect ID token, encrypted), the
 * Mise à jour annuelle's uploads and results seven days after the upload at the latest, the webhook messages once
 * the shipment they speak of is gone, and the espace's journal after `journalDays`.
 */
export async function purgeExpiredData(
  deps: { retention: RetentionRepository; purgeExpiredJourneys: () => Promise<number>; logger: Logger; now?: () => Date },
  policy: RetentionPolicy,
): Promise<PurgeSummary> {
  const now = (deps.now ?? (() => new Date()))().getTime();
  const summary: PurgeSummary = {
    journeys: await deps.purgeExpiredJourneys(),
    hubeeIdsForgotten: await deps.retention.forgetClosedHubeeIds(),
    shipments: await deps.retention.deleteShipmentsCreatedBefore(new Date(now - policy.shipmentDays * DAY_MS)),
    metricHours: await deps.retention.deleteMetricsBefore(new Date(now - policy.metricsDays * DAY_MS)),
    sessions: await deps.retention.deleteExpiredSessions(new Date(now)),
    qfRefreshBatches: await deps.retention.deleteExpiredQfRefreshBatches(new Date(now)),
    webhookDeliveries: await deps.retention.deleteWebhookDeliveriesCreatedBefore(new Date(now - policy.shipmentDays * DAY_MS)),
    journalEntries: await deps.retention.deleteJournalBefore(new Date(now - policy.journalDays * DAY_MS)),
  };
  deps.logger.info({ event: 'retention.purged', ...summary }, 'retention purge done');
  return summary;
}
