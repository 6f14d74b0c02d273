/**
 * The chaos run: whole citizen journeys over HTTP against the whole service (app, queue, workers, stand-ins), while
 * a seeded share of HubEE calls fails at every step with every fault kind; then the faults stop, the retries drain,
 * and the promise is counted: each shipment exactly one complete folder in HubEE, SENT, its personal data erased,
 * no orphan folder, no personal data in the logs. `npm run chaos`; settings in README.md ("Resilience").
 */
import { faultControlClient } from '../src/sandbox/faults/client.ts';
import { startTestService, type TestService } from '../test/support/service.ts';
import { personalDataIn } from '../test/support/personal-data.ts';
import { assessExactlyOnce, formatReport, holds, readShipments } from './lib/exactly-once.ts';
import { CHAOS_MIXES, chaosPlan, type ChaosMix, type HubeeWaits } from './lib/fault-mix.ts';
import { runJourneys } from './lib/journeys.ts';
import { choiceSetting, numberSetting, seconds, waitUntil } from './lib/settings.ts';

export interface ChaosSettings {
  journeys: number;
  concurrency: number;
  probability: number;
  seed: number;
  mix: ChaosMix;
  /** Faults keep playing this long after the last journey, on the retries alone. */
  stormTailSeconds: number;
  drainTimeoutSeconds: number;
}

export function chaosSettingsFromEnv(): ChaosSettings {
  return {
    journeys: numberSetting('CHAOS_JOURNEYS', 1000),
    concurrency: numberSetting('CHAOS_CONCURRENCY', 8),
    probability: numberSetting('CHAOS_PROBABILITY', 0.2),
    seed: numberSetting('CHAOS_SEED', 1),
    mix: choiceSetting('CHAOS_MIX', CHAOS_MIXES, 'creation-answered'),
    stormTailSeconds: numberSetting('CHAOS_STORM_TAIL_SECONDS', 20),
    drainTimeoutSeconds: numberSetting('CHAOS_DRAIN_TIMEOUT_SECONDS', 900),
  };
}

/** Our client's waits during the run: short, so that a timeout costs seconds, yet each fault outlasts them. */
const WAITS: HubeeWaits = { timeoutMs: 2000, createFolderTimeoutMs: 3000, uploadTimeoutMs: 3000 };

export async function runChaos(settings: ChaosSettings, print: (line: string) => void = console.log): Promise<boolean> {
  const started = performance.now();
  const service = await startTestService({
    HUBEE_TIMEOUT_MS: String(WAITS.timeoutMs),
    HUBEE_CREATE_FOLDER_TIMEOUT_MS: String(WAITS.createFolderTimeoutMs),
    HUBEE_UPLOAD_TIMEOUT_MS: String(WAITS.uploadTimeoutMs),
    SHIPMENT_RETRY_BASE_SECONDS: '1',
    SHIPMENT_SWEEP_SECONDS: '1',
    RATE_LIMIT_PER_MINUTE: '1000000',
  });
  try {
    return await chaosAgainst(service, settings, print, started);
  } finally {
    await service.stop();
  }
}

