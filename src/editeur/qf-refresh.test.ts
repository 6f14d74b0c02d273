import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import personas from '../sandbox/fixtures/personas.json' with { type: 'json' };
import type { IdentitePivot } from '../domain/identite-pivot.ts';
import { createApiParticulierClient, type ApiParticulierClient } from '../integrations/api-particulier/client.ts';
import { identityParamsFromPivot } from '../integrations/api-particulier/identity-params.ts';
import { LOCAL_API_PARTICULIER_TOKENS } from '../sandbox/api-particulier/index.ts';
import { startStandIn, type RunningServer } from '../integrations/api-particulier/testing/servers.ts';
import { parseCsv, toCsv } from './csv.ts';
import { CSV_COLUMNS, identitiesFromCsv, type IdentityRow } from './identities.ts';
import { refreshQuotientsFamiliaux } from './qf-refresh.ts';

const MAJASTRES = '21040107100019';
const TOKEN = LOCAL_API_PARTICULIER_TOKENS.collectivity;

function rowFor(login: string, id: string): IdentityRow {
  const found = personas.personas.find((p) => p.login === login);
  if (!found) throw new Error(login);
  return { id, externalId: null, params: identityParamsFromPivot(found.claims as unknown as IdentitePivot), problem: null };
}
const qfOf = (login: string) => {
  const found = personas.personas.find((p) => p.login === login);
  return found && 'data' in found.qf ? (found.qf.data as { quotient_familial?: { valeur: number } }).quotient_familial?.valeur ?? null : null;
};

/**
 * Known families (with a QF), one the CAF does not know, cycled over `count` rows. Not angela: by identity she is
 * API Particulier staging's DUBOIS case, whose QF is not her persona's (staging-replay.test.ts pins it).
 */
const MIX = ['cindy', 'jeanne', 'vincent', 'elodie', 'olivier', 'paul'];
const manyRows = (count: number) => Array.from({ length: count }, (_, i) => rowFor(MIX[i % MIX.length] ?? 'angela', `personne-${String(i).padStart(5, '0')}`));

