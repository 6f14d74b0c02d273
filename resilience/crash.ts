/**
 * The crash run: the service as `npm start` runs it, in a child process with its own DATA_DIR (embedded database,
 * or PostgreSQL through DATABASE_URL; the stand-ins keep their state in DATA_DIR/sandbox either way), killed with
 * SIGKILL at a random moment while families transmit and HubEE is slow, round after round; restarted each time.
 * At the end, with HubEE healthy, every shipment must be exactly one complete folder. `npm run crash`.
 */
import { openDatabase } from '../src/db/database.ts';
import { faultControlClient } from '../src/sandbox/faults/client.ts';
import type { FaultPlanInput } from '../src/sandbox/faults/index.ts';
import { assessExactlyOnce, formatReport, holds, readShipments } from './lib/exactly-once.ts';
import { oneJourney } from './lib/journeys.ts';
import { metricValue, startServiceProcess, type ServiceProcess } from './lib/service-process.ts';
import { choiceSetting, numberSetting, seconds, waitUntil } from './lib/settings.ts';
import { API_TOKEN, freshPostgresDatabase, freshTopology } from './lib/topology.ts';

export type CrashDatabase = 'embedded' | 'postgres';

export interface CrashSettings {
  rounds: number;
  /** A family starts a journey this often while the process lives. */
  arrivalEveryMs: number;
  seed: number;
  drainTimeoutSeconds: number;
}

export function crashSettingsFromEnv(): CrashSettings {
  return {
    rounds: numberSetting('CRASH_ROUNDS', 6),
    arrivalEveryMs: numberSetting('CRASH_ARRIVAL_EVERY_MS', 400),
    seed: numberSetting('CRASH_SEED', 1),
    drainTimeoutSeconds: numberSetting('CRASH_DRAIN_TIMEOUT_SECONDS', 300),
  };
}

/**
 * HubEE slow at every step of a transmission (answers late, yet within our waits), so that several are in flight
 * whenever the process dies: between creation and the recorded id, between uploads, around completion.
 */
const SLOW_HUBEE: FaultPlanInput = {
  rules: [
    { system: 'hubee', step: 'createFolder', kind: 'succeed_late', delayMs: 700, times: 'always' },
    { system: 'hubee', step: 'uploadAttachment', kind: 'succeed_late', delayMs: 900, times: 'always' },
    { system: 'hubee', step: 'completeFolder', kind: 'succeed_late', delayMs: 600, times: 'always' },
  ],
};

export async function runCrash(database: CrashDatabase, settings: CrashSettings, print: (line: string) => void = console.log): Promise<boolean> {
  const started = performance.now();
  const postgres = database === 'postgres' ? await freshPostgresDatabase() : null;
  const topology = await freshTopology({
    ...(postgres ? { DATABASE_URL: postgres.url } : {}),
    SANDBOX_ENABLED: 'true',
    // Short waits and lease: a dead sender's shipments are taken over after 20 s instead of 5 minutes.
    HUBEE_TIMEOUT_MS: '2000',
    HUBEE_CREATE_FOLDER_TIMEOUT_MS: '3000',
    HUBEE_UPLOAD_TIMEOUT_MS: '3000',
    SHIPMENT_LEASE_SECONDS: '20',
  });
  const { dataDir } = topology;
  const control = faultControlClient(topology.sandboxUrl);
  const random = seeded(settings.seed);
  const confirmed: string[] = [];
  let interrupted = 0;
  let inFlightAtKills = 0;
  let service: ServiceProcess | null = null;
  print(`crash: ${settings.rounds} rounds, a journey started every ${settings.arrivalEveryMs} ms, SIGKILL at a random moment of each, on ${database === 'postgres' ? 'PostgreSQL' : 'the embedded database'} (DATA_DIR ${dataDir})`);
  try {
    for (let round = 1; round <= settings.rounds; round++) {
      service = await startServiceProcess(topology.env);
      // One journey first, on a quiet HubEE (the fresh process compiles its paths), then the storm.
      confirmed.push((await oneJourney(topology.appUrl, round * 1000)).reference);
      await control.set(SLOW_HUBEE);
      const journeys: Promise<void>[] = [];
      let alive = true;
      const arrivals = (async () => {
        for (let i = 1; alive; i++) {
          journeys.push(
            oneJourney(topology.appUrl, round * 1000 + i).then(
              (outcome) => void confirmed.push(outcome.reference),
              () => void (interrupted += 1),
            ),
          );
          await new Promise((resolve) => setTimeout(resolve, settings.arrivalEveryMs));
        }
      })();
      // Die early, in the middle, or once many families wait on HubEE.
      const killAfterMs = 3000 + Math.floor(random() * 9000);
      await new Promise((resolve) => setTimeout(resolve, killAfterMs));
      const inFlight = await metricValue(topology.appUrl, API_TOKEN, 'formulaire_qf_shipments', { status: 'pending' }).catch(() => Number.NaN);
      await service.kill();
      service = null;
      alive = false;
      await arrivals;
      await Promise.all(journeys);
      if (Number.isFinite(inFlight)) inFlightAtKills += inFlight;
      print(`  round ${round}: killed after ${seconds(killAfterMs)} with ${inFlight} shipments pending; ${confirmed.length} confirmed so far, ${interrupted} journeys cut`);
    }

    // The last restart, HubEE healthy: everything pending must go through, once.
    service = await startServiceProcess(topology.env);
    const drainStarted = performance.now();
    const pending = () => metricValue(topology.appUrl, API_TOKEN, 'formulaire_qf_shipments', { status: 'pending' });
    const drained = await waitUntil(async () => (await pending()) === 0, { timeoutMs: settings.drainTimeoutSeconds * 1000 });
    const drainMs = performance.now() - drainStarted;
    const census = await control.hubeeCensus();
    await service.stop();
    service = null;

    const db = await openDatabase(postgres ? { kind: 'postgres', url: postgres.url } : { kind: 'embedded', dataDir });
    const shipments = await readShipments(db).finally(() => db.close());
    const report = assessExactlyOnce(confirmed, shipments, census);
    // A creation HubEE made while the process died is answered to no one: like a late answer, it cannot be found
    // again (HubEE v1 has no search). At most one per shipment in flight at a kill.
    const ok = drained && holds(report, inFlightAtKills);
    print('');
    print(`CRASH ${ok ? 'PASSED' : 'FAILED'} — ${database === 'postgres' ? 'PostgreSQL' : 'embedded database'}, ${settings.rounds} SIGKILLs`);
    print(`shipments pending at the kills ${inFlightAtKills} (summed over the rounds)`);
    print(`journeys cut by the kills      ${interrupted}`);
    print(`drained after the last restart ${drained ? 'yes' : 'NO'} in ${seconds(drainMs)}`);
    for (const line of formatReport(report)) print(line);
    print(`total                          ${seconds(performance.now() - started)}`);
    return ok;
  } finally {
    await service?.kill();
    await postgres?.drop();
    topology.remove();
  }
}

/** mulberry32, for kill moments that are random yet the same on every run of a seed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const which = choiceSetting('CRASH_DATABASE', ['embedded', 'postgres', 'both'] as const, 'both');
  const settings = crashSettingsFromEnv();
  let ok = true;
  for (const database of which === 'both' ? (['embedded', 'postgres'] as const) : [which]) ok = (await runCrash(database, settings)) && ok;
  process.exit(ok ? 0 : 1);
}
