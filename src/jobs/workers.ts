import type { AppContext } from '../context.ts';
import { startWebhookWorker } from '../webhooks/index.ts';
import { registerHubeeFollowUp } from './hubee-follow-up.ts';
import { registerOnboarding } from './onboarding.ts';
import { createRetentionRepository } from '../db/repositories/retention.ts';
import { purgeExpiredData } from '../usecases/purge-expired-data.ts';
import { reportingJobFailures } from './reported-failures.ts';
import { registerQfRefresh } from './qf-refresh.ts';

export const TRANSMIT_QUEUE = 'transmit-shipment';

export interface Workers {
  stop(): Promise<void>;
  /** Looks for due transmissions now (tests, and right after start-up). */
  sweep(): Promise<number>;
  /** Asks for a run of the HubEE follow-up now. */
  followUpHubee(): Promise<void>;
  /** Looks for onboardings due for another attempt now. */
  sweepOnboardings(): Promise<number>;
}

/**
 * The background work of one instance. Transmissions are state in the shipments table; the queue carries one
 * job per due shipment (at most one waiting per reference; the shipment's lease keeps attempts apart), and a
 * sweep finds the due ones again after any crash.
 */
export async function startWorkers(context: Omit<AppContext, 'renderError'>): Promise<Workers> {
  const { shipments, logger, config, errors } = context;
  // Every handler registered below reports what it throws.
  const queue = reportingJobFailures(context.queue, errors);
  await queue.declareQueue(TRANSMIT_QUEUE, { policy: 'short' });
  await queue.work<{ reference: string }>(
    TRANSMIT_QUEUE,
    async (job) => {
      await context.transmit(job.data.reference);
    },
    { concurrency: 4 },
  );

  const sweep = async (): Promise<number> => {
    const due = await shipments.listDue(100);
    for (const reference of due) {
      await queue.send(TRANSMIT_QUEUE, { reference }, { singletonKey: reference, retryLimit: 0 });
    }
    return due.length;
  };
  const purgeJourneys = () => context.journeys.purgeExpired();
  const followUpHubee = await registerHubeeFollowUp({ queue, logger, run: () => context.followUpHubee() });
  const sweepOnboardings = await registerOnboarding({ queue, onboardings: context.onboardings, run: (id) => context.onboard(id) });
  const webhookWorker = await startWebhookWorker({ webhooks: context.webhooks, queue, logger, sweepSeconds: config.webhooks.sweepSeconds });
  const sweepQfRefresh = await registerQfRefresh({ queue, run: (batchId) => context.miseAJour.run(batchId), dueForWork: () => context.miseAJour.dueForWork() });
  const retention = createRetentionRepository(context.db);
  const purgeRetention = () => purgeExpiredData({ retention, purgeExpiredJourneys: purgeJourneys, logger }, config.retention);

  let running = true;
  const loop = (every: number, task: () => Promise<unknown>, name: string) => {
    const timer = setInterval(() => {
      if (!running) return;
      task().catch((error: unknown) => {
        logger.warn({ task: name, reason: error instanceof Error ? error.message : String(error) }, 'background task failed');
        errors.jobFailed(error, { queue: name });
      });
    }, every);
    timer.unref();
    return timer;
  };
  const timers = [loop(config.shipments.sweepSeconds * 1000, sweep, 'sweep-shipments'), loop(5 * 60 * 1000, purgeJourneys, 'purge-journeys'), loop(config.retention.purgeEveryMinutes * 60 * 1000, purgeRetention, 'purge-retention')];
  timers.push(loop(config.hubeeFollowUp.pollSeconds * 1000, followUpHubee, 'hubee-follow-up'), loop(config.onboarding.sweepSeconds * 1000, sweepOnboardings, 'sweep-onboardings'));
  // A batch whose worker died is taken over once its lease (30 s) has run out.
  timers.push(loop(config.shipments.sweepSeconds * 1000, sweepQfRefresh, 'sweep-qf-refresh'));
  void sweepQfRefresh().catch(() => {});
  void sweep().catch(() => {});
  void followUpHubee().catch(() => {});
  void sweepOnboardings().catch(() => {});

  return {
    sweep,
    followUpHubee,
    sweepOnboardings,
    async stop() {
      running = false;
      context.miseAJour.stop();
      for (const t of timers) clearInterval(t);
      webhookWorker.stop();
    },
  };
}
