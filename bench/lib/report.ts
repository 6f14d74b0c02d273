import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { MachineDescription } from './machine.ts';
import type { BenchmarkResult, Figure, RunInfo } from './result.ts';
import type { BenchSettings } from './settings.ts';
import { round } from './stats.ts';

export interface Report {
  generatedAt: string;
  command: string;
  settings: BenchSettings;
  machine: MachineDescription;
  loadAverageAtEnd: [number, number, number];
  durationSeconds: number;
  benchmarks: BenchmarkResult[];
  /** The runs the sections come from, when several (see mergeReports); absent: all from this one. */
  runs?: RunInfo[];
}

export function runInfoOf(report: Report): RunInfo {
  return { generatedAt: report.generatedAt, command: report.command, loadAverage: report.machine.loadAverage, loadAverageAtEnd: report.loadAverageAtEnd, durationSeconds: report.durationSeconds, machine: `${report.machine.cpuModel} × ${report.machine.cores}, Node ${report.machine.node}` };
}

/**
 * A partial run (`npm run bench -- pages`) merged into the report it finds: its sections replace those with the
 * same id, the others stay as they were measured, each keeping the run it came from (its command, time and load),
 * and the header lists the runs. A section of an older report that never recorded its run is attributed to that
 * report as a whole.
 */
export function mergeReports(previous: Report | null, current: Report): Report {
  const now = runInfoOf(current);
  const fresh = current.benchmarks.map((b) => ({ ...b, run: now }));
  if (!previous) return { ...current, benchmarks: fresh, runs: [now] };
  const before = runInfoOf(previous);
  const replaced = new Set(fresh.map((b) => b.id));
  const kept = previous.benchmarks.filter((b) => !replaced.has(b.id)).map((b) => ({ ...b, run: b.run ?? before }));
  const benchmarks = [...kept, ...fresh].sort((a, b) => Number(a.id) - Number(b.id) || a.id.localeCompare(b.id));
  const runs: RunInfo[] = [];
  for (const b of benchmarks) if (!runs.some((r) => r.generatedAt === b.run.generatedAt)) runs.push(b.run);
  runs.sort((a, b) => a.generatedAt.localeCompare(b.generatedAt));
  return { ...current, benchmarks, runs };
}

/** The report.json in `directory`, or null when there is none (or it is not a report). */
export function readReport(directory: URL): Report | null {
  const json = new URL('report.json', directory);
  if (!existsSync(json)) return null;
  try {
    const report = JSON.parse(readFileSync(json, 'utf8')) as Report;
    return Array.isArray(report.benchmarks) ? report : null;
  } catch {
    return null;
  }
}

export function writeReport(report: Report, directory: URL): { markdown: string; json: string } {
  mkdirSync(directory, { recursive: true });
  const json = new URL('report.json', directory);
  const markdown = new URL('report.md', directory);
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(markdown, renderMarkdown(report));
  return { markdown: markdown.pathname, json: json.pathname };
}

const fmt = (value: number) => (Number.isFinite(value) ? String(round(value, Math.abs(value) >= 100 ? 1 : 2)) : '–');

function figureRow(figure: Figure): string {
  const s = figure.summary;
  return `| ${figure.name} | ${fmt(s.median)} ${figure.unit} | ${fmt(s.min)} – ${fmt(s.max)} | ${fmt(s.p25)} – ${fmt(s.p75)} | ${s.n} ${figure.over} |`;
}

