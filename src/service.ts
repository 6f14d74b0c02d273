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
 * Starts everything in order: the stand-ins (the app discovers FranceConnect from them), the database and its
 * migrations, the queue and its workers, then the web application.
 */
export async function startService(config: Config, logger: Logger): Promise<RunningService> {
  let sandbox: LocalSandbox | null = null;
  if (config.sandbox.enabled) {
    // Imported here, not at the top: production (sandbox off) never loads the stand-ins nor their dependencies.
    const { startLocalSandbox } = await import('./sandbox/local.ts');
    sandbox = await startLocalSandbox(config);
  }
  const db = await openDatabase(config.database, { onServerLog: (line) => logger.debug({ embeddedPostgres: line }, 'embedded database') });
  await migrateToLatest(db, { cipher: createPersonalDataCipher(config.secrets.personalDataKey) });
  const queue = createJobQueue(db);
  await queue.start();
  const base = createContext({ config, logger, db, queue });
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
      await db.close();
      if (sandbox) await sandbox.close();
    },
  };
}
