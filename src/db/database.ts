import { Kysely, PostgresDialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import pg from 'pg';
import type { Config } from '../config/config.ts';
import type { PersonalDataCipher } from '../security/personal-data-cipher.ts';
import { startEmbeddedPostgres, type EmbeddedServer } from './embedded-postgres.ts';
import { migrationProviderFor } from './migrations/index.ts';
import type { Database } from './schema.ts';

/** The database: PostgreSQL, either production's server or the local installation's own (embedded) server. */
export interface Db {
  readonly kind: 'postgres' | 'embedded';
  readonly kysely: Kysely<Database>;
  /** What pg-boss needs: run one SQL text (a multi-statement script when there are no values). */
  executeSql(text: string, values?: readonly unknown[]): Promise<{ rows: unknown[] }>;
  /**
   * A statement a hot path runs on every page, prepared once per connection under `name` (pg sends its Parse the
   * first time only): no query building here, no parsing and planning on the server after the first.
   */
  queryPrepared<R>(name: string, text: string, values: readonly unknown[]): Promise<R[]>;
  /**
   * LISTEN on `channel` on a connection of its own (outside the pool). `onLost` is called once if that connection
   * drops: notifications sent meanwhile are lost, so the caller must assume it missed some. Closed with the Db.
   */
  listen(channel: string, onNotification: (payload: string) => void, onLost: () => void): Promise<Listening>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export class DatabaseClosed extends Error {
  constructor() {
    super('the database is closed');
  }
}

export interface Listening {
  close(): Promise<void>;
}

export async function openDatabase(settings: Config['database'], options: { onServerLog?: (line: string) => void } = {}): Promise<Db> {
  if (settings.kind === 'postgres') return openPostgres(settings.url, 'postgres');
  const server = await startEmbeddedPostgres({ dataDir: settings.dataDir, ...(options.onServerLog ? { onLog: options.onServerLog } : {}) });
  try {
    return await openPostgres(server.url, 'embedded', server);
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/**
 * Connections per instance. The embedded server runs on the same machine as the app, one process per connection:
 * each backend holds 15–20 MiB once it has run the migrations and pg-boss's queries, and more than a few buy nothing
 * on the cores the app shares with it. No code path waits for a second connection while holding one (every
 * transaction uses only its own), so a small pool only queues queries.
 */
const POOL_SIZE: Record<Db['kind'], number> = { postgres: 10, embedded: 4 };

async function openPostgres(url: string, kind: Db['kind'], server?: EmbeddedServer): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE[kind] });
  // An idle client losing its server must not crash the process: the next query reconnects.
  pool.on('error', () => {});
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const listeners = new Set<pg.Client>();
  let closed = false;
  return {
    kind,
    kysely,
    executeSql: async (text, values = []) => pool.query(text, values as unknown[]),
    queryPrepared: async <R>(name: string, text: string, values: readonly unknown[]) => (await pool.query({ name, text, values: values as unknown[] })).rows as R[],
    listen: async (channel, onNotification, onLost) => {
      if (!/^[a-z_]+$/.test(channel)) throw new Error(`not a channel name: ${channel}`);
      if (closed) throw new DatabaseClosed();
      const client = new pg.Client({ connectionString: url });
      let ended = false;
      const lost = () => {
        if (ended) return;
        ended = true;
        listeners.delete(client);
        onLost();
      };
      client.on('error', lost);
      client.on('end', lost);
      client.on('notification', (message) => {
        if (message.channel === channel) onNotification(message.payload ?? '');
      });
      await client.connect();
      listeners.add(client);
      try {
        await client.query(`LISTEN ${channel}`);
      } catch (error) {
        ended = true;
        listeners.delete(client);
        await client.end().catch(() => {});
        throw error;
      }
      return {
        close: async () => {
          ended = true;
          listeners.delete(client);
          await client.end().catch(() => {});
        },
      };
    },
    ping: async () => {
      await pool.query('SELECT 1');
    },
    close: async () => {
      closed = true;
      await Promise.all([...listeners].map((client) => client.end().catch(() => {})));
      listeners.clear();
      await kysely.destroy();
      await server?.stop();
    },
  };
}

/**
 * Safe when several instances start at once: Kysely's migrator holds a lock in the database while it runs.
 * `cipher`: seals data that an older version stored in clear (the service passes it; a fresh database needs none).
 */
export async function migrateToLatest(db: Db, options: { cipher?: PersonalDataCipher } = {}): Promise<void> {
  const migrator = new Migrator({ db: db.kysely, provider: migrationProviderFor({ cipher: options.cipher ?? null }) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${String(error)}`, { cause: error });
  }
}
