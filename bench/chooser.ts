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

type QueryKind = 'name' | 'typo' | 'postal' | 'departement';
const KINDS: readonly QueryKind[] = ['name', 'typo', 'postal', 'departement'];
const KIND_LABELS: Record<QueryKind, string> = { name: 'name prefixes', typo: 'typos', postal: 'postal codes', departement: 'départements' };

/** Issue 16's own examples: a typo of a seeded commune, and postal codes of arrondissements and a CEDEX city. */
const TYPO_EXAMPLES = ['Majsatres', 'Mjaastres', 'Bellley'];
const POSTAL_EXAMPLES = ['75015', '69001', '13008', '06000'];

/** One or two typos in the longest word of a name: two neighbours swapped, and for long words a letter changed. */
function withTypos(name: string, i: number): string {
  const words = name.split(/[\s-]+/);
  const word = words.reduce((a, b) => (b.length > a.length ? b : a), '');
  if (word.length < 5) return `${name.slice(0, 1)}${name.slice(2, 1 + 8)}`;
  const at = 1 + (i % (word.length - 2));
  let typed = `${word.slice(0, at)}${word[at + 1]}${word[at]}${word.slice(at + 2)}`;
  if (word.length >= 9) typed = `${typed.slice(0, word.length - 2)}${typed[word.length - 2] === 'e' ? 'a' : 'e'}${typed.slice(word.length - 1)}`;
  return typed;
}

/**
 * Queries as people type them, different each run: 3 or 8 letters of a name, a name with one or two typos (as
 * "Majsatres" for Majastres), a postal code (synthetic ones and the issue's 75015, 69001, 13008, 06000), a
 * département. A quarter of each kind.
 */
function queries(run: number): { kind: QueryKind; q: string }[] {
  return Array.from({ length: QUERIES_PER_RUN }, (_, i) => {
    const c = syntheticCollectivity(((run * QUERIES_PER_RUN + i) * 7919) % COUNT);
    const kind = KINDS[i % KINDS.length]!;
    const nth = Math.floor(i / KINDS.length);
    switch (kind) {
      case 'name':
        return { kind, q: nth % 2 === 0 ? c.name.slice(0, 3) : c.name.slice(0, 8) };
      case 'typo':
        return { kind, q: nth % 10 === 0 ? TYPO_EXAMPLES[(nth / 10) % TYPO_EXAMPLES.length]! : withTypos(c.name, nth) };
      case 'postal':
        return { kind, q: nth % 10 === 0 ? POSTAL_EXAMPLES[(nth / 10) % POSTAL_EXAMPLES.length]! : c.codePostal };
      case 'departement':
        return { kind, q: c.departement };
    }
  });
}

