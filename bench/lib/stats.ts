/** Medians and spreads: the machine is shared and noisy, so no figure is ever a lone measurement. */

export interface Summary {
  /** How many values the summary is made of (runs, or requests for latencies). */
  n: number;
  median: number;
  min: number;
  max: number;
  p25: number;
  p75: number;
}

/** The value below which `p` (0..1) of the sorted values lie, interpolated between neighbours. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = (sorted.length - 1) * p;
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const a = sorted[low]!;
  const b = sorted[high]!;
  return a + (b - a) * (rank - low);
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    median: percentile(sorted, 0.5),
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
    p25: percentile(sorted, 0.25),
    p75: percentile(sorted, 0.75),
  };
}

/** p50/p95/p99 of a set of latencies. */
export function latencyPercentiles(values: readonly number[]): { n: number; p50: number; p95: number; p99: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { n: sorted.length, p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), p99: percentile(sorted, 0.99), max: sorted[sorted.length - 1] ?? Number.NaN };
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