async function chaosAgainst(service: TestService, settings: ChaosSettings, print: (line: string) => void, started: number): Promise<boolean> {
  const control = faultControlClient(service.sandboxUrl);
  const db = service.service.context.db;
  print(`chaos: ${settings.journeys} journeys, ${settings.concurrency} at once, ${settings.probability * 100} % of HubEE calls failing (mix "${settings.mix}", seed ${settings.seed}), on ${service.service.databaseKind === 'postgres' ? 'PostgreSQL' : 'the embedded database'}`);
  await control.set(chaosPlan({ probability: settings.probability, seed: settings.seed, mix: settings.mix, waits: WAITS }));

  const journeysStarted = performance.now();
  let lastPrinted = 0;
  const { outcomes, failures } = await runJourneys({
    appUrl: service.appUrl,
    count: settings.journeys,
    concurrency: settings.concurrency,
    onProgress: (done) => {
      if (done - lastPrinted >= 100 || done === settings.journeys) {
        lastPrinted = done;
        print(`  ${done} journeys done (${seconds(performance.now() - journeysStarted)})`);
      }
    },
  });
  const journeysMs = performance.now() - journeysStarted;

  await new Promise((resolve) => setTimeout(resolve, settings.stormTailSeconds * 1000));
  const fired = await control.state();
  await control.clear();
  const pending = async () => Number((await db.kysely.selectFrom('shipments').select((eb) => eb.fn.countAll<string>().as('n')).where('status', '=', 'pending').executeTakeFirstOrThrow()).n);
  print(`  faults stopped; ${await pending()} shipments still pending, draining…`);
  const drainStarted = performance.now();
  const drained = await waitUntil(async () => (await pending()) === 0, {
    timeoutMs: settings.drainTimeoutSeconds * 1000,
    everyMs: 1000,
  });
  const drainMs = performance.now() - drainStarted;

  const census = await control.hubeeCensus();
  const report = assessExactlyOnce(
    outcomes.map((o) => o.reference),
    await readShipments(db),
    census,
  );
  const byKind = new Map<string, number>();
  let lateCreations = 0;
  for (const entry of fired) {
    byKind.set(entry.rule.kind, (byKind.get(entry.rule.kind) ?? 0) + entry.fired);
    if (entry.rule.system === 'hubee' && entry.rule.step === 'createFolder' && entry.rule.kind === 'succeed_late') lateCreations += entry.fired;
  }
  const faultsPlayed = [...byKind.values()].reduce((a, b) => a + b, 0);
  const leaks = personalDataIn(service.logs.flatMap((chunk) => chunk.split('\n')).filter(Boolean));
  const slowestLogin = Math.max(0, ...outcomes.map((o) => o.sinceLoginMs));
  // Only creations answered after our wait can leave an unreachable folder, and at most one each.
  const unreachableAllowed = settings.mix === 'all' ? lateCreations : 0;
  const ok = failures.length === 0 && drained && holds(report, unreachableAllowed) && leaks.length === 0 && slowestLogin < 60_000;

  print('');
  print(`CHAOS ${ok ? 'PASSED' : 'FAILED'} — mix "${settings.mix}", seed ${settings.seed}`);
  print(`journeys completed             ${outcomes.length} / ${settings.journeys} in ${seconds(journeysMs)} (${(outcomes.length / (journeysMs / 1000)).toFixed(2)}/s)`);
  const failureKinds = new Map<string, number>();
  for (const failure of failures) failureKinds.set(failure.message, (failureKinds.get(failure.message) ?? 0) + 1);
  print(`journeys failed                ${failures.length}${failures.length > 0 ? ` (${[...failureKinds].map(([message, n]) => `${n}× ${message}`).join('; ')})` : ''}`);
  print(`slowest login → confirmation   ${seconds(slowestLogin)} (FranceConnect tokens live 60 s)`);
  print(`HubEE faults played            ${faultsPlayed} (${[...byKind].map(([kind, n]) => `${kind} ${n}`).join(', ')}); late folder creations ${lateCreations}`);
  print(`drained                        ${drained ? 'yes' : 'NO'} in ${seconds(drainMs)} after the faults stopped`);
  for (const line of formatReport(report)) print(line);
  print(`census                         ${Object.keys(census.byExternalId).length} externalIds, ${census.duplicated.length} duplicated, ${census.orphans} incomplete`);
  print(`warnings and errors logged     ${describeWarnings(service.logs)}`);
  print(`log lines with personal data   ${leaks.length} of ${service.logs.length}${leaks.length > 0 ? ` (first: ${leaks[0]!.slice(0, 200)})` : ''}`);
  print(`total                          ${seconds(performance.now() - started)}`);
  return ok;
}

/** How many log lines at warn level or above, by event (or message): what the service itself saw go wrong. */
function describeWarnings(logs: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const line of logs.flatMap((chunk) => chunk.split('\n'))) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as { level?: number; event?: string; msg?: string; code?: string };
    if ((entry.level ?? 0) < 40) continue;
    const key = [entry.event ?? entry.msg ?? 'unnamed', entry.code].filter(Boolean).join(' ');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).map(([key, n]) => `${n}× ${key}`).join(', ') || 'none';
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const ok = await runChaos(chaosSettingsFromEnv());
  process.exit(ok ? 0 : 1);
}