const byKind = <T>(make: () => T): Record<QueryKind, T> => ({ name: make(), typo: make(), postal: make(), departement: make() });

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
    for (const { q } of queries(99).slice(0, 50)) await get(`/collectivites/recherche?q=${encodeURIComponent(q)}`);
    // The typo examples must find their commune, or their timing would measure an empty answer.
    const corrected = (await (await fetch(`${app}/collectivites/recherche?q=Majsatres`)).json()) as { results?: { name: string }[] };
    if (!corrected.results?.some((r) => r.name === 'Majastres')) throw new Error('"Majsatres" does not find Majastres: the typo timings would mean nothing');
    const chooserPage = await get('/collectivites');

    const jsonP95: number[] = [];
    const pageP95: number[] = [];
    const jsonAll: number[] = [];
    const pageAll: number[] = [];
    let jsonMaxBytes = 0;
    let pageMaxBytes = 0;
    const jsonP95ByKind = byKind<number[]>(() => []);
    for (let run = 0; run < runs; run++) {
      const json: number[] = [];
      const page: number[] = [];
      const jsonOfKind = byKind<number[]>(() => []);
      for (const { kind, q } of queries(run)) {
        const a = await get(`/collectivites/recherche?q=${encodeURIComponent(q)}`);
        json.push(a.ms);
        jsonOfKind[kind].push(a.ms);
        jsonMaxBytes = Math.max(jsonMaxBytes, a.bytes);
        const b = await get(`/collectivites?q=${encodeURIComponent(q)}`);
        page.push(b.ms);
        pageMaxBytes = Math.max(pageMaxBytes, b.bytes);
      }
      jsonP95.push(latencyPercentiles(json).p95);
      pageP95.push(latencyPercentiles(page).p95);
      for (const kind of KINDS) jsonP95ByKind[kind].push(latencyPercentiles(jsonOfKind[kind]).p95);
      jsonAll.push(...json);
      pageAll.push(...page);
      log(
        `run ${run + 1}: p95 JSON ${jsonP95.at(-1)!.toFixed(2)} ms (${KINDS.map((k) => `${KIND_LABELS[k]} ${jsonP95ByKind[k].at(-1)!.toFixed(2)}`).join(', ')}), page ${pageP95.at(-1)!.toFixed(2)} ms`,
      );
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
    const inProcessP95ByKind = byKind<number[]>(() => []);
    for (let run = 0; run < runs; run++) {
      const times: number[] = [];
      const ofKind = byKind<number[]>(() => []);
      for (const { kind, q } of queries(run)) {
        const started = performance.now();
        await search.search(q, 20);
        const ms = performance.now() - started;
        times.push(ms);
        ofKind[kind].push(ms);
      }
      inProcessP95.push(latencyPercentiles(times).p95);
      for (const kind of KINDS) inProcessP95ByKind[kind].push(latencyPercentiles(ofKind[kind]).p95);
    }
    const typo = summarize(jsonP95ByKind.typo);
    const postal = summarize(jsonP95ByKind.postal);

    const json = summarize(jsonP95);
    const page = summarize(pageP95);
    return {
      status: 'measured',
      setup: [
        `${COUNT.toLocaleString('en')} made-up active collectivities (bench/synthetic-collectivities.ts: commune-like names, postal codes, départements) added to the seeded ones in the app's embedded database.`,
        `${runs} runs × ${QUERIES_PER_RUN} queries, a quarter of each kind: 3 or 8 letters of a name; a name with one or two typos (neighbours swapped, a letter changed; one in ten is ${TYPO_EXAMPLES.map((q) => `"${q}"`).join(', ')}); a postal code (one in ten is ${POSTAL_EXAMPLES.join(', ')}); a département. One request at a time over HTTP to the app in its own process: the JSON search (/collectivites/recherche) and the page (/collectivites?q=). The p95 of each kind is reported apart.`,
        'In this process: the index build over the same collectivities, and the search without HTTP.',
      ],
      figures: [
        { name: 'search JSON p95', unit: 'ms', summary: json, over: 'runs' },
        { name: 'search page p95', unit: 'ms', summary: page, over: 'runs' },
        ...KINDS.map((kind) => ({ name: `search JSON p95, ${KIND_LABELS[kind]}`, unit: 'ms', summary: summarize(jsonP95ByKind[kind]), over: 'runs' as const })),
        ...KINDS.map((kind) => ({ name: `in-process search p95, ${KIND_LABELS[kind]}`, unit: 'ms', summary: summarize(inProcessP95ByKind[kind]), over: 'runs' as const })),
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
        { name: 'search p95 with typos (JSON)', wanted: `< ${MAX_MS} ms`, value: typo.median, unit: 'ms', met: typo.median < MAX_MS },
        { name: 'search p95 of postal codes (JSON)', wanted: `< ${MAX_MS} ms`, value: postal.median, unit: 'ms', met: postal.median < MAX_MS },
        { name: 'largest answer', wanted: '< 100 KB', value: Math.max(jsonMaxBytes, pageMaxBytes, chooserPage.bytes) / 1024, unit: 'KiB', met: Math.max(jsonMaxBytes, pageMaxBytes, chooserPage.bytes) < MAX_BYTES },
      ],
      findings: [`The first search after start-up (which loads and indexes the collectivities) took ${firstSearch.ms.toFixed(0)} ms.`],
      details: { collectivities: COUNT, queriesPerRun: QUERIES_PER_RUN },
    };
  } finally {
    await stack.stop();
  }
};
