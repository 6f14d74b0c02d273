import { mkdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Citizen, JOURNEY_STEPS, type JourneyStep } from './lib/citizen.ts';
import { startStack, type DatabaseKind, type Stack } from './lib/processes.ts';
import { profileFinding } from './lib/profile-summary.ts';
import type { Benchmark, Figure } from './lib/result.ts';
import { cpuMeter, machineBusyMeter, memoryOf, ownCpuSeconds } from './lib/service-processes.ts';
import { latencyPercentiles, summarize } from './lib/stats.ts';

/** Enough citizens at once to keep the machine busy: a journey waits about a second on the injected latency alone. */
const CITIZENS = Number(process.env.BENCH_JOURNEY_CITIZENS ?? 64);
const RAMP_SECONDS = 4;
const RUN_SECONDS = 8;
/** Personas whose journey ends with a QF to transmit (CNAF, MSA with children, born abroad). */
const PERSONAS = ['angela', 'jeanne', 'vincent'];
const KINDS: readonly DatabaseKind[] = ['postgres', 'embedded'];
const TARGET_RATE = 40;
const TARGET_CPU_MS = 12;
const label = (kind: DatabaseKind) => (kind === 'postgres' ? 'PostgreSQL' : 'embedded');

/**
 * What the last round of changes found and measured (main, 2026-12-01 evening), carried into every report until the
 * next round replaces it. Before/after were measured with this benchmark and with bench/journey-cpu.ts (CPU per
 * journey from /proc, the base commit and the branch one after the other, pairs taking turns).
 */
const ROUND_FINDINGS = [
  'This round started at 8327c5a, measured here with 32 citizens on a quiet machine (load 0.7): 46.8 journeys/s on PostgreSQL, service CPU 16.3 ms per journey (the app 11.1 + its database backends 4.9), 20.4 queries of the app\'s own per journey. The app\'s profile: `writev` 22 % of its samples (one per query: on loopback the system call also does the receiving side\'s work), pdfkit 12 %, GC 8 %, kysely 4 %.',
  'Changed: the journey is read from the memory of the instance that saved it (see the page benchmark: no journey read left on the pages of a journey served by one instance); the journey\'s writes commit without waiting for the disk (set_config(\'synchronous_commit\', \'off\', true) inside the statement itself: its transaction only, no round trip; a crash of the database server may lose the last fraction of a second of journeys, never a shipment; measured on this server, 100 → 60 µs of backend CPU and 250 → 130 µs of wait per write); "Transmettre" records the shipment in one statement that checks the commune is still active, finds the family\'s earlier transmission, writes the history row and takes the first attempt\'s lease (no claim after); the confirmation knows from the journey that HubEE took the folder; the collectivity\'s row and its information for families come from memory on the pages that start a journey (30 s bound after another instance\'s change, at once after this one\'s; "Transmettre" still decides in the database); the webhook audience is one prepared join; the shipment\'s statements are prepared; the folder PDF\'s glyph widths and kerning pairs are looked up in maps (same bytes).',
  'Measured with this benchmark (32 citizens, 5 runs, quiet machine), service CPU per journey on PostgreSQL: 16.3 ms at 8327c5a; 13.0 ms with the page and transmission changes merged (app 10.0 + database 2.9); 11.9 ms with the asynchronous journey commits and the families\' information from memory (database 2.3); 10.8 ms with the lease taken at recording and the confirmation\'s read gone (app 8.7 + database 2.1). With bench/journey-cpu.ts (120 journeys, 4 at once, no injected latency, 3 pairs), the transmission and PDF changes alone: 18.4 → 15.0 ms. Queries of the app\'s own per journey (pg\'s Client.query counted on one app, 10 sequential journeys): 20.4 → 7 — 3 journey writes (login, FranceConnect\'s answer, transmitted), the shipment\'s record, its folder, sent, and the webhook audience.',
  'Concurrency: with 32 citizens the machine was 55 % busy and the rate bound by the journeys\' own latency (about 0.7 s each at 50 ms per upstream call); the default is now 64 citizens (BENCH_JOURNEY_CITIZENS), which left it about 78 % busy: 73.9 journeys/s on PostgreSQL and 80 on the embedded default in a trial run, with 10.2 ms of service CPU per journey.',
];

