import type { JobQueue } from './queue.ts';

export const QF_REFRESH_QUEUE = 'qf-refresh';

/**
 * The Mise à jour annuelle's jobs: one job per running batch (at most one waiting per batch: the singleton key),
 * and a sweep that hands the queue again every running batch that no live worker holds — after a restart, a
 * crash, or a resume. The batch's lease keeps two runs apart; the job itself carries nothing but the batch's id.
 */
export async function enqueueQfRefresh(queue: JobQueue, batchId: string): Promise<void> {
  // A job lasts as long as its batch (10,000 families at 20/s are 8.5 minutes); the lease, not pg-boss's expiry,
  // says when a dead worker's batch may be taken over.
  await queue.send(QF_REFRESH_QUEUE, { batchId }, { singletonKey: batchId, retryLimit: 0, expireInSeconds: 6 * 3600 });
}

export async function registerQfRefresh(deps: { queue: JobQueue; run: (batchId: string) => Promise<unknown>; dueForWork: () => Promise<string[]> }): Promise<() => Promise<number>> {
  const { queue } = deps;
  await queue.declareQueue(QF_REFRESH_QUEUE, { policy: 'short' });
  await queue.work<{ batchId: string }>(
    QF_REFRESH_QUEUE,
    async (job) => {
      await deps.run(job.data.batchId);
    },
    { concurrency: 2, pollingIntervalSeconds: 0.5 },
  );
  return async () => {
    const due = await deps.dueForWork();
    for (const batchId of due) await enqueueQfRefresh(queue, batchId);
    return due.length;
  };
}
