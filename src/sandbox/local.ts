import type { Logger } from 'pino';
import type { Config } from '../config/config.ts';
import type { CollectivityRepository } from '../db/repositories/collectivities.ts';
import { seedCollectivities } from '../db/repositories/collectivity-seed.ts';
import { normalizeSearchText } from '../domain/collectivity.ts';
import { seedCollectivities as seedData } from './fixtures.ts';
import { buildSandbox } from './server.ts';

export interface LocalSandbox {
  /** Gives the app's database the communes the stand-ins know, each allowed to return to the demo portal. */
  seed(collectivities: CollectivityRepository, logger: Logger): Promise<void>;
  close(): Promise<void>;
}

/**
 * The stand-ins of the local installation, listening where the configuration says. Loaded by `startService` with a
 * dynamic import only when SANDBOX_ENABLED is on, so that production never loads a module of this tree.
 */
export async function startLocalSandbox(config: Config): Promise<LocalSandbox> {
  const sandbox = await buildSandbox({ config });
  await sandbox.listen({ host: config.sandbox.host, port: config.sandbox.port });
  return {
    async seed(collectivities, logger) {
      const created = await seedCollectivities(collectivities, seedData, normalizeSearchText, {
        demoPortalPrefix: `${config.sandbox.publicUrl}/portail-commune`,
      });
      if (created > 0) logger.info({ created }, 'local collectivities seeded');
    },
    close: () => sandbox.close(),
  };
}
