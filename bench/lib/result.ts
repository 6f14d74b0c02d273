import type { Summary } from './stats.ts';

/** One measured quantity, over several runs (or many requests). */
export interface Figure {
  name: string;
  unit: string;
  summary: Summary;
  /** What the n of the summary counts, e.g. "runs" or "requests". */
  over: string;
}

/** A comparison made from runs in the same process or the same minute; summarised over the per-run ratios. */
export interface Ratio {
  name: string;
  /** e.g. "legacy time / our time" */
  definition: string;
  summary: Summary;
}

export interface Target {
  name: string;
  /** What is wanted, in words, e.g. "≥ 1.8×". */
  wanted: string;
  /** The figure judged (the median unless said otherwise). */
  value: number;
  unit: string;
  met: boolean;
}

export interface BenchmarkResult {
  id: string;
  title: string;
  status: 'measured' | 'not_available' | 'failed';
  /** When the benchmark started and how long it took. */
  startedAt: string;
  /** 1, 5 and 15 minute load averages when it started and ended: the machine is shared. */
  loadAverage?: [number, number, number];
  loadAverageAtEnd?: [number, number, number];
  durationSeconds: number;
  setup: string[];
  figures: Figure[];
  ratios: Ratio[];
  targets: Target[];
  /** Plain-language findings: bottlenecks, why a target is missed, what was changed. */
  findings: string[];
  /**
   * The `npm run bench` this section was measured by, when the report merges several (a partial run keeps the
   * other sections of the report it found, each with the run it came from).
   */
  run?: RunInfo;
  /** Free-form extra data (per-step latencies, sizes…), kept in the JSON report. */
  details?: Record<string, unknown>;
}

export type Benchmark = (context: { latencyMs: number; runs: number; log: (line: string) => void }) => Promise<Omit<BenchmarkResult, 'id' | 'title' | 'startedAt' | 'loadAverage' | 'loadAverageAtEnd' | 'durationSeconds'>>;

/** One `npm run bench` invocation, as a merged report names the origin of each of its sections. */
export interface RunInfo {
  generatedAt: string;
  command: string;
  /** 1, 5 and 15 minute load averages at the run's start and end. */
  loadAverage: [number, number, number];
  loadAverageAtEnd: [number, number, number];
  durationSeconds: number;
  /** What it ran on (CPU model, cores, Node): a merged report may hold runs from different machines. */
  machine?: string;
}
