import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import personas from '../../sandbox/fixtures/personas.json' with { type: 'json' };
import { createTestDatabase } from '../../../test/support/database.ts';
import { personalDataIn } from '../../../test/support/personal-data.ts';
import type { Db } from '../../db/database.ts';
import { createEspaceJournal } from '../../db/repositories/espace-journal.ts';
import { createQfRefreshBatches, type QfRefreshBatches } from '../../db/repositories/qf-refresh-batches.ts';
import { createRetentionRepository } from '../../db/repositories/retention.ts';
import type { IdentitePivot } from '../../domain/identite-pivot.ts';
import { parseCsv } from '../../editeur/csv.ts';
import { createApiParticulierClient, type ApiParticulierClient, type IdentityQuery } from '../../integrations/api-particulier/client.ts';
import { identityParamsFromPivot } from '../../integrations/api-particulier/identity-params.ts';
import { startStandIn, type RunningServer } from '../../integrations/api-particulier/testing/servers.ts';
import { LOCAL_API_PARTICULIER_TOKENS } from '../../sandbox/api-particulier/index.ts';
import { createPersonalDataCipher } from '../../security/personal-data-cipher.ts';
import { createTokenPacer } from '../api-particulier-pacing.ts';
import { createCommuneApiParticulierTokens, type CommuneApiParticulierTokens } from '../commune-api-particulier-token.ts';
import { batchResultCsv } from './batch-result.ts';
import { runRefreshBatch, type RefreshBatchDeps } from './refresh-batch.ts';
import { journalTokenUseInEspace } from './token-use-journal.ts';
import type { CheckedFamily } from './upload-check.ts';

const MAJASTRES = '21040107100019';
const DAY = 24 * 3600 * 1000;
const MIX = ['cindy', 'jeanne', 'vincent', 'elodie', 'olivier', 'paul'];

function familyOf(login: string, id: string): CheckedFamily {
  const found = personas.personas.find((p) => p.login === login);
  if (!found) throw new Error(login);
  const params = identityParamsFromPivot(found.claims as unknown as IdentitePivot);
  return { where: `ligne ${id}`, identity: { id, externalId: null, params, problem: null, messages: [] } };
}
const families = (count: number) => Array.from({ length: count }, (_, i) => familyOf(MIX[i % MIX.length] ?? 'cindy', `famille-${i}`));
const keyOf = (query: IdentityQuery) => `${query.nomNaissance}|${query.prenoms.join(' ')}`;

/** The real client over HTTP to the stand-in, counting each family's calls; `before` may act before a call. */
function countingClient(real: ApiParticulierClient, before?: (call: number) => Promise<void>) {
  const calls: string[] = [];
  const client: ApiParticulierClient = {
    ...real,
    fetchQuotientFamilialByIdentity: async (query) => {
      calls.push(keyOf(query));
      await before?.(calls.length);
      return real.fetchQuotientFamilialByIdentity(query);
    },
  };
  return { client, calls };
}

