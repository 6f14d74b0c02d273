import { Citizen, JOURNEY_STEPS, type JourneyStep } from './lib/citizen.ts';
import { mkdirSync } from 'node:fs';
import { processCpuSeconds, rssMiB } from './lib/machine.ts';
import { startStack } from './lib/processes.ts';
import { profileFinding } from './lib/profile-summary.ts';
import type { Benchmark } from './lib/result.ts';
import { latencyPercentiles, summarize } from './lib/stats.ts';

const CONCURRENCY = 8;
const RUN_SECONDS = 6;
/** Personas whose journey ends with a QF to transmit (CNAF, MSA with children, born abroad). */
const PERSONAS = ['angela', 'jeanne', 'vincent'];

/**
 * Benchmark 3: whole citizen journeys over HTTP (home → chooser → collectivity page → FranceConnect stand-in →
 * callback → review → transmit → confirmation), CONCURRENCY scripted citizens at once for RUN_SECONDS per run,
 * against the app in its own process (embedded database) and the stand-ins in another, with the injected latency.
 */
export const journeysBenchmark: Benchmark = async ({ latencyMs, runs, log }) => {
  // The app is profiled (node --cpu-prof) to find the bottleneck; the profile is written when it stops.
  const profileDir = new URL(`./results/profiles/journeys-${Date.now()}/`, import.meta.url).pathname;
  mkdirSync(profileDir, { recursive: true });
  const stack = await startStack({ latencyMs, appNodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] });
  let measuredMs = 0;
  const measuring = performance.now();
  let outcome: Awaited<ReturnType<Benchmark>>;
  try {
    const appUrl = stack.topology.appUrl;
    let sequence = 0;
    const journey = async () => {
      const citizen = new Citizen(appUrl);
      const persona = PERSONAS[sequence++ % PERSONAS.length]!;
      const review = await citizen.reachReview({ siret: '21040107100019', search: 'Majastres', persona });
      await citizen.transmit(review);
      return citizen.timings;
    };
    // Warm-up: one journey alone (JIT, FranceConnect discovery, HubEE token).
    await journey();
    const rssBefore = rssMiB(stack.app.pid);
    const cpuBefore = processCpuSeconds(stack.app.pid);

    const steps: Record<JourneyStep, number[]> = Object.fromEntries(JOURNEY_STEPS.map((s) => [s, []])) as unknown as Record<JourneyStep, number[]>;
    const totals: number[] = [];
    const perSecond: number[] = [];
    const rssPeak: number[] = [];
    let failures = 0;
    let firstFailure: string | null = null;
    for (let run = 0; run < runs; run++) {
      const deadline = performance.now() + RUN_SECONDS * 1000;
      const started = performance.now();
      let completed = 0;
      const citizen = async () => {
        while (performance.now() < deadline) {
          const t0 = performance.now();
          try {
            const timings = await journey();
            totals.push(performance.now() - t0);
            for (const step of JOURNEY_STEPS) if (timings[step] !== undefined) steps[step].push(timings[step]);
            completed++;
          } catch (error) {
            failures++;
            firstFailure ??= error instanceof Error ? error.message : String(error);
          }
        }
      };
      const sampler = setInterval(() => {
        const rss = rssMiB(stack.app.pid);
        if (rss !== null) rssPeak.push(rss);
      }, 250);
      await Promise.all(Array.from({ length: CONCURRENCY }, citizen));
      clearInterval(sampler);
      const rate = completed / ((performance.now() - started) / 1000);
      perSecond.push(rate);
      log(`run ${run + 1}: ${completed} journeys in ${((performance.now() - started) / 1000).toFixed(1)} s → ${rate.toFixed(2)} journeys/s`);
    }
    const rssAfter = rssMiB(stack.app.pid);
    const cpuUsed = processCpuSeconds(stack.app.pid) - cpuBefore;
    const stepStats = Object.fromEntries(JOURNEY_STEPS.map((s) => [s, latencyPercentiles(steps[s])]));
    const slowest = [...JOURNEY_STEPS].sort((a, b) => stepStats[b]!.p50 - stepStats[a]!.p50);
    const journeysDone = totals.length;
    measuredMs = performance.now() - measuring;
    outcome = {
      status: 'measured',
      setup: [
        `${CONCURRENCY} scripted citizens at once (bench/lib/citizen.ts: fetch with a cookie jar, the FranceConnect stand-in driven by FranceConnectBrowser), ${runs} runs of ${RUN_SECONDS} s, personas ${PERSONAS.join(', ')}, commune Majastres.`,
        `The app in its own process (embedded database in a fresh DATA_DIR, RATE_LIMIT_PER_MINUTE=1000000), the stand-ins in another with ${latencyMs} ms on every upstream request; the transmission to HubEE happens inline on "Transmettre", as in production.`,
        'A step\'s time is what the citizen waits for it, redirects included: "franceconnect" is the button then FranceConnect\'s pages until it sends back; "callback" is our callback (token, userinfo, API Particulier).',
      ],
      figures: [
        { name: 'completed journeys', unit: 'journeys/s', summary: summarize(perSecond), over: 'runs' },
        { name: 'one whole journey', unit: 'ms', summary: summarize(totals), over: 'journeys' },
        ...JOURNEY_STEPS.map((s) => ({ name: `step ${s}`, unit: 'ms', summary: summarize(steps[s]), over: 'journeys' })),
        { name: 'service RSS during the runs', unit: 'MiB', summary: summarize(rssPeak), over: 'samples' },
      ],
      ratios: [],
      targets: [],
      findings: [
        `Per step (p50 / p95 / p99 ms): ${JOURNEY_STEPS.map((s) => `${s} ${fmt(stepStats[s]!.p50)} / ${fmt(stepStats[s]!.p95)} / ${fmt(stepStats[s]!.p99)}`).join('; ')}.`,
        `Slowest steps at the median: ${slowest.slice(0, 3).map((s) => `${s} (${fmt(stepStats[s]!.p50)} ms)`).join(', ')}.`,
        `Service RSS: ${rssBefore ?? '?'} MiB before the runs, ${rssAfter ?? '?'} MiB after (peak ${Math.max(...rssPeak)} MiB); the service used ${cpuUsed.toFixed(1)} s of CPU for ${journeysDone} journeys (${((cpuUsed * 1000) / Math.max(1, journeysDone)).toFixed(0)} ms each).`,
        ...(failures > 0 ? [`${failures} journeys failed; the first: ${firstFailure}`] : []),
      ],
      details: { steps: stepStats, concurrency: CONCURRENCY, runSeconds: RUN_SECONDS, rssMiB: { before: rssBefore, after: rssAfter }, serviceCpuSeconds: cpuUsed, failures },
    };
  } finally {
    await stack.stop();
  }
  const profile = profileFinding(profileDir, measuredMs);
  if (profile) {
    const pglite = profile.spots.byPackage.filter((p) => /pglite|WebAssembly/i.test(p.where)).reduce((sum, p) => sum + p.share, 0);
    const busy = (outcome.details?.serviceCpuSeconds as number) / (measuredMs / 1000);
    outcome.findings.push(
      `Bottleneck: the embedded database. ${pglite.toFixed(0)} % of the service's CPU during the runs is PGlite (its WebAssembly Postgres and its protocol code), far above our code, rendering (hono) or the PDF (pdfkit); PGlite has one connection and runs on the app's one thread, so every query of every citizen waits in a single line (claim, journey reads and writes, shipment writes, pg-boss's polling). That is why "transmit" (five database writes around three HubEE calls) takes several times its time alone under ${CONCURRENCY} citizens. The service used ${(busy * 100).toFixed(0)} % of one core over the runs: on this shared machine (load average above its 2 cores) it also waits for a CPU. The remedy is the production set-up, PostgreSQL (a pool of connections, the database in its own process); the embedded database is meant for one machine (npm start).`,
    );
    outcome.findings.push(profile.sentence);
    outcome.details = { ...outcome.details, profile: profile.spots };
  }
  return outcome;
};

const fmt = (ms: number) => ms.toFixed(0);

