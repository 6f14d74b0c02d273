/**
 * The soak run: citizen journeys at a steady rate for SOAK_SECONDS (600 by default) against the app in its own
 * process (the stand-ins in another, loopback only), reporting throughput, errors (must be 0), latency
 * percentiles per step, and the app's memory (RSS, V8 heap) sampled all along with its trend after warm-up.
 * It stops by itself. `npm run soak`.
 */
import { loadConfig } from '../src/config/config.ts';
import { migrateToLatest, openDatabase } from '../src/db/database.ts';
import { seedCollectivities } from '../src/db/repositories/collectivity-seed.ts';
import { createCollectivityRepository } from '../src/db/repositories/collectivities.ts';
import { normalizeSearchText } from '../src/domain/collectivity.ts';
import { seedCollectivities as seedData } from '../src/sandbox/fixtures.ts';
import { buildSandbox } from '../src/sandbox/server.ts';
import { JOURNEY_STEPS, oneJourney, stepLatencies, type JourneyOutcome } from './lib/journeys.ts';
import { metricValue, startServiceProcess } from './lib/service-process.ts';
import { numberSetting, seconds, waitUntil } from './lib/settings.ts';
import { percentiles, residentMiB } from './lib/stats.ts';
import { API_TOKEN, freshTopology } from './lib/topology.ts';
import { linearTrend } from './lib/trend.ts';

export interface SoakSettings {
  seconds: number;
  /** Journeys started per second. */
  rate: number;
  /** Journeys in flight at most; an arrival beyond it is counted as "behind" (the machine does not hold the rate). */
  maxInFlight: number;
  sampleEverySeconds: number;
  /** Samples before this share of the run are the warm-up, left out of the trend. */
  warmUpShare: number;
}

export function soakSettingsFromEnv(): SoakSettings {
  return {
    seconds: numberSetting('SOAK_SECONDS', 600),
    rate: numberSetting('SOAK_RATE', 1),
    maxInFlight: numberSetting('SOAK_MAX_IN_FLIGHT', 16),
    sampleEverySeconds: numberSetting('SOAK_SAMPLE_SECONDS', 10),
    warmUpShare: 0.2,
  };
}

/** Heap growth after warm-up flagged above this many MiB per hour (with a trend that explains the samples). */
const GROWTH_FLAG_MIB_PER_HOUR = 50;

interface MemorySample {
  atSeconds: number;
  rssMiB: number;
  heapMiB: number;
}

/**
 * The app as `npm start` runs it, in its own process on the embedded database, without stand-ins: they run here,
 * in the runner, so that HubEE's growing pile of folders is not counted as the app's memory.
 */
async function startApp() {
  const topology = await freshTopology({ SANDBOX_ENABLED: 'false' });
  // One load generator's IP stands for many users: the real services' per-IP limits would only measure themselves.
  const sandbox = await buildSandbox({ config: loadConfig({ ...topology.env, DATA_DIR: ':memory:' }), perIpLimits: false });
  await sandbox.listen({ host: '127.0.0.1', port: Number(topology.env.SANDBOX_PORT) });
  // The service seeds the local communes only with its stand-ins: done here, before it starts.
  const db = await openDatabase({ kind: 'embedded', dataDir: topology.dataDir });
  await migrateToLatest(db);
  await seedCollectivities(createCollectivityRepository(db), seedData, normalizeSearchText, { demoPortalPrefix: `${topology.sandboxUrl}/portail-commune` });
  await db.close();
  const app = await startServiceProcess(topology.env);
  return {
    appUrl: topology.appUrl,
    pid: app.pid,
    async stop() {
      await app.stop();
      await sandbox.close();
      topology.remove();
    },
  };
}

