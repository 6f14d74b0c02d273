import type { OnboardingRepository } from '../db/repositories/onboardings.ts';
import type { OnboardingOutcome } from '../usecases/onboard-collectivity.ts';
import type { JobQueue } from './queue.ts';

export const ONBOARDING_QUEUE = 'onboard-collectivity';

/** Asks for the onboarding of a habilitation to run soon; dropped when one is already waiting for it. */
export async function enqueueOnboarding(queue: JobQueue, habilitationId: number): Promise<void> {
  await queue.send(ONBOARDING_QUEUE, { habilitationId }, { singletonKey: String(habilitationId), retryLimit: 0 });
}

/**
 * Onboardings are state in their table; the queue carries one job per due onboarding (at most one waiting per
 * habilitation; its claim keeps attempts apart), and a sweep (see workers.ts) finds the due ones again after a crash or a retry delay.
 * Returns the sweep.
 */
export async function registerOnboarding(deps: {
  queue: JobQueue;
  onboardings: OnboardingRepository;
  run: (habilitationId: number) => Promise<OnboardingOutcome>;
}): Promise<() => Promise<number>> {
  const { queue } = deps;
  await queue.declareQueue(ONBOARDING_QUEUE, { policy: 'short' });
  await queue.work<{ habilitationId: number }>(
    ONBOARDING_QUEUE,
    async (job) => {
      await deps.run(job.data.habilitationId);
    },
    { concurrency: 2 },
  );
  return async () => {
    const due = await deps.onboardings.listDue(100);
    for (const id of due) await enqueueOnboarding(queue, id);
    return due.length;
  };
}
