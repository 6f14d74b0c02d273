import { setTimeout as sleep } from 'node:timers/promises';
import type { IdentitePivot } from '../src/domain/identite-pivot.ts';
import { createEspaceJournal } from '../src/db/repositories/espace-journal.ts';
import { createQfRefreshBatches } from '../src/db/repositories/qf-refresh-batches.ts';
import { createApiParticulierClient, type ApiParticulierClient } from '../src/integrations/api-particulier/client.ts';
import { identityParamsFromPivot } from '../src/integrations/api-particulier/identity-params.ts';
import { LOCAL_API_PARTICULIER_TOKENS } from '../src/sandbox/api-particulier/index.ts';
import { personas } from '../src/sandbox/fixtures.ts';
import { createPersonalDataCipher } from '../src/security/personal-data-cipher.ts';
import { createTokenPacer, API_PARTICULIER_RATE_PER_SECOND } from '../src/usecases/api-particulier-pacing.ts';
import { createCommuneApiParticulierTokens } from '../src/usecases/commune-api-particulier-token.ts';
import { runRefreshBatch } from '../src/usecases/mise-a-jour/refresh-batch.ts';
import { journalTokenUseInEspace } from '../src/usecases/mise-a-jour/token-use-journal.ts';
import type { CheckedFamily } from '../src/usecases/mise-a-jour/upload-check.ts';
import { benchDatabase } from './lib/databases.ts';
import { benchTopology, startChild } from './lib/processes.ts';
import type { Benchmark } from './lib/result.ts';
import { summarize } from './lib/stats.ts';

const FAMILIES = 300;
const MAJASTRES = '21040107100019';
const MIX = ['angela', 'jeanne', 'vincent', 'elodie', 'olivier', 'paul'];

/**
 * Benchmark 8: the espace's Mise à jour annuelle job (src/usecases/mise-a-jour/refresh-batch.ts) on 300 families:
 * its database work per family (claim, record, journal of the token's use, lease) on PostgreSQL, against the API
 * Particulier stand-in in its own process with its real limiter (20 requests/second per token, 429 beyond) and
 * the injected latency. Requests sent per second against the limit, and 429s.
 */
export const qfRefreshBatchBenchmark: Benchmark = async ({ latencyMs, runs, log }) => {
  const topology = await benchTopology({ DATA_DIR: ':memory:' });
  const sandbox = await startChild('bench/support/sandbox-main.ts', { ...topology.env, BENCH_LATENCY_MS: String(latencyMs) });
  const db = await benchDatabase('postgres');
  try {
    await db.kysely
      .insertInto('collectivities')
      .values({ siret: MAJASTRES, code_cog: '04107', name: 'Majastres', departement: '04', code_postal: '04270', status: 'active', search_name: 'majastres', editor: null, allowed_redirect_prefixes: '[]' })
      .execute();
    const cipher = createPersonalDataCipher('bench-key-for-the-mise-a-jour-0123456789abcdef');
    const batches = createQfRefreshBatches({ db, cipher });
    const tokens = createCommuneApiParticulierTokens({ db, cipher });
    await tokens.save(MAJASTRES, LOCAL_API_PARTICULIER_TOKENS.collectivity);
    const families: CheckedFamily[] = Array.from({ length: FAMILIES }, (_, i) => {
      const persona = personas.find((p) => p.login === MIX[i % MIX.length]);
      if (!persona) throw new Error(`no persona ${MIX[i % MIX.length]}`);
      return { where: `ligne ${i + 2}`, identity: { id: `famille-${i}`, externalId: null, params: identityParamsFromPivot(persona.claims as unknown as IdentitePivot), problem: null, messages: [] } };
    });
    const real = createApiParticulierClient({ baseUrl: `${topology.sandboxUrl}/api-particulier`, timeoutMs: 10_000 });
    const shares: number[] = [];
    const durations: number[] = [];
    let rateLimited = 0;
    for (let run = 0; run < runs; run++) {
      // After the limiter's one-second window, so that each run starts from an empty window.
      await sleep(1100);
      const calls: number[] = [];
      let tooMany = 0;
      const client: ApiParticulierClient = {
        ...real,
        fetchQuotientFamilialByIdentity: async (query) => {
          calls.push(performance.now());
          const answer = await real.fetchQuotientFamilialByIdentity(query);
          if (!answer.ok && answer.error.kind === 'rate_limited') tooMany++;
          return answer;
        },
      };
      const id = await batches.create({ siret: MAJASTRES, agentId: 'bench', agentEmail: 'bench@majastres.fr', annee: null, mois: null, families, expiresAt: new Date(Date.now() + 3600_000) });
      await batches.transition(MAJASTRES, id, ['checked'], 'running');
      const t0 = performance.now();
      const outcome = await runRefreshBatch(
        { batches, tokens, apiParticulier: client, pacerFor: () => createTokenPacer(), journalTokenUse: journalTokenUseInEspace(createEspaceJournal({ db, cipher })), owner: 'bench', leaseMs: 30_000, concurrency: 8, isStopping: () => false },
        id,
      );
      durations.push((performance.now() - t0) / 1000);
      const arrival = calls.length > 1 ? ((calls.length - 1) * 1000) / (calls[calls.length - 1]! - calls[0]!) : 0;
      shares.push(arrival / API_PARTICULIER_RATE_PER_SECOND);
      rateLimited += tooMany;
      log(`run ${run + 1}: ${outcome}, ${calls.length} requests in ${durations.at(-1)!.toFixed(2)} s → ${arrival.toFixed(2)} req/s sent, ${tooMany} × 429`);
      await batches.delete(MAJASTRES, id);
    }
    const share = summarize(shares);
    return {
      status: 'measured',
      setup: [
        `The job's run on ${FAMILIES} families (personas ${MIX.join(', ')}; one unknown to the CAF), 8 calls in flight (as the service runs it), a fresh token pacer per run, on a PostgreSQL database of the local server.`,
        `The API Particulier stand-in in its own process with its real limiter (20 requests/second per token, 429 with Retry-After) and ${latencyMs} ms on every request.`,
        `${runs} runs. The rate judged is what the limiter sees: requests sent per second from the first to the last.`,
      ],
      figures: [
        { name: 'duration of a batch of 300 families', unit: 's', summary: summarize(durations), over: 'runs' },
        { name: '429 answers', unit: '', summary: summarize([rateLimited]), over: `total over ${runs} runs` },
      ],
      ratios: [{ name: 'share of the limit', definition: `requests sent per second ÷ ${API_PARTICULIER_RATE_PER_SECOND} req/s`, summary: share }],
      targets: [
        { name: 'rate against the limit', wanted: '≥ 95 %', value: share.median * 100, unit: '%', met: share.median >= 0.95 },
        { name: '429 answers', wanted: '0', value: rateLimited, unit: '', met: rateLimited === 0 },
      ],
      findings: [`The pacer spaces requests ${((1000 / API_PARTICULIER_RATE_PER_SECOND) * 1.03).toFixed(1)} ms apart (at most 97 % of the limit); each family also costs the database a claim, a record, a lease renewal and a journal line.`],
      details: { families: FAMILIES, rateLimited },
    };
  } finally {
    await db.close();
    await sandbox.stop();
  }
};
