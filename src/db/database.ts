import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, Migrator, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Config } from '../config/config.ts';
import { EmbeddedPool } from './embedded-pool.ts';
import type { PersonalDataCipher } from '../security/personal-data-cipher.ts';
import { migrationProviderFor } from './migrations/index.ts';
import type { Database } from './schema.ts';

/** The database, whichever engine backs it: the same SQL, the same migrations. */
export interface Db {
  readonly kind: 'postgres' | 'embedded';
  readonly kysely: Kysely<Database>;
  /** What pg-boss needs: run one SQL text (a multi-statement script when there are no values). */
  executeSql(text: string, values?: readonly unknown[]): Promise<{ rows: unknown[] }>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export async function openDatabase(settings: Config['database']): Promise<Db> {
  return settings.kind === 'postgres' ? openPostgres(settings.url) : openEmbedded(settings.dataDir);
}

async function openPostgres(url: string): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client losing its server must not crash the process: the next query reconnects.
  pool.on('error', () => {});
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    kind: 'postgres',
    kysely,
    executeSql: async (text, values = []) => pool.query(text, values as unknown[]),
    ping: async () => {
      await pool.query('SELECT 1');
    },
    close: async () => {
      await kysely.destroy();
    },
  };
}

async function openEmbedded(dataDir: string | null): Promise<Db> {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const pglite = dataDir ? new PGlite(`${dataDir}/pglite`) : new PGlite();
  await pglite.waitReady;
  const pool = new EmbeddedPool(pglite);
  const kysely = new Kysely<Database>({
    dialect: new PostgresDialect({
      // The dialect only calls connect() and end(); our pool is shaped for exactly that.
      pool: pool as unknown as pg.Pool,
    }),
  });
  return {
    kind: 'embedded',
    kysely,
    executeSql: (text, values = []) => pool.execute(text, values),
    ping: async () => {
      await pool.execute('SELECT 1');
    },
    close: async () => {
      await kysely.destroy();
      await pglite.close();
    },
  };
}

/** `cipher`: seals data that an older version stored in clear (the service passes it; a fresh database needs none). */
export async function migrateToLatest(db: Db, options: { cipher?: PersonalDataCipher } = {}): Promise<void> {
  const migrator = new Migrator({ db: db.kysely, provider: migrationProviderFor({ cipher: options.cipher ?? null }) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${String(error)}`, { cause: error });
  }
}
