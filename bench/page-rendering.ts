import autocannon from 'autocannon';
import { mkdirSync } from 'node:fs';
import { Citizen } from './lib/citizen.ts';
import { startStack, type DatabaseKind, type Stack } from './lib/processes.ts';
import { profileFinding } from './lib/profile-summary.ts';
import type { Benchmark } from './lib/result.ts';
import { cpuMeter } from './lib/service-processes.ts';
import { summarize } from './lib/stats.ts';

const DURATION_SECONDS = 3;
const CONNECTIONS = 10;
/** The review page (a journey read) against the home page (no database): reading must cost no more than rendering. */
const REVIEW_SHARE = 0.5;
/** The embedded default against the production set-up, same page, same run. */
const EMBEDDED_SHARE = 0.8;
const KINDS: readonly DatabaseKind[] = ['postgres', 'embedded'];
const PAGES = ['home', 'review'] as const;
type Page = (typeof PAGES)[number];
type Key = `${DatabaseKind}:${Page}`;

/** What the last round of changes found and measured (main, 2026-12-01 evening, bench/page-cpu.ts), carried into every report until the next round. */
const ROUND_FINDINGS = [
  'This round, from bench/page-cpu.ts on PostgreSQL (autocannon, 10 connections, 5 s, CPU per request from /proc) at 8327c5a, load 1.4: home 42 µs of the app per request, review 239 µs of the app and 30 µs of its database backend (review ÷ home 20 % in requests per second). Its profile (inclusive): the page\'s rendering 29 % (hono/jsx walking the whole tree; 44 µs in-process for the 9.4 KB page against 12 µs for the layout alone), writing it on the socket 14 %, the journey\'s query 17 % (pg\'s `writev` alone 12 %), `Buffer.byteLength` of the page 7 %, the decryption 5 %, the CSRF token 4 %.',
  'Changed, in this order: (1) the review page comes from a template kept per structure of its model (src/web/views/template.ts): its markup is rendered once with marks in place of its strings and split there; each request fills the values in, escaped as hono/jsx escapes them, and the page leaves as bytes encoded once; the first render of each structure is checked against the page rendered directly (views.test.ts checks every persona): 44 → 10 µs in-process. (2) The journey is kept, still encrypted, in the memory of the instance that saved it (src/db/repositories/journey-store.ts): the cookie carries the id and the version of the last save, so that an instance never answers an older version than the browser\'s; every save, renewal and logout is announced to the other instances (NOTIFY in the same statement) and forgotten there at once; an instance that is not listening (connection lost, a pooler that swallows LISTEN) keeps nothing and reads the database. The cookie still carries no personal data.',
  'Measured with bench/page-cpu.ts on PostgreSQL after (1) and (2), load 3.4: home 44 µs, review 77 µs of the app and none of the database (the journey was saved by this instance); review ÷ home 57.7 % (PostgreSQL) and 56.8 % (embedded) in the full benchmark that followed, against 19.5 % and 20.5 % before. What the review page still costs beyond the home page: the decryption (about 5 µs), filling the template (about 5 µs), the CSRF token and its signed cookie, and 2.8 KB more to write on the socket. On another instance than the one that saved the journey (a load balancer without affinity), the review page reads the database as before.',
];

/**
 * Benchmark 2: requests per second of the review page (journey cookie: one store read, the decryption, the
 * rendering) and of the home page, on two apps running side by side: one on the machine's PostgreSQL, one on the
 * embedded default; each in its own process, the stand-ins in others, autocannon here. The four measurements take
 * turns in a rotating order within each run, so that every ratio is made of measurements a few seconds apart.
 */
