import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Reads the V8 CPU profiles `node --cpu-prof` wrote and says where the time went: self time per function, and
 * the share of the whole. Used to write the findings; run alone: `npx tsx bench/lib/profile-summary.ts <dir>`.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  endTime: number;
  startTime: number;
}

export interface HotSpot {
  where: string;
  selfMs: number;
  share: number;
}

/** `lastMs`: only the samples of the profile's last milliseconds (the measured load, not the start-up). */
export function hotSpots(profilePath: string, top = 15, lastMs = Number.POSITIVE_INFINITY): { totalMs: number; spots: HotSpot[]; byPackage: HotSpot[] } {
  const profile = JSON.parse(readFileSync(profilePath, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  const from = profile.endTime - lastMs * 1000;
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (at < from) continue;
    const id = profile.samples[i]!;
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  }
  const totals = new Map<string, number>();
  const packages = new Map<string, number>();
  let totalMs = 0;
  for (const [id, ms] of self) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') continue;
    // The in-process inspector session that takes the profile (bench/support/app-main.ts): the profiler's own cost.
    if (url === 'node:inspector') continue;
    totalMs += ms;
    const file = url.replace(/^file:\/\//, '').replace(/.*\/node_modules\//, 'node_modules/').replace(REPOSITORY_ROOT, '');
    const key = `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
    totals.set(key, (totals.get(key) ?? 0) + ms);
    const pkg = packageOf(file, functionName);
    packages.set(pkg, (packages.get(pkg) ?? 0) + ms);
  }
  const rank = (map: Map<string, number>) =>
    [...map].sort((a, b) => b[1] - a[1]).slice(0, top).map(([where, selfMs]) => ({ where, selfMs: Math.round(selfMs), share: Math.round((selfMs / totalMs) * 1000) / 10 }));
  return { totalMs: Math.round(totalMs), spots: rank(totals), byPackage: rank(packages) };
}

/**
 * Who the time belongs to: a package, our code, Node itself, or a native (the database server runs in processes
 * of its own, not in this profile: its CPU is measured from /proc, see service-processes.ts).
 */
function packageOf(file: string, functionName: string): string {
  if (file.startsWith('node_modules/')) {
    const parts = file.split('/');
    return parts.slice(0, parts[1]?.startsWith('@') ? 3 : 2).join('/');
  }
  if (file.startsWith('src/')) return 'src (ours)';
  if (file.startsWith('wasm://')) return 'WebAssembly';
  if (file.startsWith('node:')) return 'Node.js internals';
  if (file === '') return `native: ${functionName}`;
  return file;
}

export function latestProfile(directory: string): string | null {
  try {
    // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: thread 0 is the main thread (tsx adds a loader thread);
    // bench/support/app-main.ts names the profiles it writes on SIGUSR2 the same way.
    const files = readdirSync(directory).filter((f) => /\.0\.\d+\.cpuprofile$/.test(f)).sort();
    return files.length > 0 ? join(directory, files[files.length - 1]!) : null;
  } catch {
    return null;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const target = process.argv[2] ?? 'bench/results/profiles';
  const path = target.endsWith('.cpuprofile') ? target : latestProfile(target);
  if (!path) throw new Error(`no .cpuprofile in ${target}`);
  console.log(JSON.stringify(hotSpots(path, 25, Number(process.argv[3] ?? Number.POSITIVE_INFINITY)), null, 2));
}

/** One sentence for a report: where the service's CPU went during the measured part of a profile in `directory`. */
export function profileFinding(directory: string, measuredMs: number): { sentence: string; spots: ReturnType<typeof hotSpots> } | null {
  const profile = latestProfile(directory);
  if (!profile) return null;
  const spots = hotSpots(profile, 8, measuredMs);
  const share = (list: HotSpot[]) => list.map((s) => `${s.where} ${s.share} %`).join(', ');
  return {
    sentence: `CPU profile of the app (V8's sampling profiler, ${profile.replace(/.*\/bench\//, 'bench/')}, ${(spots.totalMs / 1000).toFixed(1)} s sampled; a native's time includes the moments the process waited for a CPU inside it): by package ${share(spots.byPackage)}; hottest functions ${share(spots.spots)}.`,
    spots,
  };
}
