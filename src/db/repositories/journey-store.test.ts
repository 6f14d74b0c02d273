import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase } from '../../../test/support/database.ts';
import { createPersonalDataCipher } from '../../security/personal-data-cipher.ts';
import type { Db } from '../database.ts';
import { createJourneyStore, JOURNEY_CHANNEL, type JourneyStore } from './journey-store.ts';

describe('the journey store', () => {
  let db: Db;
  let clock = new Date('2026-11-26T10:00:00Z');
  const cipher = createPersonalDataCipher('a-secret-of-at-least-thirty-two-characters');
  before(async () => {
    db = await createTestDatabase();
  });
  after(() => db.close());
  const store = () => createJourneyStore<{ name: string }>({ db, cipher, ttlSeconds: 1800, now: () => clock });

  it('keeps a journey for 30 minutes, encrypted', async () => {
    const journeys = store();
    const id = journeys.newId();
    await journeys.save(id, { name: 'DUBOIS' });
    assert.deepEqual(await journeys.load(id), { name: 'DUBOIS' });
    const rows = await db.kysely.selectFrom('journeys').select('payload').execute();
    assert.ok(rows.every((r) => !Buffer.from(r.payload).toString('latin1').includes('DUBOIS')));
    assert.ok(rows.every((r) => !Buffer.from(r.payload).toString('latin1').includes(id)));
  });

  it('forgets it after 30 minutes, and purges it', async () => {
    const journeys = store();
    const id = journeys.newId();
    await journeys.save(id, { name: 'ROUX' });
    clock = new Date(clock.getTime() + 1801 * 1000);
    assert.equal(await journeys.load(id), null);
    assert.ok((await journeys.purgeExpired()) >= 1);
  });

  it('finds nothing for an unknown or malformed id, and nothing after destroy', async () => {
    const journeys = store();
    assert.equal(await journeys.load('nope'), null);
    assert.equal(await journeys.load(journeys.newId()), null);
    const id = journeys.newId();
    await journeys.save(id, { name: 'BERNARD' });
    await journeys.destroy(id);
    assert.equal(await journeys.load(id), null);
  });

  it('replaces a journey by another under a new id: the old id reads nothing, the new one the journey', async () => {
    const journeys = store();
    const old = journeys.newId();
    const other = journeys.newId();
    await journeys.save(old, { name: 'MARTIN' });
    await journeys.save(other, { name: 'PETIT' });
    const renewed = journeys.newId();
    await journeys.replace(old, renewed, { name: 'MARTIN' });
    assert.equal(await journeys.load(old), null);
    assert.deepEqual(await journeys.load(renewed), { name: 'MARTIN' });
    // Nobody else's journey goes with it.
    assert.deepEqual(await journeys.load(other), { name: 'PETIT' });
  });

  it('commits its own writes without waiting for the disk, and only them: every connection stays synchronous for the shipments', async () => {
    const journeys = store();
    await Promise.all(Array.from({ length: 20 }, () => journeys.save(journeys.newId(), { name: 'LEGRAND' })));
    const settings = await Promise.all(Array.from({ length: 20 }, () => db.executeSql('show synchronous_commit')));
    assert.deepEqual(new Set(settings.map((result) => (result.rows[0] as { synchronous_commit: string }).synchronous_commit)), new Set(['on']));
  });

  it('saving again under the same id changes the journey and its expiry', async () => {
    const journeys = store();
    const id = journeys.newId();
    await journeys.save(id, { name: 'ROBERT' });
    clock = new Date(clock.getTime() + 1000 * 1000);
    await journeys.save(id, { name: 'RICHARD' });
    clock = new Date(clock.getTime() + 1000 * 1000);
    assert.deepEqual(await journeys.load(id), { name: 'RICHARD' });
  });
});

