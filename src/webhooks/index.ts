import type { Logger } from 'pino';
import { createPersonalDataCipher, type PersonalDataCipher } from '../security/personal-data-cipher.ts';
import type { Config } from '../config/config.ts';
import type { Db } from '../db/database.ts';
import type { CollectivityRepository } from '../db/repositories/collectivities.ts';
import type { JobQueue } from '../jobs/queue.ts';
import { createWebhookRepository } from './repository.ts';
import { createWebhookService, WEBHOOK_QUEUE, type WebhookService } from './service.ts';
import type { ResolvedAddress } from './target-guard.ts';

export { WEBHOOK_EVENT_TYPES, type WebhookEventType } from './events.ts';
export type { WebhookDelivery, WebhookEndpoint, WebhookOwner } from './repository.ts';
export { WEBHOOK_QUEUE, type AttemptOutcome, type WebhookService } from './service.ts';
export { checkWebhook, generateWebhookSecret, signWebhook, verifyWebhook } from './signature.ts';

/** The webhook service of the app, reading transmissions from our own tables (the shipments and collectivities). */
export function createWebhooks(deps: {
  config: Config;
  logger: Logger;
  db: Db;
  queue: JobQueue;
  collectivities: Pick<CollectivityRepository, 'findBySiret'>;
  /** Seals the signing secrets; by default the one of PERSONAL_DATA_KEY. */
  cipher?: PersonalDataCipher;
  now?: () => Date;
  resolve?: (host: string) => Promise<ResolvedAddress[]>;
}): WebhookService {
  return createWebhookService({
    repository: createWebhookRepository(deps.db, deps.cipher ?? createPersonalDataCipher(deps.config.secrets.personalDataKey)),
    queue: deps.queue,
    logger: deps.logger,
    settings: { ...deps.config.webhooks, allowHttp: deps.config.env !== 'production' },
    ...(deps.now ? { now: deps.now } : {}),
    ...(deps.resolve ? { resolve: deps.resolve } : {}),
    collectivityExists: async (siret) => (await deps.collectivities.findBySiret(siret)) !== null,
  });
}

/** The queue's worker for deliveries, and a sweep that re-queues what is due (after a crash, or a coarse delay). */
export async function startWebhookWorker(deps: { webhooks: WebhookService; queue: JobQueue; logger: Logger; sweepSeconds: number }): Promise<{ stop(): void; sweep(): Promise<number> }> {
  const { webhooks, queue, logger } = deps;
  await queue.declareQueue(WEBHOOK_QUEUE, { policy: 'stately' });
  await queue.work<{ deliveryId: string }>(WEBHOOK_QUEUE, async (job) => {
    await webhooks.attempt(job.data.deliveryId);
  }, { concurrency: 4 });
  let running = true;
  const timer = setInterval(() => {
    if (!running) return;
    webhooks.sweep().catch((error: unknown) => logger.warn({ task: 'sweep-webhooks', reason: error instanceof Error ? error.message : String(error) }, 'background task failed'));
  }, deps.sweepSeconds * 1000);
  timer.unref();
  return {
    sweep: () => webhooks.sweep(),
    stop() {
      running = false;
      clearInterval(timer);
    },
  };
}
