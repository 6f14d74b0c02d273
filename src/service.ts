import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config/config.ts';
import { createContext, type AppContext } from './context.ts';
import { migrateToLatest, openDatabase } from './db/database.ts';
import { createPersonalDataCipher } from './security/personal-data-cipher.ts';
import { createJobQueue } from './jobs/queue.ts';
import { startWorkers, type Workers } from './jobs/workers.ts';
import type { LocalSandbox } from './sandbox/local.ts';
import { buildApp, type RouteSummary } from './web/app.ts';

export interface RunningService {
  databaseKind: 'postgres' | 'embedded';
  app: FastifyInstance;
  context: AppContext;
  routes: readonly RouteSummary[];
  workers: Workers;
  stop(): Promise<void>;
}

/**
 * Starts everything in order: the stand-ins (the app discovers FranceConnect from them) and the database, then its
 * migrations, the queue and its workers, then the web application.
 */
export async function startService(config: Config, logger: Logger, options: { now?: () => Date } = {}): Promise<RunningService> {
  // The stand-ins and the database do not need each other: both start at once (about a second each locally).
  const [sandboxStart, dbStart] = await Promise.allSettled([
    config.sandbox.enabled ? startSandbox(config) : Promise.resolve(null),
    openDatabase(config.database, { onServerLog: (line) => logger.debug({ embeddedPostgres: line }, 'embedded database') }),
  ]);
  const failed = [sandboxStart, dbStart].find((start): start is PromiseRejectedResult => start.status === 'rejected');
  if (failed || sandboxStart.status === 'rejected' || dbStart.status === 'rejected') {
    // Whichever started is stopped, so that a failed start leaves no server behind.
    if (sandboxStart.status === 'fulfilled') await sandboxStart.value?.close();
    if (dbStart.status === 'fulfilled') await dbStart.value.close();
    throw failed?.reason;
  }
  const sandbox = sandboxStart.value;
  const db = dbStart.value;
  await migrateToLatest(db, { cipher: createPersonalDataCipher(config.secrets.personalDataKey) });
  const queue = createJobQueue(db);
  await queue.start();
  const base = createContext({ config, logger, db, queue, ...options });
  if (sandbox) await sandbox.seed(base.collectivities, logger, base.espace);
  const workers = await startWorkers(base);
  const { app, context, routes } = await buildApp(base, { logger });
  await app.listen({ host: config.http.host, port: config.http.port });

  return {
    databaseKind: db.kind,
    app,
    context,
    routes,
    workers,
    async stop() {
      await app.close();
      await workers.stop();
      await context.metrics.stop();
      await queue.stop();
      await context.journeys.close();
      await db.close();
      if (sandbox) await sandbox.close();
    },
  };
}

async function startSandbox(config: Config): Promise<LocalSandbox> {
  // Imported here, not at the top: production (sandbox off) never loads the stand-ins nor their dependencies.
  const { startLocalSandbox } = await import('./sandbox/local.ts');
  return startLocalSandbox(config);
}
