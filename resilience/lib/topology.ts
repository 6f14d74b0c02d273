import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresDatabase } from '../../test/support/database.ts';
import { freePort } from '../../test/support/ports.ts';
import { loopbackAddresses } from '../../test/support/service.ts';

/** The local PostgreSQL server fresh databases are made on (TEST_DATABASE_URL, as for `npm test`). */
const POSTGRES_SERVER = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export const API_TOKEN = 'local-only-resilience-api-token-0123456789abcdef';

/** Where one service of a run lives: its addresses on free loopback ports, its DATA_DIR, the environment it starts from. */
export interface Topology {
  appUrl: string;
  sandboxUrl: string;
  dataDir: string;
  env: Record<string, string>;
  remove(): void;
}

/**
 * A fresh DATA_DIR and two free ports, the app's clients pointed at the stand-ins' address (whether the service runs
 * them itself or not), in the test environment, with quick retries and the run's API token (for /metrics).
 */
export async function freshTopology(extra: Record<string, string> = {}): Promise<Topology> {
  const [appPort, sandboxPort] = [await freePort(), await freePort()];
  const addresses = loopbackAddresses(appPort, sandboxPort);
  const dataDir = mkdtempSync(join(tmpdir(), 'fqf-resilience-'));
  return {
    appUrl: addresses.APP_URL!,
    sandboxUrl: addresses.SANDBOX_URL!,
    dataDir,
    env: {
      APP_ENV: 'test',
      LOG_LEVEL: 'warn',
      ...addresses,
      DATA_DIR: dataDir,
      API_TOKEN,
      RATE_LIMIT_PER_MINUTE: '1000000',
      SHIPMENT_RETRY_BASE_SECONDS: '1',
      SHIPMENT_SWEEP_SECONDS: '1',
      ...extra,
    },
    remove: () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

/** A new, empty database on the local PostgreSQL server; `drop` removes it. */
export async function freshPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const previous = process.env.TEST_DATABASE_URL;
  process.env.TEST_DATABASE_URL = POSTGRES_SERVER;
  try {
    return await createPostgresDatabase();
  } finally {
    if (previous === undefined) delete process.env.TEST_DATABASE_URL;
    else process.env.TEST_DATABASE_URL = previous;
  }
}
