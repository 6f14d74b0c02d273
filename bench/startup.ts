import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { freshPostgresDatabase } from './lib/databases.ts';
import { benchTopology, freshDataDir, REPOSITORY_ROOT, START_NODE_OPTIONS, stopChild } from './lib/processes.ts';
import type { Benchmark } from './lib/result.ts';
import { backendsOfDatabase, descendantsOf, memoryByTitle, memoryOf } from './lib/service-processes.ts';
import { summarize } from './lib/stats.ts';

type StartKind = 'first' | 'later' | 'postgres';
const LABEL: Record<StartKind, string> = { first: 'embedded, first start (new DATA_DIR)', later: 'embedded, later start (same DATA_DIR)', postgres: 'PostgreSQL' };
const BUDGET_SECONDS = 150;
const MIN_ROUNDS = 2;
const FIRST_START_MS = 10_000;
const LATER_START_MS = 5_000;
const RSS_MIB = 350;

/**
 * Benchmark 7: from `node <npm start's options> --import tsx src/main.ts` (as `npm start` runs it: the stand-ins, the database,
 * migrations, seed, queue, workers, app) to `/ready` answering 200: on the embedded default, first in a new
 * DATA_DIR (the cluster is created), then again on the same DATA_DIR (the cluster is reused); and on a fresh
 * database of the machine's PostgreSQL. Memory once ready: the app's process and its database server's processes.
 */