describe('qf refresh against the API Particulier stand-in', () => {
  let directory: string;
  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'fqf-refresh-'));
  });
  after(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  describe('at the contract limit of 20 requests/second', () => {
    let standIn: RunningServer;
    before(async () => {
      standIn = await startStandIn();
    });
    after(async () => standIn.close());

    it('stays under the limit (no 429) close to 20/s, and accounts for every row in CSV and JSON', async () => {
      const rows = manyRows(240);
      const summary = await refreshQuotientsFamiliaux({ rows, token: TOKEN, recipient: MAJASTRES, apiUrl: standIn.baseUrl, out: join(directory, 'contract') });
      assert.equal(summary.rateLimited, 0);
      assert.equal(summary.stopped, null);
      // Never above the limit; the floor only catches a tool that crawls, since this shared machine's load moves the
      // achieved rate (the benchmark measures it closely: npm run bench, §6).
      assert.ok(summary.achievedRate > 12 && summary.achievedRate <= 20.5, `achieved ${summary.achievedRate.toFixed(2)} requests/second`);
      assert.equal(summary.ok, 200);
      assert.deepEqual(summary.errors, { not_found: 40 });

      const csv = parseCsv(await readFile(summary.files.csv, 'utf8'));
      assert.equal(csv.length, 240);
      assert.deepEqual(Object.keys(csv[0] ?? {}), ['id', 'external_id', 'statut', 'code_erreur', 'champ', 'http', 'fournisseur', 'quotient_familial', 'annee', 'mois', 'annee_calcul', 'mois_calcul', 'request_id', 'raison']);
      csv.forEach((line, i) => {
        const login = MIX[i % MIX.length] ?? '';
        assert.equal(line.id, rows[i]?.id);
        if (login === 'paul') assert.deepEqual([line.statut, line.code_erreur, line.http], ['not_found', '23003', '404']);
        else assert.deepEqual([line.statut, line.quotient_familial], ['ok', String(qfOf(login))]);
      });
      const json = JSON.parse(await readFile(summary.files.json, 'utf8')) as { id: string; statut: string }[];
      assert.equal(json.length, 240);
    });

    it('waits Retry-After on a 429 and stops at the second one in a row instead of calling on (persona René)', async () => {
      const calls: number[] = [];
      const rows = [rowFor('angela', 'a'), rowFor('rene', 'r'), rowFor('jeanne', 'j')];
      const summary = await refreshQuotientsFamiliaux({ rows, token: TOKEN, recipient: MAJASTRES, apiUrl: standIn.baseUrl, out: join(directory, 'rene'), concurrency: 1, onCall: (at) => calls.push(at) });
      assert.equal(summary.stopped, 'rate_limited');
      assert.equal(summary.rateLimited, 2);
      assert.equal(calls.length, 3, 'angela, René, René again after Retry-After, then nothing');
      assert.ok((calls[2] ?? 0) - (calls[1] ?? 0) >= 990, `waited ${(calls[2] ?? 0) - (calls[1] ?? 0)} ms after the 429 (Retry-After: 1)`);

      // Resumed later: angela is not asked again, René is (still 429 here), jeanne was never reached.
      const resumed: number[] = [];
      const again = await refreshQuotientsFamiliaux({ rows, token: TOKEN, recipient: MAJASTRES, apiUrl: standIn.baseUrl, out: join(directory, 'rene'), concurrency: 1, onCall: (at) => resumed.push(at) });
      assert.equal(again.resumed, 1);
      assert.equal(again.stopped, 'rate_limited');
      const csv = parseCsv(await readFile(again.files.csv, 'utf8'));
      assert.deepEqual(csv.map((l) => [l.id, l.statut]), [['a', 'ok'], ['r', 'rate_limited'], ['j', 'not_done']]);
    });

    it('never shows a rate above the limit on a short run, counts QFs of another month than asked, names the field at fault', async () => {
      const asked = { annee: new Date().getFullYear() - 1, mois: 1 };
      const rows = [rowFor('cindy', 'c'), rowFor('jeanne', 'j'), { id: 'x', externalId: null, params: null, problem: { statut: 'ligne_incomplete' as const, champ: 'prenoms' } }];
      // The stand-in answers the month asked; MSA, which recomputes in real time, may answer another: the real
      // client's answer for jeanne (MSA) is moved to the current month, as MSA would.
      const real = createApiParticulierClient({ baseUrl: standIn.baseUrl, timeoutMs: 5000 });
      const msaInRealTime: ApiParticulierClient = {
        ...real,
        fetchQuotientFamilialByIdentity: async (query) => {
          const answer = await real.fetchQuotientFamilialByIdentity(query);
          if (!answer.ok || query.nomNaissance !== 'ROUX' || !answer.data.quotient_familial) return answer;
          return { ...answer, data: { ...answer.data, quotient_familial: { ...answer.data.quotient_familial, annee: new Date().getFullYear(), mois: new Date().getMonth() + 1 } } };
        },
      };
      const summary = await refreshQuotientsFamiliaux({ rows, token: TOKEN, recipient: MAJASTRES, apiUrl: standIn.baseUrl, out: join(directory, 'short'), ratePerSecond: 5, client: msaInRealTime, ...asked });
      assert.equal(summary.requests, 2);
      assert.ok(summary.achievedRate > 0 && summary.achievedRate <= 5, `shown ${summary.achievedRate}/s for a limit of 5/s`);
      const csv = parseCsv(await readFile(summary.files.csv, 'utf8'));
      const otherMonth = csv.filter((l) => l.statut === 'ok' && (l.annee !== String(asked.annee) || l.mois !== String(asked.mois))).length;
      assert.equal(otherMonth, 1);
      assert.equal(summary.otherMonth, 1);
      assert.deepEqual(csv.map((l) => [l.id, l.statut, l.champ]).at(-1), ['x', 'ligne_incomplete', 'prenoms']);
    });

    it('stops at once when the token is refused', async () => {
      const summary = await refreshQuotientsFamiliaux({ rows: manyRows(30), token: LOCAL_API_PARTICULIER_TOKENS.expired, recipient: MAJASTRES, apiUrl: standIn.baseUrl, out: join(directory, 'expired'), concurrency: 1 });
      assert.equal(summary.stopped, 'token_refused');
      assert.equal(summary.requests, 1);
    });

    it('resumes after a crash without losing or repeating a row', async () => {
      const rows = manyRows(60);
      const real = createApiParticulierClient({ baseUrl: standIn.baseUrl, timeoutMs: 5000 });
      let calls = 0;
      const crashing: ApiParticulierClient = {
        ...real,
        fetchQuotientFamilialByIdentity: async (query) => {
          if (++calls > 25) throw new Error('process killed');
          return real.fetchQuotientFamilialByIdentity(query);
        },
      };
      const out = join(directory, 'crash');
      await assert.rejects(refreshQuotientsFamiliaux({ rows, token: TOKEN, recipient: MAJASTRES, apiUrl: standIn.baseUrl, out, client: crashing, concurrency: 4 }), /process killed/);
      const summary = await refreshQuotientsFamiliaux({ rows, token: TOKEN, recipient: MAJASTRES, apiUrl: standIn.baseUrl, out });
      assert.ok(summary.resumed >= 20 && summary.resumed <= 25, `resumed ${summary.resumed}`);
      assert.equal(summary.resumed + summary.requests, 60, 'each row asked once over both runs');
      const csv = parseCsv(await readFile(summary.files.csv, 'utf8'));
      assert.deepEqual(csv.map((l) => l.id), rows.map((r) => r.id));
      assert.ok(csv.every((l) => l.statut === 'ok' || l.statut === 'not_found'));
    });
  });

  it('10,000 identities: no 429, the achieved rate reported close to the limit, every row accounted for', async () => {
    // The contract's 20/s makes this an 8.5-minute run (QF_REFRESH_FULL=1, where the rate must come within 15 % of
    // the limit); by default the stand-in and the tool share a limit of 200/s, the same code path in about a
    // minute, where this one machine running both sides may be what caps the rate.
    const full = process.env.QF_REFRESH_FULL === '1';
    const limit = full ? 20 : 200;
    // API Particulier's 1000/min per IP is off here: this measures the per-token pacing. (At 20/s the tool would go
    // over that per-IP limit on a long run, see contract.test.ts of the stand-in.)
    const standIn = await startStandIn({ rateLimit: { limit, windowMs: 1000 }, ipRateLimit: { limit: 1_000_000, windowMs: 60_000 } });
    try {
      const rows = manyRows(10_000);
      const summary = await refreshQuotientsFamiliaux({ rows, token: TOKEN, recipient: MAJASTRES, apiUrl: standIn.baseUrl, out: join(directory, 'ten-thousand'), ratePerSecond: limit, concurrency: full ? 16 : 32 });
      console.log(`qf refresh, 10,000 identities at ${limit}/s: ${summary.achievedRate.toFixed(1)} requests/s, ${summary.rateLimited} × 429, ${summary.durationSeconds.toFixed(1)} s`);
      assert.equal(summary.rateLimited, 0);
      assert.equal(summary.requests, 10_000);
      assert.ok(summary.achievedRate <= limit * 1.02, `achieved ${summary.achievedRate.toFixed(1)}/s for a limit of ${limit}/s`);
      if (full) assert.ok(summary.achievedRate > limit * 0.85, `achieved ${summary.achievedRate.toFixed(1)}/s for a limit of ${limit}/s`);
      assert.equal(summary.ok + (summary.errors.not_found ?? 0), 10_000);
      const csv = parseCsv(await readFile(summary.files.csv, 'utf8'));
      assert.equal(new Set(csv.map((l) => l.id)).size, 10_000);
    } finally {
      await standIn.close();
    }
  });

  it('reads identities from a CSV (quoted, semicolons, accents) and flags incomplete lines without calling', () => {
    const text = toCsv(CSV_COLUMNS, [
      ['f-1', 'DUBOIS', '', 'Angela Claire Louise', 'F', '1962', '8', '24', '99100', '75107', '', ''],
      ['f-2', "ANO'NYMOS-LONS", '', 'Olivier Martin', 'M', '1981', '4', '2', '99100', '69123', '', ''],
      ['f-3', 'SANS-SEXE', '', 'Camille', '', '1995', '5', '15', '99100', '33063', '', ''],
    ]).replace(/,/g, ';');
    const rows = identitiesFromCsv(text);
    assert.deepEqual(rows.map((r) => [r.id, r.problem]), [['f-1', null], ['f-2', null], ['f-3', { statut: 'ligne_incomplete', champ: 'sexeEtatCivil' }]]);
    assert.deepEqual(rows[0]?.params, {
      nomNaissance: 'DUBOIS',
      prenoms: ['Angela', 'Claire', 'Louise'],
      sexeEtatCivil: 'F',
      codeCogInseePaysNaissance: '99100',
      anneeDateNaissance: 1962,
      moisDateNaissance: 8,
      jourDateNaissance: 24,
      codeCogInseeCommuneNaissance: '75107',
    });
  });
});
