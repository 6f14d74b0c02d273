import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase } from '../../test/support/database.ts';
import type { Db } from '../db/database.ts';
import { createCollectivityRepository } from '../db/repositories/collectivities.ts';
import { createEspaceJournal } from '../db/repositories/espace-journal.ts';
import { startStandIn, type RunningServer } from '../integrations/api-particulier/testing/servers.ts';
import { LOCAL_API_PARTICULIER_TOKENS } from '../sandbox/api-particulier/index.ts';
import { createPersonalDataCipher } from '../security/personal-data-cipher.ts';
import { createCommuneApiParticulierTokens, deleteCommuneToken, registerCommuneToken } from './commune-api-particulier-token.ts';
import { journalTokenUse } from './journal-token-use.ts';

const MAJASTRES = '21040107100019';
const BELLEY = '21010034300016';
const TOKEN = LOCAL_API_PARTICULIER_TOKENS.collectivity;

describe('the commune’s API Particulier token, checked against the stand-in and kept sealed', () => {
  let db: Db;
  let standIn: RunningServer;
  const cipher = createPersonalDataCipher('a-secret-of-at-least-thirty-two-characters');
  let deps: { tokens: ReturnType<typeof createCommuneApiParticulierTokens>; journal: ReturnType<typeof createEspaceJournal>; apiParticulier: { baseUrl: string; timeoutMs: number } };

  before(async () => {
    [db, standIn] = await Promise.all([createTestDatabase(), startStandIn()]);
    const collectivities = createCollectivityRepository(db);
    for (const [siret, name] of [[MAJASTRES, 'Majastres'], [BELLEY, 'Belley']] as const) {
      await collectivities.upsert({ siret, codeCog: '04107', name, departement: '04', codePostal: '04270', status: 'active', editor: null, allowedRedirectPrefixes: [] }, name.toLowerCase());
    }
    deps = { tokens: createCommuneApiParticulierTokens({ db, cipher }), journal: createEspaceJournal({ db, cipher }), apiParticulier: { baseUrl: standIn.baseUrl, timeoutMs: 5000 } };
  });
  after(async () => {
    await standIn.close();
    await db.close();
  });

  it('refuses a malformed, an unknown, an expired token and one without the QF right, saving nothing', async () => {
    const register = (token: string) => registerCommuneToken(deps, { siret: MAJASTRES, agentEmail: 'secretariat@majastres.fr', token });
    assert.deepEqual(await register('court'), { ok: false, refusal: { kind: 'malformed' } });
    assert.deepEqual(await register('inconnu-du-bac-a-sable'), { ok: false, refusal: { kind: 'invalid_token' } });
    assert.deepEqual(await register(LOCAL_API_PARTICULIER_TOKENS.expired), { ok: false, refusal: { kind: 'expired_token' } });
    assert.deepEqual(await register(LOCAL_API_PARTICULIER_TOKENS.withoutQuotientFamilialScope), { ok: false, refusal: { kind: 'without_quotient_familial', scopes: ['dgfip_revenu_fiscal_de_reference'] } });
    assert.equal(await deps.tokens.describe(MAJASTRES), null);
  });

  it('saves a good one sealed (never in clear in the database), bound to its commune, replaceable and deletable', async () => {
    const registered = await registerCommuneToken(deps, { siret: MAJASTRES, agentEmail: 'secretariat@majastres.fr', token: `  ${TOKEN}\n` });
    assert.ok(registered.ok);
    assert.equal(await deps.tokens.reveal(MAJASTRES), TOKEN);
    assert.equal((await deps.tokens.describe(MAJASTRES))?.lastFour, 'e-qf');
    assert.equal(await deps.tokens.reveal(BELLEY), null);

    const { rows } = await sql<{ dump: string }>`SELECT row_to_json(t)::text AS dump FROM commune_api_particulier_tokens t`.execute(db.kysely);
    assert.equal(rows.length, 1);
    assert.ok(!rows[0]?.dump.includes(TOKEN) && !rows[0]?.dump.includes(Buffer.from(TOKEN).toString('hex')), 'no clear token in the row');

    // A sealed token copied onto another commune's row does not open.
    await sql`INSERT INTO commune_api_particulier_tokens (collectivity_siret, token_sealed, last_four) SELECT ${BELLEY}, token_sealed, last_four FROM commune_api_particulier_tokens WHERE collectivity_siret = ${MAJASTRES}`.execute(db.kysely);
    assert.equal(await deps.tokens.reveal(BELLEY), null);

    await deps.tokens.save(MAJASTRES, 'un-autre-jeton-1234');
    assert.equal(await deps.tokens.reveal(MAJASTRES), 'un-autre-jeton-1234');
    assert.equal(await deleteCommuneToken(deps, { siret: MAJASTRES, agentEmail: 'secretariat@majastres.fr' }), true);
    assert.equal(await deps.tokens.reveal(MAJASTRES), null);
    assert.equal(await deleteCommuneToken(deps, { siret: MAJASTRES, agentEmail: 'secretariat@majastres.fr' }), false);
  });

  it('journals every use: who (an agent or a job), which function, the result code, and nothing else', async () => {
    await journalTokenUse(deps.journal, { siret: MAJASTRES, actor: { kind: 'job' }, kind: 'mise-a-jour', resultCode: '429' });
    await journalTokenUse(deps.journal, { siret: MAJASTRES, actor: { kind: 'agent', email: 'secretariat@majastres.fr' }, kind: 'guichet', resultCode: 'DUBOIS Angela' });
    const entries = await deps.journal.list(MAJASTRES, 50);
    const calls = entries.filter((e) => e.action === 'api_particulier_call').map((e) => [e.actorKind, e.actor, e.detail]);
    assert.deepEqual(calls.slice(0, 2).sort(), [
      ['agent', 'secretariat@majastres.fr', 'guichet : autre'],
      ['job', null, 'mise-a-jour : 429'],
    ]);
    assert.ok(calls.some(([, , detail]) => detail === 'verification : 401'), 'the checks at registration are journaled');
    assert.deepEqual(
      entries.filter((e) => e.action.startsWith('api_particulier_token')).map((e) => e.action).sort(),
      ['api_particulier_token_deleted', 'api_particulier_token_refused', 'api_particulier_token_saved'],
    );
  });
});
