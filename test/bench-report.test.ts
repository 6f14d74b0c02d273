import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergeReports, renderMarkdown, type Report } from '../bench/lib/report.ts';
import type { BenchmarkResult } from '../bench/lib/result.ts';

const section = (id: string, startedAt: string, finding: string): BenchmarkResult => ({
  id,
  title: `Benchmark ${id}`,
  status: 'measured',
  startedAt,
  loadAverage: [1, 1, 1],
  loadAverageAtEnd: [2, 2, 2],
  durationSeconds: 10,
  setup: [],
  figures: [],
  ratios: [],
  targets: [],
  findings: [finding],
});

const report = (generatedAt: string, command: string, load: number, benchmarks: BenchmarkResult[]): Report => ({
  generatedAt,
  command,
  settings: { latencyMs: 50, runs: 5 },
  machine: { cpuModel: 'cpu', cores: 2, memoryGiB: 8, freeMemoryGiB: 4, os: 'Linux', node: 'v24', loadAverage: [load, load, load] },
  loadAverageAtEnd: [load, load, load],
  durationSeconds: 60,
  benchmarks,
});

describe('the benchmark report of a partial run', () => {
  const full = report('2026-01-01T10:00:00.000Z', 'npm run bench', 3, [section('1', '2026-01-01T09:50:00.000Z', 'old one'), section('2', '2026-01-01T09:52:00.000Z', 'old two'), section('3', '2026-01-01T09:55:00.000Z', 'old three')]);
  const partial = report('2026-01-02T10:00:00.000Z', 'npm run bench -- pages', 7, [section('2', '2026-01-02T09:58:00.000Z', 'new two')]);

  it('replaces only the sections it ran and keeps the others with the run they came from', () => {
    const merged = mergeReports(full, partial);
    assert.deepEqual(merged.benchmarks.map((b) => [b.id, b.findings[0], b.run?.command]), [
      ['1', 'old one', 'npm run bench'],
      ['2', 'new two', 'npm run bench -- pages'],
      ['3', 'old three', 'npm run bench'],
    ]);
    assert.deepEqual(merged.runs?.map((r) => [r.command, r.loadAverage[0]]), [['npm run bench', 3], ['npm run bench -- pages', 7]]);
    // Merging again keeps each section's own run.
    const again = mergeReports(merged, report('2026-01-03T10:00:00.000Z', 'npm run bench -- journeys', 9, [section('3', '2026-01-03T09:58:00.000Z', 'newer three')]));
    assert.deepEqual(again.benchmarks.map((b) => b.run?.command), ['npm run bench', 'npm run bench -- pages', 'npm run bench -- journeys']);
  });

  it('says in the header which sections come from which run, with its load', () => {
    const markdown = renderMarkdown(mergeReports(full, partial));
    assert.match(markdown, /Merged 2026-01-02T10:00:00.000Z from 2 runs/);
    assert.match(markdown, /\| A \| `npm run bench` \| 2026-01-01T10:00:00.000Z \| cpu × 2, Node v24 \| 3 \/ 3 \/ 3 \| 3 \/ 3 \/ 3 \| 1, 3 \|/);
    assert.match(markdown, /\| B \| `npm run bench -- pages` \| 2026-01-02T10:00:00.000Z \| cpu × 2, Node v24 \| 7 \/ 7 \/ 7 \| 7 \/ 7 \/ 7 \| 2 \|/);
    assert.match(markdown, /## 1\. Benchmark 1[\s\S]*From `npm run bench` \(run A\)[\s\S]*## 2\. Benchmark 2[\s\S]*From `npm run bench -- pages` \(run B\)/);
  });

  it('says when a section was measured with more runnable processes than cores', () => {
    const busy = { ...section('1', '2026-01-01T09:50:00.000Z', 'busy'), loadAverage: [5, 4, 3] as [number, number, number] };
    assert.match(renderMarkdown(mergeReports(null, report('2026-01-01T10:00:00.000Z', 'npm run bench', 5, [busy]))), /\*\*Measured at high load\*\* \(a load average of 5 at its start on 2 cores\)/);
    assert.doesNotMatch(renderMarkdown(mergeReports(null, full)), /Measured at high load/);
  });

  it('is a report of its own when there is nothing to merge into', () => {
    const alone = renderMarkdown(mergeReports(null, full));
    assert.match(alone, /^Generated 2026-01-01T10:00:00.000Z by `npm run bench` in 60 s\./m);
    assert.doesNotMatch(alone, /\| run \| command/);
  });
});
