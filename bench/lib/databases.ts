import type { Db } from '../../src/db/database.ts';
import { createPostgresDatabase, createTestDatabase } from '../../test/support/database.ts';

/** The local PostgreSQL server the benchmarks create their databases on. */
export const BENCH_POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Runs `make` with the test helpers pointed at PostgreSQL (or at the embedded database), whatever the caller's environment. */
async function withTestDatabaseUrl<T>(url: string | undefined, make: () => Promise<T>): Promise<T> {
  const previous = process.env.TEST_DATABASE_URL;
  if (url === undefined) delete process.env.TEST_DATABASE_URL;
  else process.env.TEST_DATABASE_URL = url;
  try {
    return await make();
  } finally {
    if (previous === undefined) delete process.env.TEST_DATABASE_URL;
    else process.env.TEST_DATABASE_URL = previous;
  }
}

/** A migrated database in this process: embedded (in memory) or a fresh PostgreSQL database, dropped on close. */
export function benchDatabase(kind: 'embedded' | 'postgres'): Promise<Db> {
  return withTestDatabaseUrl(kind === 'postgres' ? BENCH_POSTGRES_URL : undefined, createTestDatabase);
}

/** A fresh, empty PostgreSQL database on the local server, for a service started in another process. */
export function freshPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  return withTestDatabaseUrl(BENCH_POSTGRES_URL, createPostgresDatabase);
}
