import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/database.ts';
import type { JobQueue } from '../../jobs/queue.ts';
import { LEGACY_HEALTH_PATH } from './legacy-urls.ts';

/** `/health` (and the old form's `/up`): the process answers. `/ready`: the database and the queue can be used. */
export async function healthRoutes(app: FastifyInstance, deps: { db: Db; queue: JobQueue }): Promise<void> {
  for (const path of ['/health', LEGACY_HEALTH_PATH]) app.get(path, { config: { rateLimit: false } }, async () => ({ status: 'ok' }));
  app.get('/ready', { config: { rateLimit: false } }, async (_request, reply) => {
    const [database, queue] = await Promise.all([
      deps.db.ping().then(() => true, () => false),
      deps.queue.isReady(),
    ]);
    const ready = database && queue;
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', database, queue });
  });
}