describe('the journey store, with each instance remembering what it saved', () => {
  let db: Db;
  const cipher = createPersonalDataCipher('a-secret-of-at-least-thirty-two-characters');
  const stores: JourneyStore<{ name: string }>[] = [];
  before(async () => {
    db = await createTestDatabase();
  });
  after(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await db.close();
  });
  const instance = () => {
    const store = createJourneyStore<{ name: string }>({ db, cipher, ttlSeconds: 1800, memoryEntries: 100 });
    stores.push(store);
    return store;
  };
  const dropRow = (id: string) => sql`delete from journeys where id_hash = ${createHash('sha256').update(id).digest('hex')}`.execute(db.kysely);
  /** Polls until `check` holds: what another instance announced arrives a moment later, however busy the machine. */
  const eventually = async (check: () => Promise<boolean>, what: string) => {
    for (const started = Date.now(); Date.now() - started < 20_000; await new Promise((resolve) => setTimeout(resolve, 20))) {
      if (await check()) return;
    }
    assert.fail(`never: ${what}`);
  };
  /** A journey saved by `store` whose row is then removed behind its back: only the store's memory can answer it. */
  const savedWithoutRow = async (store: JourneyStore<{ name: string }>, name: string) => {
    const id = store.newId();
    const version = await store.save(id, { name });
    await dropRow(id);
    return { id, version };
  };
  /** Until it listens to the others, an instance keeps nothing: a journey whose row is gone reads nothing. */
  const remembering = (store: JourneyStore<{ name: string }>) =>
    eventually(async () => {
      const { id, version } = await savedWithoutRow(store, 'SONDE');
      return (await store.load(id, version)) !== null;
    }, 'the instance remembers what it saves');
  const terminateListeners = () => sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query = ${`LISTEN ${JOURNEY_CHANNEL}`}`.execute(db.kysely);

  it('answers the next page with the version its save gave from memory, anything else from the database', async () => {
    const a = instance();
    await remembering(a);
    const { id, version } = await savedWithoutRow(a, 'DUBOIS');
    assert.deepEqual(await a.load(id, version), { name: 'DUBOIS' }, 'from memory: the row is gone');
    assert.equal(await a.load(id, null), null, 'a cookie without a version reads the database');
    assert.equal(await a.load(id, 'another-version'), null);
    const without = createJourneyStore<{ name: string }>({ db, cipher, ttlSeconds: 1800 });
    const other = await savedWithoutRow(without, 'ROUX');
    assert.equal(await without.load(other.id, other.version), null, 'no memory when none is configured');
  });

  it('never answers a newer save made elsewhere with what it remembers', async () => {
    const [a, b] = [instance(), instance()];
    await Promise.all([remembering(a), remembering(b)]);
    const id = a.newId();
    await a.save(id, { name: 'AVANT' });
    const newer = await b.save(id, { name: 'APRÈS' });
    assert.deepEqual(await a.load(id, newer), { name: 'APRÈS' });
  });

  it('forgets at once a journey another instance saved again, replaced or ended', async () => {
    const [a, b] = [instance(), instance()];
    await Promise.all([remembering(a), remembering(b)]);
    const saved = a.newId();
    const savedVersion = await a.save(saved, { name: 'MARTIN' });
    await b.save(saved, { name: 'MARTIN (transmis)' });
    await eventually(async () => (await a.load(saved, savedVersion))?.name === 'MARTIN (transmis)', 'the older entry is dropped');

    const ended = a.newId();
    const endedVersion = await a.save(ended, { name: 'PETIT' });
    await b.destroy(ended);
    await eventually(async () => (await a.load(ended, endedVersion)) === null, 'a logout elsewhere ends it here too');

    const replaced = a.newId();
    const replacedVersion = await a.save(replaced, { name: 'LEROY' });
    await b.replace(replaced, b.newId(), { name: 'LEROY' });
    await eventually(async () => (await a.load(replaced, replacedVersion)) === null, 'a renewal elsewhere ends the old id here too');
  });

  it('keeps nothing while it cannot hear the others, and remembers again once it listens', async () => {
    const a = instance();
    await remembering(a);
    const { id, version } = await savedWithoutRow(a, 'GIRARD');
    assert.deepEqual(await a.load(id, version), { name: 'GIRARD' });
    await terminateListeners();
    await eventually(async () => (await a.load(id, version)) === null, 'the memory is dropped with its listening connection');
    await remembering(a);
  });

  it('keeps nothing behind a pooler that takes LISTEN and never delivers, its own probe unheard', async () => {
    const deaf: Db = { ...db, listen: async () => ({ close: async () => {} }) };
    const store = createJourneyStore<{ name: string }>({ db: deaf, cipher, ttlSeconds: 1800, memoryEntries: 100 });
    stores.push(store);
    const early = await savedWithoutRow(store, 'BLANC');
    assert.equal(await store.load(early.id, early.version), null, 'while its probe waits');
    // Past the probe's 5 s: given up on, not taken for heard.
    await new Promise((resolve) => setTimeout(resolve, 5500));
    const late = await savedWithoutRow(store, 'BLANC');
    assert.equal(await store.load(late.id, late.version), null, 'once its probe was given up');
  });
});
