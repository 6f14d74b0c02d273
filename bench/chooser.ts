import { buildCollectivitySearchIndex } from '../src/domain/collectivity-search-index.ts';
import { createCollectivitySearch } from '../src/usecases/collectivity-search.ts';
import { startStack } from './lib/processes.ts';
import type { Benchmark } from './lib/result.ts';
import { latencyPercentiles, summarize } from './lib/stats.ts';
import { syntheticCollectivity } from './synthetic-collectivities.ts';

const COUNT = 35_000;
const QUERIES_PER_RUN = 400;
const MAX_MS = 20;
const MAX_BYTES = 100 * 1024;

/** Queries as people type them: 3 or 8 letters of a name, a postal code, a département; different each run. */
function queries(run: number): string[] {
  return Array.from({ length: QUERIES_PER_RUN }, (_, i) => {
    const c = syntheticCollectivity(((run * QUERIES_PER_RUN + i) * 7919) % COUNT);
    const kind = i % 4;
    return kind === 0 ? c.name.slice(0, 3) : kind === 1 ? c.name.slice(0, 8) : kind === 2 ? c.codePostal : c.departement;
  });
}

/**
 * Benchmark 4: the chooser with 35,000 active collectivities (issue 3: each answer under 100 KB, the search
 * under 20 ms at the 95th percentile). Over HTTP against the app in its own process (one request at a time),
 * the JSON search and the server-rendered page; and the in-memory index alone, in this process.
 */
export const chooserBenchmark: Benchmark = async ({ latencyMs, runs, log }) => {
  const stack = await startStack({ latencyMs, appEnv: { BENCH_SYNTHETIC_COLLECTIVITIES: String(COUNT) } });
  try {
    const app = stack.topology.appUrl;
    const get = async (path: string) => {
      const started = performance.now();
      const response = await fetch(`${app}${path}`);
      const bytes = (await response.arrayBuffer()).byteLength;
      const ms = performance.now() - started;
      if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
      return { ms, bytes };
    };
    // Builds the app's index (the first search after start-up) and warms up.
    const firstSearch = await get('/collectivites/recherche?q=warm');
    for (const q of queries(99).slice(0, 50)) await get(`/collectivites/recherche?q=${encodeURIComponent(q)}`);
    const chooserPage = await get('/collectivites');

    const jsonP95: number[] = [];
    const pageP95: number[] = [];
    const jsonAll: number[] = [];
    const pageAll: number[] = [];
    let jsonMaxBytes = 0;
    let pageMaxBytes = 0;
    for (let run = 0; run < runs; run++) {
      const json: number[] = [];
      const page: number[] = [];
      for (const q of queries(run)) {
        const a = await get(`/collectivites/recherche?q=${encodeURIComponent(q)}`);
        json.push(a.ms);
        jsonMaxBytes = Math.max(jsonMaxBytes, a.bytes);
        const b = await get(`/collectivites?q=${encodeURIComponent(q)}`);
        page.push(b.ms);
        pageMaxBytes = Math.max(pageMaxBytes, b.bytes);
      }
      jsonP95.push(latencyPercentiles(json).p95);
      pageP95.push(latencyPercentiles(page).p95);
      jsonAll.push(...json);
      pageAll.push(...page);
      log(`run ${run + 1}: p95 JSON ${jsonP95.at(-1)!.toFixed(2)} ms, page ${pageP95.at(-1)!.toFixed(2)} ms`);
    }

    // The index alone: build time over the same 35,000, and search time without HTTP.
    const summaries = Array.from({ length: COUNT }, (_, i) => {
      const c = syntheticCollectivity(i);
      return { siret: c.siret, name: c.name, codePostal: c.codePostal, departement: c.departement };
    });
    const buildTimes: number[] = [];
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      buildCollectivitySearchIndex(summaries);
      buildTimes.push(performance.now() - started);
    }
    const search = createCollectivitySearch(async () => summaries, { maxAgeMs: 60_000 });
    await search.search('warm', 20);
    const inProcessP95: number[] = [];
    for (let run = 0; run < runs; run++) {
      const times: number[] = [];
      for (const q of queries(run)) {
        const started = performance.now();
        await search.search(q, 20);
        times.push(performance.now() - started);
      }
      inProcessP95.push(latencyPercentiles(times).p95);
    }

    const json = summarize(jsonP95);
    const page = summarize(pageP95);
    return {
      status: 'measured',
      setup: [
        `${COUNT.toLocaleString('en')} made-up active collectivities (bench/synthetic-collectivities.ts: commune-like names, postal codes, départements) added to the seeded ones in the app's embedded database.`,
        `${runs} runs × ${QUERIES_PER_RUN} queries (3 or 8 letters of a name, a postal code, a département), one request at a time over HTTP to the app in its own process: the JSON search (/collectivites/recherche) and the page (/collectivites?q=).`,
        'In this process: the index build over the same collectivities, and the search without HTTP.',
      ],
      figures: [
        { name: 'search JSON p95', unit: 'ms', summary: json, over: 'runs' },
        { name: 'search page p95', unit: 'ms', summary: page, over: 'runs' },
        { name: 'search JSON latency', unit: 'ms', summary: summarize(jsonAll), over: 'requests' },
        { name: 'search page latency', unit: 'ms', summary: summarize(pageAll), over: 'requests' },
        { name: 'in-process search p95', unit: 'ms', summary: summarize(inProcessP95), over: 'runs' },
        { name: 'index build (35,000)', unit: 'ms', summary: summarize(buildTimes), over: 'runs' },
        { name: 'largest JSON answer', unit: 'bytes', summary: summarize([jsonMaxBytes]), over: 'maximum' },
        { name: 'largest search page', unit: 'bytes', summary: summarize([pageMaxBytes]), over: 'maximum' },
        { name: 'chooser page (empty search)', unit: 'bytes', summary: summarize([chooserPage.bytes]), over: 'page' },
      ],
      ratios: [],
      targets: [
        { name: 'search p95 (JSON)', wanted: `< ${MAX_MS} ms`, value: json.median, unit: 'ms', met: json.median < MAX_MS },
        { name: 'search p95 (page)', wanted: `< ${MAX_MS} ms`, value: page.median, unit: 'ms', met: page.median < MAX_MS },
        { name: 'largest answer', wanted: '< 100 KB', value: Math.max(jsonMaxBytes, pageMaxBytes, chooserPage.bytes) / 1024, unit: 'KiB', met: Math.max(jsonMaxBytes, pageMaxBytes, chooserPage.bytes) < MAX_BYTES },
      ],
      findings: [`The first search after start-up (which loads and indexes the collectivities) took ${firstSearch.ms.toFixed(0)} ms.`],
      details: { collectivities: COUNT, queriesPerRun: QUERIES_PER_RUN },
    };
  } finally {
    await stack.stop();
  }
};
