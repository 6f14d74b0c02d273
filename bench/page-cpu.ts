/**
 * Ad-hoc probe for before/after comparisons on a shared machine: CPU per request of the home and review pages (the
 * app's process and its database server's, from /proc) under autocannon, on one stack.
 * `npx tsx bench/page-cpu.ts [postgres|embedded] [seconds=5] [profile]` (profile: the review page's run, profiled)
 */
import autocannon from 'autocannon';
import { Citizen } from './lib/citizen.ts';
import { mkdirSync } from 'node:fs';
import { currentLoad } from './lib/machine.ts';
import { latestProfile } from './lib/profile-summary.ts';
import { startStack, type DatabaseKind } from './lib/processes.ts';
import { cpuMeter } from './lib/service-processes.ts';

const kind = (process.argv[2] ?? 'postgres') as DatabaseKind;
const seconds = Number(process.argv[3] ?? 5);
const profileDir = process.argv[4] === 'profile' ? new URL(`./results/profiles/page-cpu-${Date.now()}/`, import.meta.url).pathname : null;
if (profileDir) mkdirSync(profileDir, { recursive: true });
const stack = await startStack({ latencyMs: 0, database: kind, ...(profileDir ? { profileDir } : {}) });
try {
  const citizen = new Citizen(stack.topology.appUrl);
  await citizen.reachReview({ siret: '21040107100019', search: 'Majastres', persona: 'angela' });
  const targets = { home: { url: `${stack.topology.appUrl}/` }, review: { url: `${stack.topology.appUrl}/verification`, headers: { cookie: citizen.cookieHeader() } } };
  const out: Record<string, unknown> = { kind, load: currentLoad() };
  for (const [name, target] of Object.entries(targets)) {
    await autocannon({ ...target, connections: 10, duration: 1 });
    const app = cpuMeter(() => [stack.app.pid]);
    const db = cpuMeter(() => stack.databasePids());
    const run = () => autocannon({ ...target, connections: 10, duration: seconds });
    const result = profileDir && name === 'review' ? await stack.profiled(run) : await run();
    const n = result.requests.total;
    out[name] = { rps: Math.round(result.requests.average), appUs: Math.round((app.stop() * 1e6) / n), dbUs: Math.round((db.stop() * 1e6) / n), non2xx: result.non2xx };
  }
  console.log(JSON.stringify({ ...out, loadAtEnd: currentLoad(), ...(profileDir ? { profile: latestProfile(profileDir) } : {}) }));
} finally {
  await stack.stop();
}
process.exit(0);
