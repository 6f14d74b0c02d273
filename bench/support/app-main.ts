/**
 * The service without its stand-ins (they run in their own process, see sandbox-main.ts), as `npm start` runs it
 * otherwise: the seeded communes are added here since startService seeds them only with the sandbox. With
 * BENCH_SYNTHETIC_COLLECTIVITIES=n, n made-up active collectivities are added too. Prints one JSON line when ready.
 * With BENCH_PROFILE_DIR, SIGUSR2 starts a CPU profile of this process and the next SIGUSR2 writes it there (as
 * `node --cpu-prof` names them): the benchmarks measure unprofiled, then profile one more round on purpose.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/config.ts';
import { seedCollectivities } from '../../src/db/repositories/collectivity-seed.ts';
import { normalizeSearchText } from '../../src/domain/collectivity.ts';
import { createLogger } from '../../src/logging.ts';
import { seedCollectivities as seedData } from '../../src/sandbox/fixtures.ts';
import { startService } from '../../src/service.ts';
import { seedSyntheticCollectivities } from '../synthetic-collectivities.ts';

const config = loadConfig({ ...process.env, SANDBOX_ENABLED: 'false' });
const service = await startService(config, createLogger(config));
await seedCollectivities(service.context.collectivities, seedData, normalizeSearchText, { demoPortalPrefix: `${config.sandbox.publicUrl}/portail-commune` });
const synthetic = Number(process.env.BENCH_SYNTHETIC_COLLECTIVITIES ?? 0);
if (synthetic > 0) {
  await seedSyntheticCollectivities(service.context.db, synthetic);
  service.context.collectivitySearch.invalidate();
}
process.stdout.write(`${JSON.stringify({ ready: config.http.publicUrl, database: service.databaseKind })}\n`);
const stop = async () => {
  await service.stop();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
const profileDir = process.env.BENCH_PROFILE_DIR;
if (profileDir) {
  const session = new Session();
  session.connect();
  let profiling = false;
  process.on('SIGUSR2', () => {
    void (async () => {
      if (!profiling) {
        profiling = true;
        await session.post('Profiler.enable');
        await session.post('Profiler.start');
        return;
      }
      const { profile } = await session.post('Profiler.stop');
      profiling = false;
      const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '.').slice(0, 15);
      writeFileSync(join(profileDir, `CPU.${stamp}.${process.pid}.0.001.cpuprofile`), JSON.stringify(profile));
    })();
  });
}
process.on('SIGINT', () => void stop());
