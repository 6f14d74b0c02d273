import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrateToLatest, openDatabase, type Db } from '../../src/db/database.ts';

/**
 * A migrated database for one test file: in-memory PGlite by default, or, when TEST_DATABASE_URL is set
 * (CI's second pass), a fresh PostgreSQL database created for the file and dropped when it closes.
 */
export async function createTestDatabase(): Promise<Db & { url: string | null }> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const db = await openDatabase({ kind: 'embedded', dataDir: null });
    await migrateToLatest(db);
    return Object.assign(db, { url: null });
  }
  const name = `fqf_test_${randomBytes(6).toString('hex')}`;
  await withAdminClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase({ kind: 'postgres', url: url.toString() });
  await migrateToLatest(db);
  const close = db.close.bind(db);
  return Object.assign(db, {
    url: url.toString(),
    close: async () => {
      await close();
      await withAdminClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
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
