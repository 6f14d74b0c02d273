import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrateToLatest, openDatabase, type Db } from '../../src/db/database.ts';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../src/db/embedded-postgres.ts';

/**
 * Databases for tests: each test file gets a fresh database of its own on one PostgreSQL server — the embedded
 * server `npm test` starts for the whole run (test/run.ts), or the server of TEST_DATABASE_URL (CI's second pass,
 * the machine's PostgreSQL 15). A file run alone without either starts an embedded server for its process.
 */
export function usesPostgres(): boolean {
  return true;
}

/** Which server the suite runs on, for the names of suites that say so. */
export function testServerName(): string {
  return process.env.TEST_DATABASE_KIND === 'embedded' || !process.env.TEST_DATABASE_URL ? 'embedded PostgreSQL' : 'PostgreSQL server';
}

let ownServer: Promise<EmbeddedServer> | null = null;

async function serverUrl(): Promise<string> {
  const url = process.env.TEST_DATABASE_URL;
  if (url) return url;
  ownServer ??= startEmbeddedPostgres({ dataDir: null }).then((server) => {
    process.once('beforeExit', () => void server.stop());
    return server;
  });
  return (await ownServer).urlFor('postgres');
}

/** A new, empty PostgreSQL database on the test server; `drop` removes it. */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const server = await serverUrl();
  const name = `fqf_test_${randomBytes(6).toString('hex')}`;
  await withAdminClient(server, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withAdminClient(server, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
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
