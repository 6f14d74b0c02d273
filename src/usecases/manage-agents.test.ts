import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase } from '../../test/support/database.ts';
import type { Db } from '../db/database.ts';
import { createCollectivityRepository } from '../db/repositories/collectivities.ts';
import { createCollectivityAgents } from '../db/repositories/collectivity-agents.ts';
import { createEspaceJournal } from '../db/repositories/espace-journal.ts';
import { createSessionStore, purgeExpiredSessions, SESSION_ABSOLUTE_SECONDS } from '../db/repositories/espace-sessions.ts';
import { createLookupHasher } from '../security/lookup-hash.ts';
import { createPersonalDataCipher } from '../security/personal-data-cipher.ts';
import { decideAccess } from './espace-access.ts';
import { addAdministrators, addAgent, changeAgentRole, removeAgent } from './manage-agents.ts';

const MAJASTRES = '21040107100019';
const BELLEY = '21010034300016';
const STRASBOURG = '21670482500019';

describe('who may act for a commune', () => {
  let db: Db;
  const cipher = createPersonalDataCipher('a-secret-of-at-least-thirty-two-characters');
  const hash = createLookupHasher('a-secret-of-at-least-thirty-two-characters');
  let deps: { agents: ReturnType<typeof createCollectivityAgents>; journal: ReturnType<typeof createEspaceJournal> };
  let collectivities: ReturnType<typeof createCollectivityRepository>;
  const operator = { kind: 'operator' as const, name: 'exploitation' };

  before(async () => {
    db = await createTestDatabase();
    collectivities = createCollectivityRepository(db);
    for (const [siret, name, status] of [[MAJASTRES, 'Majastres', 'active'], [BELLEY, 'Belley', 'active'], [STRASBOURG, 'Strasbourg', 'inactive']] as const) {
      await collectivities.upsert({ siret, codeCog: '04107', name, departement: '04', codePostal: '04270', status, editor: null, allowedRedirectPrefixes: [] }, name.toLowerCase());
    }
    deps = { agents: createCollectivityAgents({ db, cipher, hash }), journal: createEspaceJournal({ db, cipher }) };
    await addAdministrators(deps, MAJASTRES, { kind: 'datapass', name: null }, ['Secretariat@Majastres.fr']);
    await addAdministrators(deps, BELLEY, { kind: 'datapass', name: null }, ['enfance@belley.fr']);
    await addAdministrators(deps, STRASBOURG, { kind: 'seed', name: null }, ['periscolaire@strasbourg.eu']);
  });
  after(() => db.close());

  const user = (siret: string, email: string, roles = ['agent_public']) => ({ siret, email, roles, organizationLabel: null });

  it('lets in an agent whose SIRET is the commune’s and whose e-mail is on its list, and no one else', async () => {
    const ok = await decideAccess({ collectivities, agents: deps.agents }, user(MAJASTRES, 'secretariat@majastres.fr'));
    assert.ok(ok.ok && ok.collectivity.siret === MAJASTRES && ok.role === 'administrateur');
    const otherCommune = await decideAccess({ collectivities, agents: deps.agents }, user(BELLEY, 'secretariat@majastres.fr'));
    assert.equal(!otherCommune.ok && otherCommune.refusal.kind, 'not_on_list');
    const notListed = await decideAccess({ collectivities, agents: deps.agents }, user(MAJASTRES, 'accueil@majastres.fr'));
    assert.equal(!notListed.ok && notListed.refusal.kind, 'not_on_list');
    const inactive = await decideAccess({ collectivities, agents: deps.agents }, user(STRASBOURG, 'periscolaire@strasbourg.eu'));
    assert.equal(!inactive.ok && inactive.refusal.kind, 'inactive_collectivity');
    const state = await decideAccess({ collectivities, agents: deps.agents }, user('13002526500013', 'agent@numerique.gouv.fr'));
    assert.equal(!state.ok && state.refusal.kind, 'unknown_organization');
    const company = await decideAccess({ collectivities, agents: deps.agents }, user('41816609600069', 'dev@octo.com', []));
    assert.equal(!company.ok && company.refusal.kind, 'private_organization');
  });

  it('keeps e-mails encrypted, journals every change, and never lets the last administrator go', async () => {
    assert.deepEqual(await addAgent(deps, MAJASTRES, operator, 'not an e-mail', 'agent'), { ok: false, reason: 'invalid_email' });
    assert.deepEqual(await addAgent(deps, MAJASTRES, operator, 'accueil@majastres.fr', 'agent'), { ok: true, kind: 'added' });
    assert.deepEqual(await addAgent(deps, MAJASTRES, operator, 'ACCUEIL@majastres.fr', 'administrateur'), { ok: true, kind: 'already_listed' });
    const rows = await db.kysely.selectFrom('collectivity_agents').selectAll().execute();
    assert.ok(rows.every((r) => !Buffer.from(r.email).toString('latin1').includes('majastres') && /^[0-9a-f]{64}$/.test(r.email_hash)));

    const [admin] = (await deps.agents.list(MAJASTRES)).filter((a) => a.role === 'administrateur');
    assert.ok(admin);
    assert.deepEqual(await removeAgent(deps, MAJASTRES, operator, admin.id), { ok: false, reason: 'last_administrator' });
    assert.deepEqual(await changeAgentRole(deps, MAJASTRES, operator, admin.id, 'agent'), { ok: false, reason: 'last_administrator' });
    // Another commune's agent cannot be reached through Majastres.
    const [belleyAdmin] = await deps.agents.list(BELLEY);
    assert.deepEqual(await removeAgent(deps, MAJASTRES, operator, belleyAdmin?.id ?? ''), { ok: false, reason: 'unknown_agent' });

    const accueil = await deps.agents.findByEmail(MAJASTRES, 'accueil@majastres.fr');
    assert.deepEqual(await changeAgentRole(deps, MAJASTRES, operator, accueil?.id ?? '', 'administrateur'), { ok: true, kind: 'role_changed' });
    assert.deepEqual(await removeAgent(deps, MAJASTRES, operator, admin.id), { ok: true, kind: 'removed' });

    const journal = await deps.journal.list(MAJASTRES, 20);
    assert.deepEqual(journal.map((e) => e.action).sort(), ['agent_added', 'agent_added', 'agent_removed', 'agent_role_changed']);
    assert.ok(journal.every((e) => e.actorKind === 'operator' || e.actorKind === 'datapass'));
    assert.ok(journal.some((e) => e.action === 'agent_removed' && e.target === 'secretariat@majastres.fr' && e.actor === 'exploitation'));
    const raw = await db.kysely.selectFrom('espace_journal').selectAll().execute();
    assert.ok(raw.every((r) => !Buffer.from(r.target ?? new Uint8Array()).toString('latin1').includes('majastres.fr')));
  });
});