describe('the Mise à jour annuelle job', () => {
  let db: Db;
  let standIn: RunningServer;
  let real: ApiParticulierClient;
  let batches: QfRefreshBatches;
  const cipher = createPersonalDataCipher('test-key-for-the-mise-a-jour-job-0123456789');
  let tokens: CommuneApiParticulierTokens;

  before(async () => {
    [db, standIn] = await Promise.all([createTestDatabase(), startStandIn()]);
    real = createApiParticulierClient({ baseUrl: standIn.baseUrl, timeoutMs: 10_000 });
    await db.kysely
      .insertInto('collectivities')
      .values({ siret: MAJASTRES, code_cog: '04107', name: 'Majastres', departement: '04', code_postal: '04270', status: 'active', search_name: 'majastres', editor: null, allowed_redirect_prefixes: '[]' })
      .execute();
    batches = createQfRefreshBatches({ db, cipher });
    tokens = createCommuneApiParticulierTokens({ db, cipher });
  });
  after(async () => {
    await standIn?.close();
    await db?.close();
  });
  beforeEach(() => tokens.save(MAJASTRES, LOCAL_API_PARTICULIER_TOKENS.collectivity));

  const depsWith = (client: ApiParticulierClient, extra: Partial<RefreshBatchDeps> = {}): RefreshBatchDeps => ({
    batches,
    tokens,
    apiParticulier: client,
    // A pacer of its own per run: the limit is the stand-in's per token, and each test starts afresh.
    pacerFor: () => createTokenPacer(),
    journalTokenUse: journalTokenUseInEspace(createEspaceJournal({ db, cipher })),
    owner: 'worker-a',
    leaseMs: 30_000,
    concurrency: 4,
    isStopping: () => false,
    ...extra,
  });
  const confirmed = async (list: CheckedFamily[]) => {
    const id = await batches.create({ siret: MAJASTRES, agentId: 'agent-1', agentEmail: 'camille.martin@majastres.fr', annee: null, mois: null, families: list, expiresAt: new Date(Date.now() + 7 * DAY) });
    assert.ok(await batches.transition(MAJASTRES, id, ['checked'], 'running'));
    return id;
  };

  it('asks each family once and records its QF or why not, every call journaled without the family', async () => {
    const id = await confirmed(families(30));
    const { client, calls } = countingClient(real);
    assert.equal(await runRefreshBatch(depsWith(client), id), 'done');
    assert.equal(calls.length, 30);
    const counts = await batches.counts(id);
    assert.deepEqual(counts.byStatut, { ok: 25, not_found: 5 });
    const lines = parseCsv(await batchResultCsv(batches, id, false));
    assert.deepEqual(lines.map((l) => l.id), Array.from({ length: 30 }, (_, i) => `famille-${i}`));
    assert.equal(lines[5]?.statut, 'not_found');
    assert.match(lines[5]?.raison ?? '', /La CAF ne trouve pas de dossier allocataire pour cette personne/);

    const journal = await db.kysely.selectFrom('espace_journal').select(['action', 'detail']).where('action', '=', 'api_particulier_call').execute();
    assert.equal(journal.length, 30);
    assert.ok(journal.every((j) => /^mise-a-jour : (200|404)$/.test(j.detail ?? '')), JSON.stringify(journal.slice(0, 3)));
  });

  it('after a worker dies mid-way, a second worker on the same database finishes the batch without asking any family twice', async () => {
    const list = families(40);
    const id = await confirmed(list);
    const dying = countingClient(real, async (call) => {
      if (call > 15) throw new Error('process killed');
    });
    await assert.rejects(runRefreshBatch(depsWith(dying.client, { owner: 'instance-1' }), id), /process killed/);
    // A killed process gives its lease back to nobody: as it would be left, still running for 30 seconds.
    await db.kysely.updateTable('qf_refresh_batches').set({ lease_owner: 'instance-1:dead', lease_until: new Date(Date.now() + 30_000) }).where('id', '=', id).execute();
    const second = countingClient(real);
    const batchesOfB = createQfRefreshBatches({ db, cipher });
    assert.equal(await runRefreshBatch(depsWith(second.client, { owner: 'instance-2', batches: batchesOfB }), id), 'not_running', 'refused while the lease lives');
    assert.equal(second.calls.length, 0);
    const later = () => new Date(Date.now() + 60_000);
    assert.equal(await runRefreshBatch(depsWith(second.client, { owner: 'instance-2', batches: batchesOfB, now: later }), id), 'done');

    // Calls that reached the stand-in: the first 15 of the dead worker, then the second's; a family in flight at the crash is never asked again.
    const asked = [...dying.calls.slice(0, 15), ...second.calls];
    const counts = await batches.counts(id);
    const interrupted = counts.byStatut.interrompu ?? 0;
    assert.ok(interrupted >= 1 && interrupted <= 4, `${interrupted} interrupted`);
    assert.equal(asked.length + interrupted, 40, 'each family asked at most once, every family accounted for');
    assert.equal(counts.done, 40);
    const lines = parseCsv(await batchResultCsv(batches, id, false));
    assert.equal(lines.filter((l) => l.statut === 'interrompu').length, interrupted);
    assert.match(lines.find((l) => l.statut === 'interrompu')?.raison ?? '', /ne jamais interroger deux fois/);
  });

  it('honours a pause between calls, resumes where it was, and a cancellation asks nobody more', async () => {
    const id = await confirmed(families(12));
    const pausing = countingClient(real, async (call) => {
      if (call === 4) await batches.transition(MAJASTRES, id, ['running'], 'paused', { pauseReason: 'agent', resumeAt: null });
    });
    assert.equal(await runRefreshBatch(depsWith(pausing.client, { concurrency: 1 }), id), 'paused');
    assert.equal(pausing.calls.length, 4, 'no call after the pause');
    assert.equal((await batches.counts(id)).done, 4);
    assert.equal(await runRefreshBatch(depsWith(pausing.client, { concurrency: 1 }), id), 'not_running', 'a paused batch is not worked on');

    assert.ok(await batches.transition(MAJASTRES, id, ['paused'], 'running'));
    const cancelling = countingClient(real, async (call) => {
      if (call === 3) await batches.transition(MAJASTRES, id, ['running', 'paused'], 'cancelled');
    });
    assert.equal(await runRefreshBatch(depsWith(cancelling.client, { concurrency: 1 }), id), 'cancelled');
    assert.equal(cancelling.calls.length, 3);
    const lines = parseCsv(await batchResultCsv(batches, id, true));
    assert.deepEqual(lines.map((l) => l.statut === 'annule'), [...Array(7).fill(false), ...Array(5).fill(true)]);
  });

  it('waits Retry-After on a 429, and at the second stops with the batch paused and the time it may resume (persona René)', async () => {
    const id = await confirmed([familyOf('jeanne', 'j'), familyOf('rene', 'r'), familyOf('cindy', 'c')]);
    const { client, calls } = countingClient(real);
    const started = Date.now();
    assert.equal(await runRefreshBatch(depsWith(client, { concurrency: 1 }), id), 'paused');
    assert.equal(calls.length, 3, 'jeanne, René, René again after Retry-After; cindy never');
    const batch = await batches.find(MAJASTRES, id);
    assert.equal(batch?.pauseReason, 'rate_limited');
    assert.ok(batch?.resumeAt && batch.resumeAt.getTime() >= started + 1000, 'resumes after Retry-After');
    const counts = await batches.counts(id);
    assert.deepEqual(counts.byStatut, { ok: 1 }, 'René is left to ask, unasked');
  });

  it('pauses when the token is refused or missing, asking nobody with it', async () => {
    await tokens.save(MAJASTRES, LOCAL_API_PARTICULIER_TOKENS.expired);
    const refused = await confirmed(families(5));
    const { client, calls } = countingClient(real);
    assert.equal(await runRefreshBatch(depsWith(client, { concurrency: 1 }), refused), 'paused');
    assert.equal(calls.length, 1);
    assert.equal((await batches.find(MAJASTRES, refused))?.pauseReason, 'token_refused');
    assert.equal((await batches.counts(refused)).done, 0, 'the family goes back, unasked');

    const none: CommuneApiParticulierTokens = { reveal: async () => null, describe: async () => null, save: async () => {}, remove: async () => false };
    const missing = await confirmed(families(2));
    assert.equal(await runRefreshBatch(depsWith(client, { tokens: none }), missing), 'paused');
    assert.equal((await batches.find(MAJASTRES, missing))?.pauseReason, 'no_token');
  });

  it('deletes every upload and result after seven days (the retention purge), and the database keeps no family then', async () => {
    const id = await confirmed(families(6));
    await runRefreshBatch(depsWith(countingClient(real).client), id);
    const retention = createRetentionRepository(db);
    assert.equal(await retention.deleteExpiredQfRefreshBatches(new Date(Date.now() + 6 * DAY)), 0, 'kept for seven days');
    assert.ok((await retention.deleteExpiredQfRefreshBatches(new Date(Date.now() + 8 * DAY))) >= 1);
    assert.equal(await batches.find(MAJASTRES, id), null);
    const left = await db.kysely.selectFrom('qf_refresh_families').select('batch_id').execute();
    assert.deepEqual(left, []);
    const dump = await db.executeSql(`SELECT string_agg(t::text, E'\\n') AS text FROM (SELECT * FROM espace_journal) t`, []);
    assert.deepEqual(personalDataIn(String((dump.rows[0] as { text: string | null }).text ?? '').split('\n')), []);
  });
});
