/**
 * `npm run bench`: every benchmark (issues 7 and 10) against the local stand-ins, one after the other, then
 * bench/results/report.md and report.json. `npm run bench -- transmission journeys` runs only those and merges
 * them into the existing report (the other sections are kept, each saying which run it comes from).
 * Environment: BENCH_LATENCY_MS (50), BENCH_RUNS (5, at least 5), BENCH_JOURNEY_CITIZENS (64),
 * BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres: the benchmarks make their own fresh
 * databases on it; TEST_DATABASE_URL is not used). The pages and journeys benchmarks compare that server with
 * the embedded default in the same run; the app's CPU profiles go to bench/results/profiles/.
 */
import { currentLoad, describeMachine } from './lib/machine.ts';
import { mergeReports, readReport, writeReport } from './lib/report.ts';
import type { Benchmark, BenchmarkResult } from './lib/result.ts';
import { benchSettings } from './lib/settings.ts';

// Loaded one at a time: a benchmark's imports (and their start-up cost) stay out of the others' measurements.
const BENCHMARKS: { id: string; key: string; title: string; load: () => Promise<Benchmark> }[] = [
  { id: '1', key: 'transmission', title: 'Transmission to HubEE', load: async () => (await import('./transmission.ts')).transmissionBenchmark },
  { id: '2', key: 'pages', title: 'Page rendering', load: async () => (await import('./page-rendering.ts')).pageRenderingBenchmark },
  { id: '3', key: 'journeys', title: 'Whole journeys', load: async () => (await import('./journeys.ts')).journeysBenchmark },
  { id: '4', key: 'chooser', title: 'Collectivity search (35,000 collectivities)', load: async () => (await import('./chooser.ts')).chooserBenchmark },
  { id: '5', key: 'follow-up', title: 'HubEE follow-up', load: async () => (await import('./hubee-follow-up.ts')).hubeeFollowUpBenchmark },
  { id: '6', key: 'qf-refresh', title: 'QF refresh', load: async () => (await import('./qf-refresh.ts')).qfRefreshBenchmark },
  { id: '7', key: 'startup', title: 'Start-up', load: async () => (await import('./startup.ts')).startupBenchmark },
  { id: '8', key: 'mise-a-jour', title: 'Mise à jour annuelle job (300 families)', load: async () => (await import('./qf-refresh-batch.ts')).qfRefreshBatchBenchmark },
];

const settings = benchSettings();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !BENCHMARKS.some((b) => b.key === w || b.id === w));
if (unknown.length > 0) {
  process.stderr.write(`Unknown benchmark(s): ${unknown.join(', ')}. Known: ${BENCHMARKS.map((b) => b.key).join(', ')}\n`);
  process.exit(2);
}
const selected = wanted.length === 0 ? BENCHMARKS : BENCHMARKS.filter((b) => wanted.includes(b.key) || wanted.includes(b.id));

const machine = describeMachine();
const started = performance.now();
const log = (line: string) => process.stdout.write(`${line}\n`);
log(`Benchmarks on ${machine.cpuModel} × ${machine.cores}, ${machine.memoryGiB} GiB, Node ${machine.node}, load ${machine.loadAverage.join(' / ')}; latency ${settings.latencyMs} ms, ${settings.runs} runs`);

const results: BenchmarkResult[] = [];
for (const benchmark of selected) {
  log(`\n[${benchmark.id}] ${benchmark.title}`);
  const startedAt = new Date().toISOString();
  const loadAverage = currentLoad();
  const t0 = performance.now();
  let result: BenchmarkResult;
  try {
    const run = await benchmark.load();
    const outcome = await run({ latencyMs: settings.latencyMs, runs: settings.runs, log: (line) => log(`    ${line}`) });
    result = { id: benchmark.id, title: benchmark.title, startedAt, loadAverage, loadAverageAtEnd: currentLoad(), durationSeconds: (performance.now() - t0) / 1000, ...outcome };
  } catch (error) {
    const reason = error instanceof Error ? (error.stack ?? error.message) : String(error);
    log(`    FAILED: ${reason}`);
    result = { id: benchmark.id, title: benchmark.title, status: 'failed', startedAt, loadAverage, loadAverageAtEnd: currentLoad(), durationSeconds: (performance.now() - t0) / 1000, setup: [], figures: [], ratios: [], targets: [], findings: [`The benchmark failed: ${reason.split('\n')[0]}`] };
  }
  log(`    load average ${loadAverage.join(' / ')} at start, ${result.loadAverageAtEnd?.join(' / ') ?? '?'} at end`);
  for (const target of result.targets) log(`    target ${target.name}: ${target.value.toFixed(2)} ${target.unit} (wanted ${target.wanted}) → ${target.met ? 'met' : 'NOT met'}`);
  results.push(result);
}

const directory = new URL('./results/', import.meta.url);
const report = {
  generatedAt: new Date().toISOString(),
  command: `npm run bench${wanted.length > 0 ? ` -- ${wanted.join(' ')}` : ''}`,
  settings,
  machine,
  loadAverageAtEnd: currentLoad(),
  durationSeconds: (performance.now() - started) / 1000,
  benchmarks: results,
};
// A partial run merges into the report it finds (the other sections stay, with the run they came from); the whole
// run starts a new one.
const files = writeReport(mergeReports(selected.length < BENCHMARKS.length ? readReport(directory) : null, report), directory);
log(`\nReport: ${files.markdown} and ${files.json} (${Math.round((performance.now() - started) / 1000)} s)`);
// Undici keeps idle sockets and timers alive a little; the report is written.
process.exit(results.some((r) => r.status === 'failed') ? 1 : 0);
