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
 * What the last round of changes found and measured (branch perf2), carried into every report until the next round
 * replaces it. Before/after were measured with bench/journey-cpu.ts (CPU per journey from /proc, the base commit and
 * the branch one after the other, pairs taking turns), because throughput on this shared machine moves with the
 * others' work.
 */
const ROUND_FINDINGS = [
  'This round (branch perf2), from a profile of 120 journeys (4 at once, no injected latency, PostgreSQL) attributed to the nearest package on each sample\'s stack (socket writes counted with whoever made them): Node\'s fetch 17 % of the app\'s samples (its WHATWG Request/Headers/streams layers over undici: FranceConnect\'s token, userinfo and JWKS through openid-client\'s customFetch, API Particulier, HubEE), pg with its socket writes 15 %, fastify 10 % (of which the page writes), pdfkit 10 %, kysely 6 %, oauth4webapi 5 %. The logger is not in these figures: the benchmarks run the app at LOG_LEVEL=warn. At the default level (info), Fastify logs two lines per request (received, completed) and pino writes each one to stdout synchronously (its default destination): about 25 write system calls more per journey, which this machine\'s socket-write costs suggest is not small; left as it is (access logs are wanted, asynchronous logging loses the last lines on a crash) and not measured here.',
  'Changed: every upstream call (src/integrations/http.ts, openid-client\'s customFetch included) goes through node:http/https with one keep-alive agent per scheme instead of the global fetch (an idle socket is closed after 4 s or the server\'s Keep-Alive hint; an idempotent request is sent once more when a kept-alive socket turns out closed before any answer); the security headers come from helmet\'s middleware built once (@fastify/helmet called helmet(options), which parses the whole policy, on every request: 19 µs each, 0.5 µs built once); the journey\'s read is a prepared statement (Db.queryPrepared). The journey cookie still carries only a random id, the journey stays encrypted in the database, no cache was added.',
  'Measured, CPU per journey (100 journeys, 4 at once, no injected latency, PostgreSQL, 3 pairs base f341f5f / branch taking turns, load average 5.5–7.7 on 2 cores): the app 52.3 / 53.0 / 52.7 ms before, 39.3 / 44.7 / 49.8 ms after (median 52.7 → 44.7 ms, −15 %); its database backends 9.7 / 10.0 / 10.2 ms before, 8.3 / 9.6 / 10.2 ms after; the stand-ins 27.6 → 28.1 ms (unchanged). The fetch change alone, measured first (3 pairs, load 5.4–9.0): the app 58.2 → 45.3 ms. These journeys are run a few at a time, so they cost more per journey than under the 32-citizen load below (timers and idle work are spread over fewer journeys).',
  'Queries per journey now (pg\'s Client.query counted on one app, 20 sequential journeys): 20 of its own — 4 journey reads (one per page: callback, review, transmit, confirmation) and 3 writes, 4 collectivity reads (its page, the FranceConnect button, the callback\'s, the transmission\'s check that it is still active), its family information, the repeat check, the shipment\'s insert, lease, folder and sent, 2 shipment reads, the webhook endpoints — plus pg-boss\'s polling (about 1.5 per journey here, per second under load). Each query is one `writev` and a wake-up of a backend: pg was 20 % of the app\'s samples in the profile after the change, the largest item left, ahead of fastify (17 %, mostly the page writes), pdfkit (10 %) and kysely (5 %).',
  'What bounds the journeys/s figure: the CPU of this 2-core machine, shared by the app, its database server, the stand-ins (about 28 ms per journey in the probe above: FranceConnect\'s oidc-provider signing tokens, HubEE, API Particulier) and the load driver (its own fetch and cookie jar), and with the others\' work. 40 journeys/s would need all four together under 50 ms of CPU per journey on an otherwise idle machine; the service\'s 12 ms would need the queries per journey folded further (the collectivity read four times, the journey read and written on every page) and the folder\'s PDF made cheaper — not reached in this round.',
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
    findings.push(
      `Why the service's CPU per journey is above ${TARGET_CPU_MS} ms (${serviceMs.postgres.median.toFixed(1)} ms at the median on PostgreSQL, ${best.toFixed(1)} ms in its best run): a journey is about 18 queries of its own — counted with pg's Client.query patched on one app, 10 sequential journeys: 4 journey reads and 3 writes (one per page that reads or changes it; the renewal at login deletes the old id in the same statement), 4 collectivity reads (its page, the FranceConnect button, the callback, the transmission's check that it is still active: these decide, so they are not cached) and its family information, the shipment's insert (its existence check and history row in the same statement), lease, folder and status, 2 shipment reads, the webhook endpoints' lookup — plus pg-boss's idle polling (every 5 s per worker; jobs sent here wake a worker). In the app's profile the socket writes (\`writev\` for each query, \`writeUtf8String\` for each page, \`writeLatin1String\` for each upstream request's headers) are the largest items, ahead of Node's HTTP client under fetch (nine upstream calls per journey), pdfkit (kerning lookups, zlib), kysely's query building and GC. On a machine this loaded, each of those costs more than alone (caches shared with the others' processes, more context switches): the same journey costs less CPU in the runs where the machine was less contended (see the spread). Reaching ${TARGET_CPU_MS} ms would take fewer upstream calls or a cheaper HTTP client, and fewer round trips per journey, not a faster query.`,
    );
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
