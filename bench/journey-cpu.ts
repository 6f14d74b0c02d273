/**
 * Ad-hoc probe for before/after comparisons on a shared machine: CPU per whole journey (the app's process and its
 * database server's, from /proc) over N journeys at a small concurrency, with a given injected latency, on one
 * stack; optionally a CPU profile of the app over the same journeys. Throughput is noisy here, CPU per journey much
 * less so. `npx tsx bench/journey-cpu.ts [postgres|embedded] [journeys=120] [concurrency=4] [latencyMs=0] [profile]`
 */
import { mkdirSync } from 'node:fs';
import { Citizen } from './lib/citizen.ts';
import { currentLoad } from './lib/machine.ts';
import { startStack, type DatabaseKind } from './lib/processes.ts';
import { hotSpots, latestProfile } from './lib/profile-summary.ts';
import { cpuMeter } from './lib/service-processes.ts';

const kind = (process.argv[2] ?? 'postgres') as DatabaseKind;
const count = Number(process.argv[3] ?? 120);
const concurrency = Number(process.argv[4] ?? 4);
const latencyMs = Number(process.argv[5] ?? 0);
const profile = process.argv[6] === 'profile';
const profileDir = new URL(`./results/profiles/journey-cpu-${Date.now()}/`, import.meta.url).pathname;
if (profile) mkdirSync(profileDir, { recursive: true });
const stack = await startStack({ latencyMs, database: kind, ...(profile ? { profileDir } : {}) });
const personas = ['angela', 'jeanne', 'vincent'];
let sequence = 0;
const journey = async () => {
  const citizen = new Citizen(stack.topology.appUrl);
  const review = await citizen.reachReview({ siret: '21040107100019', search: 'Majastres', persona: personas[sequence++ % personas.length]! });
  await citizen.transmit(review);
};
const batch = async (n: number) => {
  let left = n;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (left-- > 0) await journey();
  }));
};
try {
  await batch(30); // warm-up: JIT, discovery, tokens, pools
  const load = currentLoad();
  const app = cpuMeter(() => [stack.app.pid]);
  const db = cpuMeter(() => stack.databasePids());
  const standIns = cpuMeter(() => [stack.sandbox.pid]);
  const t0 = performance.now();
  const run = () => batch(count);
  if (profile) await stack.profiled(run);
  else await run();
  const seconds = (performance.now() - t0) / 1000;
  const per = (s: number) => ((s * 1000) / count).toFixed(2);
  const result = { kind, count, concurrency, latencyMs, seconds: +seconds.toFixed(1), rate: +(count / seconds).toFixed(1), appMs: per(app.stop()), dbMs: per(db.stop()), standInsMs: per(standIns.stop()), load, loadAtEnd: currentLoad() };
  console.log(JSON.stringify(result));
  if (profile) {
    const path = latestProfile(profileDir);
    if (path) console.log(JSON.stringify(hotSpots(path, 30), null, 1));
  }
} finally {
  await stack.stop();
}
process.exit(0);
