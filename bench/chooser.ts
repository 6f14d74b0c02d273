/**
 * The collectivity chooser with 35,000 active collectivities: p95 latency of a search answered over HTTP by the
 * running app (JSON route and full page), and the size of each answer. Run: `npx tsx bench/chooser.ts`.
 */
import { writeFileSync } from 'node:fs';
import { startTestService } from '../test/support/service.ts';
import { seedSyntheticCollectivities, syntheticCollectivity } from './synthetic-collectivities.ts';

const COUNT = Number(process.env.BENCH_COLLECTIVITIES ?? 35_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 400);

const test = await startTestService({ LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '1000000' });
try {
  const db = test.service.context.db;
  await seedSyntheticCollectivities(db, COUNT);
  const active = await test.service.context.collectivities.countActive();

  const queries: string[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const c = syntheticCollectivity((i * 7919) % COUNT);
    const kind = i % 4;
    queries.push(kind === 0 ? c.name.slice(0, 3) : kind === 1 ? c.name.slice(0, 8) : kind === 2 ? c.codePostal.slice(0, 5) : c.departement);
  }
  const measure = async (path: (q: string) => string) => {
    for (const q of queries.slice(0, 20)) await (await fetch(`${test.appUrl}${path(q)}`)).arrayBuffer();
    const times: number[] = [];
    let maxBytes = 0;
    for (const q of queries) {
      const started = performance.now();
      const response = await fetch(`${test.appUrl}${path(q)}`);
      const bytes = (await response.arrayBuffer()).byteLength;
      times.push(performance.now() - started);
      if (response.status !== 200) throw new Error(`${path(q)} answered ${response.status}`);
      maxBytes = Math.max(maxBytes, bytes);
    }
    times.sort((a, b) => a - b);
    const at = (p: number) => Number(times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(2));
    return { p50_ms: at(0.5), p95_ms: at(0.95), p99_ms: at(0.99), max_bytes: maxBytes };
  };
  const search = test.service.context.collectivitySearch;
  await search.search('warm', 20);
  const inProcess: number[] = [];
  for (const q of queries) {
    const started = performance.now();
    await search.search(q, 20);
    inProcess.push(performance.now() - started);
  }
  inProcess.sort((a, b) => a - b);
  const index_ms = { p50: Number(inProcess[Math.floor(0.5 * inProcess.length)]!.toFixed(3)), p95: Number(inProcess[Math.floor(0.95 * inProcess.length)]!.toFixed(3)) };
  const json = await measure((q) => `/collectivites/recherche?q=${encodeURIComponent(q)}`);
  const page = await measure((q) => `/collectivites?q=${encodeURIComponent(q)}`);
  const emptyPage = (await (await fetch(`${test.appUrl}/collectivites`)).arrayBuffer()).byteLength;
  const result = { machine_load_1min: (await import('node:os')).loadavg()[0], database: db.kind, active_collectivities: active, rounds: ROUNDS, search_index_in_process_ms: index_ms, search_json: json, search_page: page, chooser_page_bytes: emptyPage };
  console.log(JSON.stringify(result, null, 2));
  writeFileSync(new URL(`./results/chooser-${db.kind}.json`, import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
} finally {
  await test.stop();
}