export function renderMarkdown(report: Report): string {
  const m = report.machine;
  const lines: string[] = [
    '# Formulaire QF — benchmark report',
    '',
    `${origin(report)} Everything ran on this machine against the local stand-ins (127.0.0.1 only), with **${report.settings.latencyMs} ms** injected by the stand-ins on every upstream request (\`BENCH_LATENCY_MS\`), each measurement repeated ${report.settings.runs} times or more (\`BENCH_RUNS\`).`,
    '',
    ...runsTable(report),
    '## Machine',
    '',
    `| CPU | cores | memory | OS | Node | load average at start (1/5/15 min) | at end |`,
    `|---|---|---|---|---|---|---|`,
    `| ${m.cpuModel} | ${m.cores} | ${m.memoryGiB} GiB (${m.freeMemoryGiB} free at start) | ${m.os} | ${m.node} | ${m.loadAverage.join(' / ')} | ${report.loadAverageAtEnd.join(' / ')} |`,
    '',
    ...(merged(report) ? ['(The load averages above are those of the latest run; each section gives its own, and the table of runs above those of every run.)', ''] : []),
    `The machine is shared and noisy: ${m.cores} cores for several people's builds, tests and benchmarks at once (a load average of ${m.loadAverage[0]} at the start means about ${Math.max(1, Math.round(m.loadAverage[0] / m.cores))} runnable processes per core), so every figure moves with the others' work from one second to the next. Figures are medians with their spread (min – max, and the interquartile range p25 – p75); ratios are computed run by run from measurements made in the same process or the same minute, then summarised; each benchmark gives the load average at its start and end.`,
    '',
    '## Summary of the targets',
    '',
    '| benchmark | target | wanted | measured | met |',
    '|---|---|---|---|---|',
  ];
  for (const b of report.benchmarks) {
    if (b.status !== 'measured') {
      lines.push(`| ${b.title} | – | – | ${b.status === 'not_available' ? 'not available yet' : 'failed'} | – |`);
      continue;
    }
    for (const t of b.targets) lines.push(`| ${b.title} | ${t.name} | ${t.wanted} | ${fmt(t.value)} ${t.unit} | ${t.met ? 'yes' : '**no**'} |`);
    if (b.targets.length === 0) lines.push(`| ${b.title} | (figures only) | – | – | – |`);
  }
  for (const b of report.benchmarks) {
    lines.push('', `## ${b.id}. ${b.title}`, '');
    const load = b.loadAverage ? ` Load average (1/5/15 min) ${b.loadAverage.join(' / ')} at its start, ${b.loadAverageAtEnd?.join(' / ') ?? '?'} at its end, on ${report.machine.cores} cores.` : '';
    const busy = b.loadAverage && b.loadAverage[0] > report.machine.cores ? ` **Measured at high load** (a load average of ${b.loadAverage[0]} at its start on ${report.machine.cores} cores): its throughputs and latencies are pessimistic, its CPU per request or per journey less so.` : '';
    const from = merged(report) && b.run ? ` From \`${b.run.command}\` (run ${runLetter(report, b.run)}).` : '';
    lines.push(`Status: **${b.status === 'measured' ? 'measured' : b.status === 'not_available' ? 'not available yet' : 'failed'}**, started ${b.startedAt}, took ${Math.round(b.durationSeconds)} s.${load}${busy}${from}`, '');
    if (b.setup.length > 0) {
      lines.push('How it is measured:', '', ...b.setup.map((s) => `- ${s}`), '');
    }
    if (b.figures.length > 0) {
      lines.push('| figure | median | min – max | p25 – p75 | over |', '|---|---|---|---|---|', ...b.figures.map(figureRow), '');
    }
    if (b.ratios.length > 0) {
      lines.push('| ratio | definition | median | min – max | over |', '|---|---|---|---|---|');
      for (const r of b.ratios) lines.push(`| ${r.name} | ${r.definition} | ${fmt(r.summary.median)} | ${fmt(r.summary.min)} – ${fmt(r.summary.max)} | ${r.summary.n} runs |`);
      lines.push('');
    }
    if (b.targets.length > 0) {
      lines.push('| target | wanted | measured | met |', '|---|---|---|---|');
      for (const t of b.targets) lines.push(`| ${t.name} | ${t.wanted} | ${fmt(t.value)} ${t.unit} | ${t.met ? 'yes' : '**no**'} |`);
      lines.push('');
    }
    if (b.findings.length > 0) lines.push('Findings:', '', ...b.findings.map((f) => `- ${f}`), '');
  }
  return `${lines.join('\n')}\n`;
}

const merged = (report: Report) => (report.runs?.length ?? 0) > 1;
const runLetter = (report: Report, run: RunInfo) => String.fromCharCode(65 + (report.runs ?? []).findIndex((r) => r.generatedAt === run.generatedAt));

function origin(report: Report): string {
  if (!merged(report)) return `Generated ${report.generatedAt} by \`${report.command}\` in ${Math.round(report.durationSeconds)} s.`;
  return `Merged ${report.generatedAt} from ${report.runs!.length} runs of \`npm run bench\` (a partial run keeps the sections it did not measure, as they were): the table below says which sections come from which run and on what machine (figures from different machines do not compare); each section gives its own start time and load.`;
}

function runsTable(report: Report): string[] {
  if (!merged(report)) return [];
  const lines = ['| run | command | generated | machine | load average at start (1/5/15 min) | at end | sections |', '|---|---|---|---|---|---|---|'];
  for (const run of report.runs!) {
    const sections = report.benchmarks.filter((b) => b.run?.generatedAt === run.generatedAt).map((b) => b.id);
    lines.push(`| ${runLetter(report, run)} | \`${run.command}\` | ${run.generatedAt} | ${run.machine ?? '?'} | ${run.loadAverage.join(' / ')} | ${run.loadAverageAtEnd.join(' / ')} | ${sections.join(', ')} |`);
  }
  return [...lines, ''];
}
