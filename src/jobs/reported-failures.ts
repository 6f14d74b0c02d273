import type { ErrorReporter } from '../observability/error-reporting.ts';
import type { Job, JobQueue } from './queue.ts';

/**
 * The same queue, whose handlers report what they throw before the queue records the job as failed. A proxy
 * rather than a copy: every other method stays the queue's own, whatever the queue adds later.
 */
export function reportingJobFailures(queue: JobQueue, errors: Pick<ErrorReporter, 'jobFailed'>): JobQueue {
  const work = <T extends object>(name: string, handler: (job: Job<T>) => Promise<void>, options?: Parameters<JobQueue['work']>[2]) =>
    queue.work<T>(
      name,
      async (job) => {
        try {
          await handler(job);
        } catch (error) {
          errors.jobFailed(error, { queue: name });
          throw error;
        }
      },
      options,
    );
  return new Proxy(queue, {
    get(target, property) {
      if (property === 'work') return work;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Work given up for good (past its retry window, or refused for good): an error to report, with its reason. */
export class WorkGivenUp extends Error {
  override name = 'WorkGivenUp';
  constructor(what: string, reason: string) {
    super(`${what} given up: ${reason}`);
  }
}
