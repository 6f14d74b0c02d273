import type { Logger } from 'pino';
import type { FollowUpSummary } from '../usecases/process-hubee-notifications.ts';
import type { JobQueue } from './queue.ts';

export const HUBEE_FOLLOW_UP_QUEUE = 'hubee-follow-up';
/** One key for the whole job: the queue then holds at most one run waiting, cluster-wide. */
const SINGLETON_KEY = 'notifications';

/**
 * The HubEE follow-up as a job: every instance asks for a run every HUBEE_POLL_SECONDS (see workers.ts), the
 * queue keeps one waiting, and a worker does it. The use case's per-notification claims keep runs apart (two
 * instances at once, or a run outliving its job, e.g. after a crash). Returns the function that asks for a run.
 */
export async function registerHubeeFollowUp(deps: { queue: JobQueue; logger: Logger; run: () => Promise<FollowUpSummary> }): Promise<() => Promise<void>> {
  const { queue, logger } = deps;
  await queue.declareQueue(HUBEE_FOLLOW_UP_QUEUE, { policy: 'short' });
  await queue.work(
    HUBEE_FOLLOW_UP_QUEUE,
    async () => {
      const summary = await deps.run();
      if (summary.read > 0) logger.info({ event: 'hubee.follow_up', ...summary }, 'HubEE notifications read');
    },
    { concurrency: 1 },
  );
  return async () => {
    await queue.send(HUBEE_FOLLOW_UP_QUEUE, {}, { singletonKey: SINGLETON_KEY, retryLimit: 0, expireInSeconds: 15 * 60 });
  };
}