describe('the sessions of agents', () => {
  it('end after 30 minutes without a request, and 8 hours after the sign-in whatever happens', async () => {
    const db = await createTestDatabase();
    try {
      let clock = new Date('2026-12-01T08:00:00Z');
      const cipher = createPersonalDataCipher('a-secret-of-at-least-thirty-two-characters');
      const store = createSessionStore<{ who: string }>({ db, cipher, kind: 'agent', now: () => clock });
      const operators = createSessionStore<{ who: string }>({ db, cipher, kind: 'operator', now: () => clock });
      const idle = await store.create({ who: 'a' });
      clock = new Date(clock.getTime() + 31 * 60 * 1000);
      assert.equal(await store.touch(idle), null);

      const busy = await store.create({ who: 'b' });
      assert.equal(await operators.touch(busy), null, 'an agent’s session id opens no operator’s session');
      await operators.destroy(busy);
      const started = clock.getTime();
      for (let minutes = 20; minutes * 60 < SESSION_ABSOLUTE_SECONDS; minutes += 20) {
        clock = new Date(started + minutes * 60 * 1000);
        assert.deepEqual(await store.touch(busy), { who: 'b' }, `still open after ${minutes} minutes of activity`);
      }
      clock = new Date(started + SESSION_ABSOLUTE_SECONDS * 1000 + 1000);
      assert.equal(await store.touch(busy), null);
      assert.equal(await store.touch('not-an-id'), null);
      const operator = await operators.create({ who: 'o' });
      assert.equal(await purgeExpiredSessions(db, clock), 2);
      assert.deepEqual(await operators.touch(operator), { who: 'o' }, 'a live session outlives the purge');
    } finally {
      await db.close();
    }
  });
});
