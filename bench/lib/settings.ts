/** The knobs of a benchmark run, from the environment, with the defaults `npm run bench` uses. */
export interface BenchSettings {
  /** Injected in the stand-ins on every upstream call, to mimic the network. */
  latencyMs: number;
  /** How many times each benchmark repeats its measurement. */
  runs: number;
}

export function benchSettings(env: NodeJS.ProcessEnv = process.env): BenchSettings {
  return {
    latencyMs: wholeNumber(env.BENCH_LATENCY_MS, 50, 'BENCH_LATENCY_MS'),
    runs: Math.max(5, wholeNumber(env.BENCH_RUNS, 5, 'BENCH_RUNS')),
  };
}

function wholeNumber(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`${name} must be a whole number, not "${value}"`);
  return parsed;
}
