import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrateToLatest, openDatabase, type Db } from '../../src/db/database.ts';

/**
 * Databases for tests: in-memory PGlite by default, or, when TEST_DATABASE_URL is set (CI's second pass), a
 * fresh PostgreSQL database created for the caller and dropped when it is done with it.
 */
export function usesPostgres(): boolean {
  return Boolean(process.env.TEST_DATABASE_URL);
}

/** A new, empty PostgreSQL database on the test server; `drop` removes it. */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `fqf_test_${randomBytes(6).toString('hex')}`;
  await withAdminClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withAdminClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** A migrated database for one test file. */
export async function createTestDatabase(): Promise<Db> {
  const db = await openDatabaseForTest();
  await migrateToLatest(db);
  return db;
}

/** An empty database, not migrated (tests of the migrations themselves); PostgreSQL's is dropped on close. */
export async function openDatabaseForTest(): Promise<Db> {
  if (!usesPostgres()) return openDatabase({ kind: 'embedded', dataDir: null });
  const database = await createPostgresDatabase();
  const db = await openDatabase({ kind: 'postgres', url: database.url });
  const close = db.close.bind(db);
  return Object.assign(db, {
    close: async () => {
      await close();
      await database.drop();
    },
  });
}

async function withAdminClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}