interface RunFigures {
  rate: number;
  journeys: number;
  seconds: number;
  /** CPU seconds of each party during the run. */
  cpu: { app: number; database: number; standIns: number; driver: number };
  machineBusy: number;
  failures: number;
}

/**
 * Benchmark 3: whole citizen journeys over HTTP (home → chooser → collectivity page → FranceConnect stand-in →
 * callback → review → transmit → confirmation), CITIZENS scripted citizens at once for RUN_SECONDS per run, on two
 * apps side by side — one on the machine's PostgreSQL, one on the embedded default — taking turns run by run, each
 * app in its own process and its stand-ins in another, with the injected latency. The CPU of the app, of its
 * database server, of the stand-ins and of this load driver are measured apart (they share the same cores).
 */
export const journeysBenchmark: Benchmark = async ({ latencyMs, runs, log }) => {
  const profileRoot = new URL(`./results/profiles/journeys-${Date.now()}/`, import.meta.url).pathname;
  const stacks: Partial<Record<DatabaseKind, Stack>> = {};
  let outcome: Awaited<ReturnType<Benchmark>>;
  try {
    for (const kind of KINDS) {
      mkdirSync(`${profileRoot}${kind}`, { recursive: true });
      stacks[kind] = await startStack({ latencyMs, database: kind, profileDir: `${profileRoot}${kind}` });
    }
    const stack = (kind: DatabaseKind) => stacks[kind]!;
    let sequence = 0;
    const journey = async (kind: DatabaseKind) => {
      const citizen = new Citizen(stack(kind).topology.appUrl);
      const persona = PERSONAS[sequence++ % PERSONAS.length]!;
      const review = await citizen.reachReview({ siret: '21040107100019', search: 'Majastres', persona });
      await citizen.transmit(review);
      return citizen.timings;
    };

    const steps = Object.fromEntries(KINDS.map((k) => [k, Object.fromEntries(JOURNEY_STEPS.map((s) => [s, [] as number[]]))])) as Record<DatabaseKind, Record<JourneyStep, number[]>>;
    const totals: Record<DatabaseKind, number[]> = { postgres: [], embedded: [] };
    const firstFailure: Partial<Record<DatabaseKind, string>> = {};
    const rss: Record<DatabaseKind, number[]> = { postgres: [], embedded: [] };
    const pss: Record<DatabaseKind, number[]> = { postgres: [], embedded: [] };

    /**
     * CITIZENS citizens on one app: RAMP_SECONDS to fill the pipeline (a journey takes seconds under load), then a
     * window of `seconds` in which the completed journeys and every party's CPU are counted, then the journeys in
     * flight finish uncounted. Counting only within the window measures the steady state, not the ramp nor the tail.
     */
    const load = async (kind: DatabaseKind, seconds: number, record: boolean): Promise<RunFigures> => {
      let measuring = false;
      let completed = 0;
      let failures = 0;
      const stopAt = performance.now() + (RAMP_SECONDS + seconds) * 1000;
      const citizen = async () => {
        while (performance.now() < stopAt) {
          const t0 = performance.now();
          const counted = measuring;
          try {
            const timings = await journey(kind);
            // Counted when it ended within the window (a journey started during the ramp may end in it).
            if (!measuring) continue;
            completed++;
            if (!record || !counted) continue;
            totals[kind].push(performance.now() - t0);
            for (const step of JOURNEY_STEPS) if (timings[step] !== undefined) steps[kind][step].push(timings[step]);
          } catch (error) {
            if (measuring) failures++;
            firstFailure[kind] ??= error instanceof Error ? error.message : String(error);
          }
        }
      };
      const running = Promise.all(Array.from({ length: CITIZENS }, citizen));
      await sleep(RAMP_SECONDS * 1000);
      const meters = {
        app: cpuMeter(() => [stack(kind).app.pid]),
        database: cpuMeter(() => stack(kind).databasePids()),
        standIns: cpuMeter(() => [stack(kind).sandbox.pid]),
      };
      const busy = machineBusyMeter();
      const driverBefore = process.cpuUsage();
      const started = performance.now();
      measuring = true;
      const sampler = setInterval(() => {
        if (!record) return;
        const memory = memoryOf(stack(kind).servicePids());
        rss[kind].push(memory.rssMiB);
        pss[kind].push(memory.pssMiB);
      }, 1000);
      await sleep(seconds * 1000);
      measuring = false;
      const elapsed = (performance.now() - started) / 1000;
      const figures: RunFigures = {
        rate: completed / elapsed,
        journeys: completed,
        seconds: elapsed,
        cpu: { app: meters.app.stop(), database: meters.database.stop(), standIns: meters.standIns.stop(), driver: ownCpuSeconds(driverBefore) },
        machineBusy: busy.stop(),
        failures,
      };
      clearInterval(sampler);
      await running;
      return figures;
    };

    // Warm-up: one journey alone (JIT, FranceConnect discovery, HubEE token), then a short load (the pools grow).
    for (const kind of KINDS) {
      await journey(kind);
      await load(kind, 3, false);
    }
    const perRun: Record<DatabaseKind, RunFigures[]> = { postgres: [], embedded: [] };
    for (let run = 0; run < runs; run++) {
      const order = run % 2 === 0 ? KINDS : [...KINDS].reverse();
      for (const kind of order) {
        const figures = await load(kind, RUN_SECONDS, true);
        perRun[kind].push(figures);
        const ms = (seconds: number) => ((seconds * 1000) / Math.max(1, figures.journeys)).toFixed(1);
        log(
          `run ${run + 1}, ${label(kind)}: ${figures.journeys} journeys in ${figures.seconds.toFixed(1)} s → ${figures.rate.toFixed(1)}/s; CPU per journey: app ${ms(figures.cpu.app)} ms + database ${ms(figures.cpu.database)} ms, stand-ins ${ms(figures.cpu.standIns)} ms, load driver ${ms(figures.cpu.driver)} ms; machine ${(100 * figures.machineBusy).toFixed(0)} % busy${figures.failures > 0 ? `; ${figures.failures} failed` : ''}`,
        );
      }
    }

    // One more run on each app, profiled (not in the figures: the profiler slows what it samples).
    const profiles: Partial<Record<DatabaseKind, ReturnType<typeof profileFinding>>> = {};
    for (const kind of KINDS) {
      const t0 = performance.now();
      await stack(kind).profiled(() => load(kind, RUN_SECONDS, false));
      profiles[kind] = profileFinding(`${profileRoot}${kind}`, performance.now() - t0);
    }

    const perJourney = (kind: DatabaseKind, part: keyof RunFigures['cpu'] | 'service') =>
      perRun[kind].map((r) => ((part === 'service' ? r.cpu.app + r.cpu.database : r.cpu[part]) * 1000) / Math.max(1, r.journeys));
    const med = (values: number[]) => summarize(values).median;
    const rate = { postgres: summarize(perRun.postgres.map((r) => r.rate)), embedded: summarize(perRun.embedded.map((r) => r.rate)) };
    const serviceMs = { postgres: summarize(perJourney('postgres', 'service')), embedded: summarize(perJourney('embedded', 'service')) };
    const figures: Figure[] = [];
    for (const kind of KINDS) {
      figures.push(
        { name: `completed journeys, ${label(kind)}`, unit: 'journeys/s', summary: rate[kind], over: 'runs' },
        { name: `service CPU per journey (app + database), ${label(kind)}`, unit: 'ms', summary: serviceMs[kind], over: 'runs' },
        { name: `  of which the app, ${label(kind)}`, unit: 'ms', summary: summarize(perJourney(kind, 'app')), over: 'runs' },
        { name: `  of which its database server, ${label(kind)}`, unit: 'ms', summary: summarize(perJourney(kind, 'database')), over: 'runs' },
        { name: `stand-ins' CPU per journey, ${label(kind)}`, unit: 'ms', summary: summarize(perJourney(kind, 'standIns')), over: 'runs' },
        { name: `load driver's CPU per journey, ${label(kind)}`, unit: 'ms', summary: summarize(perJourney(kind, 'driver')), over: 'runs' },
        { name: `whole machine busy during the runs, ${label(kind)}`, unit: '%', summary: summarize(perRun[kind].map((r) => 100 * r.machineBusy)), over: 'runs' },
        { name: `one whole journey, ${label(kind)}`, unit: 'ms', summary: summarize(totals[kind]), over: 'journeys' },
        ...JOURNEY_STEPS.map((s) => ({ name: `  step ${s}, ${label(kind)}`, unit: 'ms', summary: summarize(steps[kind][s]), over: 'journeys' })),
        { name: `RSS of app + database during the runs, ${label(kind)}`, unit: 'MiB', summary: summarize(rss[kind]), over: 'samples' },
        { name: `PSS of app + database during the runs, ${label(kind)}`, unit: 'MiB', summary: summarize(pss[kind]), over: 'samples' },
      );
    }

    const findings: string[] = [...ROUND_FINDINGS];
    for (const kind of KINDS) {
      const runsOf = perRun[kind];
      const ours = runsOf.map((r) => (r.cpu.app + r.cpu.database + r.cpu.standIns + r.cpu.driver) / r.seconds);
      const allMs = med(runsOf.map((r) => ((r.cpu.app + r.cpu.database + r.cpu.standIns + r.cpu.driver) * 1000) / Math.max(1, r.journeys)));
      const stepStats = Object.fromEntries(JOURNEY_STEPS.map((s) => [s, latencyPercentiles(steps[kind][s])]));
      const slowest = [...JOURNEY_STEPS].sort((a, b) => stepStats[b]!.p50 - stepStats[a]!.p50);
      const failures = runsOf.reduce((sum, r) => sum + r.failures, 0);
      findings.push(
        `${label(kind)}: ${rate[kind].median.toFixed(1)} journeys/s (median of ${runsOf.length} runs, ${rate[kind].min.toFixed(1)}–${rate[kind].max.toFixed(1)}) with ${CITIZENS} citizens; service CPU ${serviceMs[kind].median.toFixed(1)} ms per journey (app ${med(perJourney(kind, 'app')).toFixed(1)} + database ${med(perJourney(kind, 'database')).toFixed(1)}); the stand-ins ${med(perJourney(kind, 'standIns')).toFixed(1)} ms and the load driver ${med(perJourney(kind, 'driver')).toFixed(1)} ms. All four together used ${med(ours).toFixed(2)} of the 2 cores (${allMs.toFixed(0)} ms of CPU per journey) while the whole machine was ${(100 * med(runsOf.map((r) => r.machineBusy))).toFixed(0)} % busy: what bounds the rate is the CPU of this shared machine — at ${allMs.toFixed(0)} ms per journey for everything, two whole idle cores would give at most ${(2000 / allMs).toFixed(0)} journeys/s, and the service's own part alone would allow ${(2000 / serviceMs[kind].median).toFixed(0)}/s.`,
        `${label(kind)}, per step (p50 / p95 ms): ${JOURNEY_STEPS.map((s) => `${s} ${stepStats[s]!.p50.toFixed(0)} / ${stepStats[s]!.p95.toFixed(0)}`).join('; ')}; slowest at the median: ${slowest.slice(0, 3).join(', ')}. Unloaded, a journey waits about ${latencyMs} ms per upstream round trip on its critical path (FranceConnect's pages, token, userinfo, API Particulier and its /checktoken, HubEE's create, uploads, complete).`,
        ...(failures > 0 ? [`${label(kind)}: ${failures} journeys failed; the first: ${firstFailure[kind]}`] : []),
      );
    }
    const best = Math.min(...perJourney('postgres', 'service'));
    if (serviceMs.postgres.median > TARGET_CPU_MS) {
      findings.push(
        `Why the service's CPU per journey is above ${TARGET_CPU_MS} ms in this run (${serviceMs.postgres.median.toFixed(1)} ms at the median on PostgreSQL, ${best.toFixed(1)} ms in its best run): see the profile below. A journey is 7 queries of the app's own (3 journey writes, the shipment's record, folder and sent, the webhook audience), 9 upstream calls and one folder PDF; on a loaded machine each costs more than alone (caches shared with the others' processes, more context switches), so the same journey costs less CPU in the runs where the machine was less contended (see the spread).`,
      );
    }
    for (const kind of KINDS) if (profiles[kind]) findings.push(`Profile of the app on ${label(kind)} (one more run): ${profiles[kind]!.sentence}`);

    outcome = {
      status: 'measured',
      setup: [
        `${CITIZENS} scripted citizens at once (BENCH_JOURNEY_CITIZENS; bench/lib/citizen.ts: fetch with a cookie jar, the FranceConnect stand-in driven by FranceConnectBrowser), ${runs} runs on each app, taking turns; each run: ${RAMP_SECONDS} s to fill the pipeline, then a window of ${RUN_SECONDS} s in which the journeys completed and the CPU are counted (the journeys still in flight then finish uncounted), personas ${PERSONAS.join(', ')}, commune Majastres, after a warm-up.`,
        `Two apps side by side (RATE_LIMIT_PER_MINUTE=1000000): one on a fresh database of the machine's PostgreSQL 15, one on the embedded default (its own PostgreSQL 18 server in a fresh DATA_DIR); each app's stand-ins in a process of their own with ${latencyMs} ms on every upstream request; the transmission to HubEE happens inline on "Transmettre", as in production.`,
        'CPU from /proc over each run: the app\'s process; its database server (the embedded server\'s whole process tree; on the shared PostgreSQL, the backends serving this app\'s database — the server\'s background processes, which serve everyone on the machine, are left out); the stand-ins\' process; this load driver (process.cpuUsage). "Service CPU" is the app and its database server together.',
        'A step\'s time is what the citizen waits for it, redirects included: "franceconnect" is the button then FranceConnect\'s pages until it sends back; "callback" is our callback (token, userinfo, API Particulier).',
      ],
      figures,
      ratios: [{ name: 'journeys/s, embedded / PostgreSQL', definition: 'per pair of runs made one after the other', summary: summarize(perRun.embedded.map((r, i) => r.rate / (perRun.postgres[i]?.rate ?? Number.NaN))) }],
      targets: [
        { name: 'whole journeys per second, PostgreSQL', wanted: `≥ ${TARGET_RATE} journeys/s`, value: rate.postgres.median, unit: 'journeys/s', met: rate.postgres.median >= TARGET_RATE },
        { name: 'service CPU per journey (app + database), PostgreSQL', wanted: `≤ ${TARGET_CPU_MS} ms`, value: serviceMs.postgres.median, unit: 'ms', met: serviceMs.postgres.median <= TARGET_CPU_MS },
      ],
      findings,
      details: { citizens: CITIZENS, runSeconds: RUN_SECONDS, perRun, profiles: Object.fromEntries(KINDS.map((k) => [k, profiles[k]?.spots ?? null])) },
    };
  } finally {
    for (const kind of KINDS) await stacks[kind]?.stop();
  }
  return outcome;
};