export const startupBenchmark: Benchmark = async ({ runs, log }) => {
  const times: Record<StartKind, number[]> = { first: [], later: [], postgres: [] };
  const rss: Record<StartKind, number[]> = { first: [], later: [], postgres: [] };
  const pss: Record<StartKind, number[]> = { first: [], later: [], postgres: [] };
  const appOnly: Record<StartKind, number[]> = { first: [], later: [], postgres: [] };
  let embeddedProcesses: ReturnType<typeof memoryByTitle> = {};
  const once = async (kind: StartKind, dataDir: string, database: { url: string } | null) => {
    const topology = await benchTopology({ DATA_DIR: dataDir, ...(database ? { DATABASE_URL: database.url } : {}) });
    delete topology.env.RATE_LIMIT_PER_MINUTE;
    const started = performance.now();
    const child = spawn(process.execPath, [...START_NODE_OPTIONS, '--import', 'tsx', 'src/main.ts'], {
      cwd: REPOSITORY_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...topology.env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let errors = '';
    child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString('utf8')));
    try {
      for (;;) {
        if (child.exitCode !== null) throw new Error(`src/main.ts exited (${child.exitCode}): ${errors.slice(-2000)}`);
        if (performance.now() - started > 240_000) throw new Error(`not ready after 240 s: ${errors.slice(-2000)}`);
        try {
          const response = await fetch(`${topology.appUrl}/ready`, { signal: AbortSignal.timeout(1000) });
          if (response.status === 200) break;
        } catch {
          // Not listening yet.
        }
        await sleep(10);
      }
      const ms = performance.now() - started;
      times[kind].push(ms);
      // Once the first background jobs have run.
      await sleep(1000);
      const databasePids = database ? backendsOfDatabase(new URL(database.url).pathname.slice(1)) : descendantsOf(child.pid!);
      const all = memoryOf([child.pid!, ...databasePids]);
      const app = memoryOf([child.pid!]);
      rss[kind].push(all.rssMiB);
      pss[kind].push(all.pssMiB);
      appOnly[kind].push(app.rssMiB);
      if (kind === 'later') embeddedProcesses = memoryByTitle(databasePids);
      log(`${LABEL[kind]}: ready in ${ms.toFixed(0)} ms; RSS ${all.rssMiB} MiB (app ${app.rssMiB} + its database server's ${databasePids.length} processes ${(all.rssMiB - app.rssMiB).toFixed(1)}), PSS ${all.pssMiB} MiB`);
    } finally {
      await stopChild(child);
    }
  };
  // A start can take a minute on a loaded machine: past BUDGET_SECONDS no new round starts, once MIN_ROUNDS are done
  // (the report says how many starts each figure is made of).
  const started = performance.now();
  for (let run = 0; run < runs; run++) {
    if (run >= MIN_ROUNDS && performance.now() - started > BUDGET_SECONDS * 1000) {
      log(`time budget of ${BUDGET_SECONDS} s spent: ${run} rounds`);
      break;
    }
    const dataDir = freshDataDir();
    try {
      await once('first', dataDir.path, null);
      await once('later', dataDir.path, null);
    } finally {
      dataDir.remove();
    }
    const other = freshDataDir();
    const database = await freshPostgresDatabase();
    try {
      await once('postgres', other.path, database);
    } finally {
      other.remove();
      await database.drop();
    }
  }
  const s = (kind: StartKind) => summarize(times[kind]);
  const memory = (kind: StartKind) => summarize(rss[kind]);
  const embeddedRss = summarize([...rss.first, ...rss.later]);
  return {
    status: 'measured',
    setup: [
      `\`node ${START_NODE_OPTIONS.join(' ')} --import tsx src/main.ts\` spawned as \`npm start\` runs it (stand-ins, database, migrations, seed of the communes, job queue, workers, web app), polled every 10 ms on \`/ready\` until it answers 200.`,
      `Each round: a first start on a new DATA_DIR (the embedded server creates its cluster), stopped (SIGTERM), then a later start on the same DATA_DIR; then a start on a fresh database of the machine's PostgreSQL (DATABASE_URL). ${times.first.length} rounds (${runs} unless ${BUDGET_SECONDS} s were spent after ${MIN_ROUNDS}: a fixed duration keeps \`npm run bench\` under 15 minutes on a loaded machine).`,
      'Memory one second after `/ready` answered, from /proc/<pid>/smaps_rollup: RSS and PSS (shared pages split among the processes sharing them) of the app\'s process (which also holds the stand-ins, as `npm start` runs them) plus its database server\'s processes — the embedded server\'s whole process tree; on PostgreSQL, the backends of its database only (the shared server\'s own processes serve the whole machine).',
    ],
    figures: [
      ...(['first', 'later', 'postgres'] as const).map((kind) => ({ name: `start-up to /ready, ${LABEL[kind]}`, unit: 'ms', summary: s(kind), over: 'starts' })),
      ...(['first', 'later', 'postgres'] as const).map((kind) => ({ name: `RSS of app + database once ready, ${LABEL[kind]}`, unit: 'MiB', summary: memory(kind), over: 'starts' })),
      ...(['first', 'later', 'postgres'] as const).map((kind) => ({ name: `  of which the app's process, ${LABEL[kind]}`, unit: 'MiB', summary: summarize(appOnly[kind]), over: 'starts' })),
      ...(['first', 'later', 'postgres'] as const).map((kind) => ({ name: `PSS of app + database once ready, ${LABEL[kind]}`, unit: 'MiB', summary: summarize(pss[kind]), over: 'starts' })),
    ],
    ratios: [{ name: 'embedded later start ÷ PostgreSQL start-up', definition: 'per round', summary: summarize(times.later.map((t, i) => t / (times.postgres[i] ?? Number.NaN))) }],
    targets: [
      { name: 'first start on the embedded default', wanted: `≤ ${FIRST_START_MS / 1000} s`, value: s('first').median / 1000, unit: 's', met: s('first').median <= FIRST_START_MS },
      { name: 'later start on the embedded default', wanted: `≤ ${LATER_START_MS / 1000} s`, value: s('later').median / 1000, unit: 's', met: s('later').median <= LATER_START_MS },
      { name: 'RSS of app + embedded server once ready', wanted: `≤ ${RSS_MIB} MiB`, value: embeddedRss.median, unit: 'MiB', met: embeddedRss.median <= RSS_MIB },
    ],
    findings: [
      `The embedded server's first start creates its cluster (initdb) before the migrations and pg-boss's schema: ${(s('first').median - s('later').median).toFixed(0)} ms more than a later start at the median, which finds the cluster and the schema in place. A PostgreSQL start skips the server altogether: ${s('postgres').median.toFixed(0)} ms.`,
      `Memory: the app's process is ${summarize([...appOnly.first, ...appOnly.later]).median.toFixed(0)} MiB RSS once ready with the stand-ins in it (oidc-provider, the HubEE and API Particulier stand-ins, as \`npm start\` runs them); the embedded server's processes add ${(embeddedRss.median - summarize([...appOnly.first, ...appOnly.later]).median).toFixed(0)} MiB of RSS — summed process by process, so that its shared memory (shared_buffers=32MB, the binaries) is counted once per process; PSS, which counts it once, is ${summarize([...pss.first, ...pss.later]).median.toFixed(0)} MiB for the whole.`,
      `The embedded server's processes once ready (a later start): ${Object.entries(embeddedProcesses).map(([title, m]) => `${m.count} × ${title} (${m.rssMiB} MiB)`).join(', ')}. Each process's RSS includes the pages of shared memory it touched, which is why the sum exceeds what the server really holds (PSS). What brought the RSS sum down: no I/O workers (io_method=sync) nor logical replication launcher; a pool of 4 connections for the embedded server (src/db/database.ts: one backend of 15–25 MiB per pooled connection, 7 of them before); V8's young generation bounded at 16 MiB per semi-space by npm start's --max-semi-space-size=16 (without it, new_space had grown to 128 MiB, about 60 MiB more RSS once ready); pdfkit loaded on the first PDF.`,
      'All starts include loading the TypeScript sources through tsx (compiled on the fly, cached between starts), as `npm start` does; production runs the compiled dist/ instead.',
    ],
    details: { embeddedProcesses },
  };
};
