import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, testServerName } from '../../test/support/database.ts';
import type { Db } from './database.ts';

describe(`the database (${testServerName()})`, () => {
  let db: Db;
  before(async () => {
    db = await createTestDatabase();
  });
  after(() => db.close());

  it('has run the migrations', async () => {
    const rows = await db.kysely.selectFrom('collectivities').selectAll().execute();
    assert.deepEqual(rows, []);
  });

  it('rolls a failed transaction back and keeps serving queries', async () => {
    await assert.rejects(
      db.kysely.transaction().execute(async (trx) => {
        await trx
          .insertInto('collectivities')
          .values({ siret: '21040107100019', code_cog: '04107', name: 'Majastres', departement: '04', code_postal: '04270', status: 'active', search_name: 'majastres', editor: null, allowed_redirect_prefixes: '[]' })
          .execute();
        throw new Error('abort');
      }),
      /abort/,
    );
    const count = await db.kysely.selectFrom('collectivities').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
    assert.equal(count.n, 0);
  });

  it('runs concurrent transactions without mixing their statements', async () => {
    const insert = (siret: string, name: string) =>
      db.kysely.transaction().execute(async (trx) => {
        await trx
          .insertInto('collectivities')
          .values({ siret, code_cog: '04107', name, departement: '04', code_postal: '04270', status: 'active', search_name: name.toLowerCase(), editor: null, allowed_redirect_prefixes: JSON.stringify(['https://example.fr/']) })
          .execute();
        await trx.selectFrom('collectivities').select('siret').execute();
      });
    await Promise.all([insert('21010034300016', 'Belley'), insert('21290146600012', 'Melgven')]);
    const rows = await db.kysely.selectFrom('collectivities').select(['name', 'allowed_redirect_prefixes']).orderBy('name').execute();
    assert.deepEqual(rows, [
      { name: 'Belley', allowed_redirect_prefixes: ['https://example.fr/'] },
      { name: 'Melgven', allowed_redirect_prefixes: ['https://example.fr/'] },
    ]);
  });

  it('refuses a malformed SIRET at the schema level', async () => {
    await assert.rejects(
      db.kysely
        .insertInto('collectivities')
        .values({ siret: '123', code_cog: '04107', name: 'X', departement: '04', code_postal: '04270', status: 'active', search_name: 'x', editor: null, allowed_redirect_prefixes: '[]' })
        .execute(),
    );
  });
});
