import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { IdentitePivot } from '../src/domain/identite-pivot.ts';
import { LOCAL_API_PARTICULIER_TOKENS } from '../src/sandbox/api-particulier/index.ts';
import { identityParamsFromPivot } from '../src/integrations/api-particulier/identity-params.ts';
import { personas } from '../src/sandbox/fixtures.ts';
import { benchTopology, startChild } from './lib/processes.ts';
import type { Benchmark } from './lib/result.ts';
import { summarize } from './lib/stats.ts';

const LIMIT = 20;
const ROWS_PER_RUN = 160;
const MAJASTRES = '21040107100019';
const LIBRARY = new URL('../src/editeur/qf-refresh.ts', import.meta.url);
/** Families with a QF, and one the CAF does not know: the mix a commune's file has. */
const MIX = ['angela', 'jeanne', 'vincent', 'elodie', 'olivier', 'paul'];

/**
 * Benchmark 6: `qf refresh` (src/editeur/qf-refresh.ts, the library behind `formulaire-qf qf refresh`) against the
 * API Particulier stand-in and its real limiter (20 requests/second per token, 429 beyond), with the injected
 * latency; achieved requests per second and 429s per run.
 */
export const qfRefreshBenchmark: Benchmark = async ({ latencyMs, runs, log }) => {
  if (!existsSync(LIBRARY)) {
    return { status: 'not_available', setup: [], figures: [], ratios: [], targets: [], findings: ['Not available yet: src/editeur/qf-refresh.ts does not exist. No figure is reported rather than a made-up one.'] };
  }
  const { refreshQuotientsFamiliaux } = await import('../src/editeur/qf-refresh.ts');
  const topology = await benchTopology({ DATA_DIR: ':memory:' });
  const sandbox = await startChild('bench/support/sandbox-main.ts', { ...topology.env, BENCH_LATENCY_MS: String(latencyMs) });
  const directory = await mkdtemp(join(tmpdir(), 'fqf-bench-refresh-'));
  try {
    const rows = Array.from({ length: ROWS_PER_RUN }, (_, i) => {
      const persona = personas.find((p) => p.login === MIX[i % MIX.length]);
      if (!persona) throw new Error(`no persona ${MIX[i % MIX.length]}`);
      return { id: `personne-${i}`, externalId: null, params: identityParamsFromPivot(persona.claims as unknown as IdentitePivot), problem: null };
    });
    const rates: number[] = [];
    const arrivalRates: number[] = [];
    const shares: number[] = [];
    let rateLimited = 0;
    let notOk = 0;
    for (let run = 0; run < runs; run++) {
      // A fresh journal each run (a journal would resume the previous run), after the limiter's one-second window.
      await sleep(1100);
      const calls: number[] = [];
      const summary = await refreshQuotientsFamiliaux({ rows, token: LOCAL_API_PARTICULIER_TOKENS.collectivity, recipient: MAJASTRES, apiUrl: `${topology.sandboxUrl}/api-particulier`, out: join(directory, `run-${run}`), onCall: (at) => calls.push(at) });
      // What the limiter sees: requests leaving per second, from the first to the last (the last answer's wait
      // and the first request's are not requests the API could have received).
      const arrival = calls.length > 1 ? ((calls.length - 1) * 1000) / (calls[calls.length - 1]! - calls[0]!) : 0;
      arrivalRates.push(arrival);
      rates.push(summary.achievedRate);
      shares.push(arrival / LIMIT);
      rateLimited += summary.rateLimited;
      notOk += summary.total - summary.ok - (summary.errors.not_found ?? 0);
      log(`run ${run + 1}: ${summary.requests} requests in ${summary.durationSeconds.toFixed(2)} s → ${summary.achievedRate.toFixed(2)} req/s over the run, ${arrival.toFixed(2)} req/s sent, ${summary.rateLimited} × 429${summary.stopped ? `, stopped: ${summary.stopped}` : ''}`);
    }
    const rate = summarize(rates);
    const arrivals = summarize(arrivalRates);
    const share = summarize(shares);
    return {
      status: 'measured',
      setup: [
        `The library with its defaults (rate 20/s, its own concurrency), ${ROWS_PER_RUN} identities per run (personas ${MIX.join(', ')}; one of them unknown to the CAF), the collectivity token, recipient Majastres.`,
        `The API Particulier stand-in in its own process with its real limiter (20 requests/second per token, RateLimit-* headers, 429 with Retry-After) and ${latencyMs} ms on every request (the FranceConnect check is not involved in identity mode).`,
        `${runs} runs, each with a fresh journal, one second apart. The rate judged is what the limiter sees: requests sent per second from the first to the last (each request's start, from the library's onCall).`,
      ],
      figures: [
        { name: 'requests sent per second (first to last request)', unit: 'req/s', summary: arrivals, over: 'runs' },
        { name: 'requests per second over the whole run (the library\'s achievedRate)', unit: 'req/s', summary: rate, over: 'runs' },
        { name: '429 answers', unit: '', summary: summarize([rateLimited]), over: `total over ${runs} runs` },
      ],
      ratios: [{ name: 'share of the limit', definition: `requests sent per second ÷ ${LIMIT} req/s`, summary: share }],
      targets: [
        { name: 'rate against the limit', wanted: '≥ 95 %', value: share.median * 100, unit: '%', met: share.median >= 0.95 },
        { name: '429 answers', wanted: '0', value: rateLimited, unit: '', met: rateLimited === 0 },
      ],
      findings: [
        `The library spaces requests ${((1000 / LIMIT) * 1.03).toFixed(1)} ms apart (a 3 % safety margin: at most 97 % of the limit) and gives up a slot when its timer fires late on a busy event loop (so that requests never bunch up into a 429): on this loaded machine that is what separates the ${arrivals.median.toFixed(2)} req/s sent from 20. The rate over the whole run (${rate.median.toFixed(2)} req/s) also counts the first request's and the last answer's ${latencyMs} ms, which no limiter sees.`,
        ...(notOk > 0 ? [`${notOk} identities ended neither ok nor "not found" (see report.json).`] : []),
      ],
      details: { rowsPerRun: ROWS_PER_RUN, rateLimited },
    };
  } finally {
    await rm(directory, { recursive: true, force: true });
    await sandbox.stop();
  }
};
