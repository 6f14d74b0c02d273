import { sql } from 'kysely';
import type { Db } from '../database.ts';

/** What needs an operator now, whatever period the figures show. Counts only: nothing personal. */
export interface OperatorAlertCounts {
  /** Active webhook endpoints whose deliveries are failing. */
  failingWebhooks: number;
  /** Onboardings given up, or still retrying for longer than STUCK_ONBOARDING_HOURS. */
  stuckOnboardings: number;
  /** Failed calls to FranceConnect, API Particulier, HubEE or INSEE counted since `upstreamSince`. */
  upstreamFailures: number;
  /** The start of the hourly counters read: the previous whole hour, so that at least the last hour is covered. */
  upstreamSince: Date;
}

export const STUCK_ONBOARDING_HOURS = 1;
const HOUR_MS = 3600 * 1000;

export interface OperatorAlerts {
  current(now?: Date): Promise<OperatorAlertCounts>;
}

export function createOperatorAlerts(db: Db): OperatorAlerts {
  const k = db.kysely;
  return {
    async current(now = new Date()) {
      // Counters are kept per hour: reading from the start of the previous hour covers the last 60 minutes.
      const upstreamSince = new Date(Math.floor((now.getTime() - HOUR_MS) / HOUR_MS) * HOUR_MS);
      const stuckBefore = new Date(now.getTime() - STUCK_ONBOARDING_HOURS * HOUR_MS);
      const [webhooks, onboardings, upstream] = await Promise.all([
        k
          .selectFrom('webhook_endpoints')
          .select(sql<number>`count(*)::int`.as('n'))
          .where('status', '=', 'active')
          .where('failing_since', 'is not', null)
          .executeTakeFirstOrThrow(),
        k
          .selectFrom('onboardings')
          .select(sql<number>`count(*)::int`.as('n'))
          .where((eb) => eb.or([eb('status', '=', 'failed'), eb.and([eb('status', '=', 'pending'), eb('created_at', '<', stuckBefore)])]))
          .executeTakeFirstOrThrow(),
        k
          .selectFrom('metric_counts')
          .select(sql<number>`coalesce(sum(count), 0)::int`.as('n'))
          .where('kind', '=', 'upstream.failed')
          .where('hour', '>=', upstreamSince)
          .executeTakeFirstOrThrow(),
      ]);
      return { failingWebhooks: webhooks.n, stuckOnboardings: onboardings.n, upstreamFailures: upstream.n, upstreamSince };
    },
  };
}
