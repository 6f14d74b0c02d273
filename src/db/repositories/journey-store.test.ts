import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase } from '../../../test/support/database.ts';
import { createPersonalDataCipher } from '../../security/personal-data-cipher.ts';
import type { Db } from '../database.ts';
import { createJourneyStore } from './journey-store.ts';

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