export async function runSoak(settings: SoakSettings, print: (line: string) => void = console.log): Promise<boolean> {
  const app = await startApp();
  const appUrl = app.appUrl;
  try {
    print(`soak: ${settings.rate} journeys/s for ${settings.seconds} s (at most ${settings.maxInFlight} in flight), app pid ${app.pid}, memory every ${settings.sampleEverySeconds} s`);
    const outcomes: JourneyOutcome[] = [];
    const failures: string[] = [];
    let behind = 0;
    let inFlight = 0;
    let started = 0;
    const samples: MemorySample[] = [];
    const t0 = performance.now();
    const sample = async () => {
      const heap = await metricValue(appUrl, API_TOKEN, 'nodejs_heap_used_bytes').catch(() => Number.NaN);
      samples.push({ atSeconds: (performance.now() - t0) / 1000, rssMiB: residentMiB(app.pid), heapMiB: heap / 2 ** 20 });
    };
    await sample();
    const sampler = setInterval(() => void sample(), settings.sampleEverySeconds * 1000);
    const journeys: Promise<void>[] = [];
    const deadline = t0 + settings.seconds * 1000;
    for (let i = 0; performance.now() < deadline; i++) {
      // Arrivals on a fixed schedule, whatever the answers' pace: the machine holds the rate or falls behind.
      const due = t0 + (i * 1000) / settings.rate;
      if (due > performance.now()) await new Promise((resolve) => setTimeout(resolve, due - performance.now()));
      if (performance.now() >= deadline) break;
      if (inFlight >= settings.maxInFlight) {
        behind += 1;
        continue;
      }
      inFlight += 1;
      started += 1;
      journeys.push(
        oneJourney(appUrl, i)
          .then(
            (outcome) => void outcomes.push(outcome),
            (error: unknown) => void failures.push(error instanceof Error ? error.message : String(error)),
          )
          .finally(() => void (inFlight -= 1)),
      );
      if (i > 0 && i % Math.max(1, Math.round(settings.rate * 60)) === 0) {
        print(`  ${seconds(performance.now() - t0)}: ${outcomes.length} journeys done, ${failures.length} failed, ${inFlight} in flight, ${behind} behind`);
      }
    }
    await Promise.all(journeys);
    const elapsedMs = performance.now() - t0;
    const pending = () => metricValue(appUrl, API_TOKEN, 'formulaire_qf_shipments', { status: 'pending' });
    const drained = await waitUntil(async () => (await pending()) === 0, { timeoutMs: 120_000 });
    clearInterval(sampler);
    await sample();

    const afterWarmUp = samples.filter((s) => s.atSeconds >= settings.seconds * settings.warmUpShare && Number.isFinite(s.heapMiB));
    const heapTrend = linearTrend(afterWarmUp.map((s) => [s.atSeconds / 3600, s.heapMiB]));
    const rssTrend = linearTrend(afterWarmUp.map((s) => [s.atSeconds / 3600, s.rssMiB]));
    const growing = heapTrend !== null && heapTrend.slope > GROWTH_FLAG_MIB_PER_HOUR && heapTrend.r2 >= 0.5;
    const errors = failures.length + (drained ? 0 : 1);
    const ok = errors === 0 && behind === 0 && !growing;

    print('');
    print(`SOAK ${ok ? 'PASSED' : 'FAILED'} — ${seconds(elapsedMs)} at ${settings.rate} journeys/s asked`);
    print(`journeys                       ${started} started, ${outcomes.length} completed, ${failures.length} failed${failures.length > 0 ? ` (first: ${failures[0]})` : ''}`);
    print(`throughput                     ${(outcomes.length / (elapsedMs / 1000)).toFixed(2)} journeys/s; ${behind} arrivals skipped (the machine did not hold the rate)`);
    print(`shipments drained              ${drained ? 'yes' : 'NO'}`);
    print(`errors                         ${errors}`);
    const steps = stepLatencies(outcomes);
    print('latency per step (ms)          p50 / p95 / p99 / max');
    for (const step of JOURNEY_STEPS) {
      const p = percentiles(steps[step]);
      print(`  ${step.padEnd(28)} ${[p.p50, p.p95, p.p99, p.max].map((v) => v.toFixed(0)).join(' / ')}`);
    }
    const whole = percentiles(outcomes.map((o) => o.totalMs));
    print(`  ${'whole journey'.padEnd(28)} ${[whole.p50, whole.p95, whole.p99, whole.max].map((v) => v.toFixed(0)).join(' / ')}`);
    print('memory (MiB)                   at → RSS / heap used');
    const shown = samples.filter((_, i) => i === 0 || i === samples.length - 1 || i % Math.max(1, Math.round(samples.length / 10)) === 0);
    for (const s of shown) print(`  ${seconds(s.atSeconds * 1000).padStart(9)} → ${s.rssMiB.toFixed(0)} / ${s.heapMiB.toFixed(1)}`);
    const trend = (t: ReturnType<typeof linearTrend>) => (t === null ? 'too few samples' : `${t.slope >= 0 ? '+' : ''}${t.slope.toFixed(1)} MiB/hour (R² ${t.r2.toFixed(2)})`);
    print(`heap trend after warm-up       ${trend(heapTrend)}${growing ? '  ← GROWTH' : ''} (flagged above +${GROWTH_FLAG_MIB_PER_HOUR} MiB/hour with R² ≥ 0.5)`);
    print(`RSS trend after warm-up        ${trend(rssTrend)}`);
    return ok;
  } finally {
    await app.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const ok = await runSoak(soakSettingsFromEnv());
  process.exit(ok ? 0 : 1);
}