export const pageRenderingBenchmark: Benchmark = async ({ latencyMs, runs, log }) => {
  const profileRoot = new URL(`./results/profiles/pages-${Date.now()}/`, import.meta.url).pathname;
  const stacks: Partial<Record<DatabaseKind, Stack>> = {};
  let outcome: Awaited<ReturnType<Benchmark>>;
  try {
    for (const kind of KINDS) {
      mkdirSync(`${profileRoot}${kind}`, { recursive: true });
      stacks[kind] = await startStack({ latencyMs, database: kind, profileDir: `${profileRoot}${kind}` });
    }
    const stack = (kind: DatabaseKind) => stacks[kind]!;
    const targets = {} as Record<Key, { url: string; headers: Record<string, string> }>;
    for (const kind of KINDS) {
      const appUrl = stack(kind).topology.appUrl;
      const citizen = new Citizen(appUrl);
      await citizen.reachReview({ siret: '21040107100019', search: 'Majastres', persona: 'angela' });
      targets[`${kind}:home`] = { url: `${appUrl}/`, headers: {} };
      targets[`${kind}:review`] = { url: `${appUrl}/verification`, headers: { cookie: citizen.cookieHeader() } };
      const probe = await fetch(targets[`${kind}:review`].url, { headers: targets[`${kind}:review`].headers });
      const html = await probe.text();
      if (probe.status !== 200 || !html.includes('Transmettre')) throw new Error(`the review page (${kind}) answered ${probe.status} without its button`);
    }

    const measure = async (key: Key, duration: number) => {
      const kind = key.split(':')[0] as DatabaseKind;
      const app = cpuMeter(() => [stack(kind).app.pid]);
      const database = cpuMeter(() => stack(kind).databasePids());
      const result = await autocannon({ url: targets[key].url, headers: targets[key].headers, connections: CONNECTIONS, duration });
      const [appSeconds, databaseSeconds] = [app.stop(), database.stop()];
      if (result.non2xx > 0 || result.errors > 0) throw new Error(`${key}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
      const requests = Math.max(1, result.requests.total);
      return { rps: result.requests.total / result.duration, p99: result.latency.p99, appMs: (appSeconds * 1000) / requests, databaseMs: (databaseSeconds * 1000) / requests, appBusy: appSeconds / result.duration };
    };
    const keys = KINDS.flatMap((kind) => PAGES.map((page) => `${kind}:${page}` as Key));
    for (const key of keys) await measure(key, 1);

    const empty = () => Object.fromEntries(keys.map((k) => [k, [] as number[]])) as Record<Key, number[]>;
    const rps = empty();
    const p99 = empty();
    const appMs = empty();
    const databaseMs = empty();
    const appBusy = empty();
    const reviewShare: Record<DatabaseKind, number[]> = { postgres: [], embedded: [] };
    const embeddedShare: Record<Page, number[]> = { home: [], review: [] };
    for (let run = 0; run < runs; run++) {
      // A different order each run, so that no measurement always gets the machine's quieter or busier moment.
      const order = keys.map((_, i) => keys[(i + run) % keys.length]!);
      if (run % 2 === 1) order.reverse();
      const got = {} as Record<Key, number>;
      for (const key of order) {
        const m = await measure(key, DURATION_SECONDS);
        got[key] = m.rps;
        rps[key].push(m.rps);
        p99[key].push(m.p99);
        appMs[key].push(m.appMs);
        databaseMs[key].push(m.databaseMs);
        appBusy[key].push(m.appBusy);
      }
      for (const kind of KINDS) reviewShare[kind].push(got[`${kind}:review`] / got[`${kind}:home`]);
      for (const page of PAGES) embeddedShare[page].push(got[`embedded:${page}`] / got[`postgres:${page}`]);
      log(
        `run ${run + 1}: PostgreSQL home ${got['postgres:home'].toFixed(0)}/s, review ${got['postgres:review'].toFixed(0)}/s (${(100 * reviewShare.postgres.at(-1)!).toFixed(0)} %); embedded home ${got['embedded:home'].toFixed(0)}/s, review ${got['embedded:review'].toFixed(0)}/s (${(100 * reviewShare.embedded.at(-1)!).toFixed(0)} %); review embedded ÷ PostgreSQL ${(100 * embeddedShare.review.at(-1)!).toFixed(0)} %`,
      );
    }

    // One more review load on each, profiled (not part of the figures: the profiler slows what it samples).
    const profiles: Partial<Record<DatabaseKind, ReturnType<typeof profileFinding>>> = {};
    for (const kind of KINDS) {
      const t0 = performance.now();
      await stack(kind).profiled(() => measure(`${kind}:review`, DURATION_SECONDS));
      profiles[kind] = profileFinding(`${profileRoot}${kind}`, performance.now() - t0);
    }

    const med = (values: number[]) => summarize(values).median;
    const share = { postgres: summarize(reviewShare.postgres), embedded: summarize(reviewShare.embedded) };
    const embeddedReview = summarize(embeddedShare.review);
    const cost = (key: Key) => `${med(appMs[key]).toFixed(2)} ms in the app + ${med(databaseMs[key]).toFixed(2)} ms in its database server`;
    const findings = [
      ...ROUND_FINDINGS,
      `CPU per request, medians over the runs: home page ${cost('postgres:home')} on PostgreSQL, ${cost('embedded:home')} embedded; review page ${cost('postgres:review')} on PostgreSQL, ${cost('embedded:review')} embedded. The review page's extra cost: the journey's AES-256-GCM decryption (it comes from the memory of the app that saved it, the cookie's version matching), filling its template, a CSRF token and a larger page to write; the collectivity's name comes from memory.`,
      `How busy the app was: ${KINDS.flatMap((kind) => PAGES.map((page) => `${page} on ${kind} ${(100 * med(appBusy[`${kind}:${page}`])).toFixed(0)} % of a core`)).join(', ')}. An app near a whole core is bound by its own CPU (one thread); well under one, by waiting — for the database's answer and for a CPU on this shared machine.`,
      'What was changed after profiling (node --cpu-prof on the app under review-page load, before): the collectivity\'s name was a second query on every review and confirmation page (a round trip, each one costing a socket write and a wake-up of a PostgreSQL backend, both in the profile\'s top: `writev` under pg\'s query submit was 16 % of the app\'s CPU); it is now kept in memory like the chooser\'s index (src/usecases/collectivity-names.ts: dropped on this instance\'s changes, at most 30 s old after another instance\'s). And the personal-data key is imported once as a KeyObject: handed a raw Buffer, each createDecipheriv imported it again (`getKeyObjectSlots`/`prepareSecretKey`, about half the decryption\'s cost). The journey itself is still read from the store on every page (one query): several instances share it, and a cookie that carries personal data stays refused.',
    ];
    for (const kind of KINDS) if (profiles[kind]) findings.push(`Profile, review page on ${kind === 'postgres' ? 'PostgreSQL' : 'the embedded server'}: ${profiles[kind]!.sentence}`);
    outcome = {
      status: 'measured',
      setup: [
        `autocannon 9 in the benchmark's process, ${CONNECTIONS} connections, ${DURATION_SECONDS} s per measurement, ${runs} runs of the four (after a 1 s warm-up of each), in a rotating order.`,
        'Two apps side by side, each in its own process as `npm start` runs it (RATE_LIMIT_PER_MINUTE=1000000, LOG_LEVEL=warn) with its stand-ins in another: one on a fresh database of the machine\'s PostgreSQL 15 (DATABASE_URL), one on the embedded default (its own PostgreSQL 18 server in a fresh DATA_DIR).',
        'The review page is requested with a real journey cookie obtained once through the FranceConnect stand-in (login as Angela DUBOIS): each request finds the journey (from the app\'s memory: this app saved it, and the cookie carries the version of that save; another instance would read it from the database), decrypts it (AES-256-GCM), issues a CSRF token and renders the page.',
        'CPU per request: the app\'s process and its database server\'s processes (the embedded server\'s whole process tree; on the shared PostgreSQL, the backends of this app\'s database — the server\'s background processes serve everyone on the machine and are left out), from /proc, over each measurement.',
      ],
      figures: [
        ...KINDS.flatMap((kind) =>
          PAGES.map((page) => ({ name: `${page === 'home' ? 'home page' : 'review page'}, ${kind === 'postgres' ? 'PostgreSQL' : 'embedded'}`, unit: 'req/s', summary: summarize(rps[`${kind}:${page}`]), over: 'runs' })),
        ),
        ...KINDS.flatMap((kind) =>
          PAGES.map((page) => ({ name: `${page === 'home' ? 'home page' : 'review page'} p99 latency, ${kind === 'postgres' ? 'PostgreSQL' : 'embedded'}`, unit: 'ms', summary: summarize(p99[`${kind}:${page}`]), over: 'runs' })),
        ),
        ...KINDS.map((kind) => ({ name: `review page, app CPU per request, ${kind === 'postgres' ? 'PostgreSQL' : 'embedded'}`, unit: 'ms', summary: summarize(appMs[`${kind}:review`]), over: 'runs' })),
        ...KINDS.map((kind) => ({ name: `review page, database server CPU per request, ${kind === 'postgres' ? 'PostgreSQL' : 'embedded'}`, unit: 'ms', summary: summarize(databaseMs[`${kind}:review`]), over: 'runs' })),
      ],
      ratios: [
        { name: 'review / home, PostgreSQL', definition: 'review req/s ÷ home req/s, same run', summary: share.postgres },
        { name: 'review / home, embedded', definition: 'review req/s ÷ home req/s, same run', summary: share.embedded },
        { name: 'review, embedded / PostgreSQL', definition: 'embedded review req/s ÷ PostgreSQL review req/s, same run', summary: embeddedReview },
        { name: 'home, embedded / PostgreSQL', definition: 'embedded home req/s ÷ PostgreSQL home req/s, same run', summary: summarize(embeddedShare.home) },
      ],
      targets: [
        { name: 'review page throughput, PostgreSQL', wanted: `≥ ${REVIEW_SHARE * 100} % of the home page's`, value: share.postgres.median * 100, unit: '%', met: share.postgres.median >= REVIEW_SHARE },
        { name: 'review page throughput, embedded', wanted: `≥ ${REVIEW_SHARE * 100} % of the home page's`, value: share.embedded.median * 100, unit: '%', met: share.embedded.median >= REVIEW_SHARE },
        { name: 'review page on the embedded default', wanted: `≥ ${EMBEDDED_SHARE * 100} % of PostgreSQL's`, value: embeddedReview.median * 100, unit: '%', met: embeddedReview.median >= EMBEDDED_SHARE },
      ],
      findings,
      details: { appCpuMsPerRequest: appMs, databaseCpuMsPerRequest: databaseMs, appBusy, profiles: Object.fromEntries(KINDS.map((k) => [k, profiles[k]?.spots ?? null])) },
    };
  } finally {
    for (const kind of KINDS) await stacks[kind]?.stop();
  }
  return outcome;
};
