import { createHash, randomBytes } from 'node:crypto';
import { DatabaseClosed, type Db, type Listening } from '../database.ts';
import type { PersonalDataCipher } from '../../security/personal-data-cipher.ts';
import { createJourneyMemory } from './journey-memory.ts';

/**
 * Where a citizen's journey lives between requests: encrypted, keyed by a hash of the cookie value, and
 * expiring. The cookie value is the only way to read a journey back.
 *
 * Each save returns a version, which the cookie carries beside the id: read back with it on the instance that
 * saved it, the journey comes from that instance's memory (still encrypted) rather than from the database — the
 * next page of a journey is usually served by the process that wrote the last one. Another instance's save gives
 * another version, so an older entry never answers the family's next request; its save, replacement or deletion is
 * also announced (NOTIFY, in the same statement) and every instance drops its entry at once, so that a journey
 * ended elsewhere (logout, transmission) does not live on here. Until this instance listens, and whenever its
 * listening connection drops, it keeps nothing and reads everything from the database.
 */
export interface JourneyStore<T> {
  newId(): string;
  load(id: string, version?: string | null): Promise<T | null>;
  /** Returns the version to present to `load`. */
  save(id: string, journey: T): Promise<string>;
  /** Saves the journey under `id` and destroys the one under `replacedId`, in one statement. */
  replace(replacedId: string, id: string, journey: T): Promise<string>;
  destroy(id: string): Promise<void>;
  purgeExpired(): Promise<number>;
  /** Stops listening for other instances' changes (before the database closes). */
  close(): Promise<void>;
}

export const JOURNEY_CHANNEL = 'fqf_journeys';

export interface JourneyStoreDeps {
  db: Db;
  cipher: PersonalDataCipher;
  ttlSeconds: number;
  /** Journeys kept in this instance's memory; 0: every page reads from the database. */
  memoryEntries?: number;
  now?: () => Date;
}

export function createJourneyStore<T>(deps: JourneyStoreDeps): JourneyStore<T> {
  const { db, cipher, ttlSeconds } = deps;
  const now = deps.now ?? (() => new Date());
  const memory = createJourneyMemory({ maxEntries: deps.memoryEntries ?? 0, now });
  // Who announces a change: an instance does not forget what it has just saved itself.
  const instance = randomBytes(9).toString('base64url');
  const listening = deps.memoryEntries ? listenForChanges(db, instance, memory) : null;
  const hash = (id: string) => createHash('sha256').update(id).digest('hex');
  const newVersion = () => randomBytes(8).toString('base64url');
  const sealed = (idHash: string, journey: T) => ({ payload: cipher.encrypt(journey, `journey:${idHash}`), expiresAt: new Date(now().getTime() + ttlSeconds * 1000) });
  const open = (idHash: string, payload: Uint8Array): T | null => {
    try {
      return cipher.decrypt<T>(payload, `journey:${idHash}`);
    } catch {
      // A key rotation or a tampered row: the journey is lost, not the service.
      return null;
    }
  };
  const announced = (...idHashes: string[]) => `${instance} ${idHashes.join(' ')}`;
  const write = async (name: string, text: string, idHash: string, journey: T, extra: readonly unknown[]) => {
    const { payload, expiresAt } = sealed(idHash, journey);
    const version = newVersion();
    await db.queryPrepared(name, text, [idHash, payload, expiresAt, ...extra]);
    memory.put(idHash, { version, payload, expiresAt });
    return version;
  };
  return {
    newId: () => randomBytes(32).toString('base64url'),
    async load(id, version) {
      if (!/^[A-Za-z0-9_-]{43}$/.test(id)) return null;
      const idHash = hash(id);
      const remembered = version ? memory.get(idHash, version) : null;
      if (remembered) return open(idHash, remembered);
      // Every page of the journey reads it: a prepared statement (the review page's profile had kysely's query
      // building at 5 % of its CPU, and the server parsed and planned the same text each time).
      const [row] = await db.queryPrepared<{ payload: Uint8Array; expires_at: Date }>('journey_load', 'select payload, expires_at from journeys where id_hash = $1', [idHash]);
      if (!row || row.expires_at.getTime() <= now().getTime()) return null;
      return open(idHash, row.payload);
    },
    async save(id, journey) {
      const idHash = hash(id);
      return write('journey_save', `${RELAXED}, announced as (select pg_notify('${JOURNEY_CHANNEL}', $4) from relaxed) ${UPSERT}`, idHash, journey, [announced(idHash)]);
    },
    async replace(replacedId, id, journey) {
      const idHash = hash(id);
      const replacedHash = hash(replacedId);
      // The delete as a data-modifying CTE: PostgreSQL runs it with the insert, one round trip instead of two on
      // every login step.
      const version = await write(
        'journey_replace',
        `${RELAXED}, replaced as (delete from journeys where id_hash = $5), announced as (select pg_notify('${JOURNEY_CHANNEL}', $4) from relaxed) ${UPSERT}`,
        idHash,
        journey,
        [announced(replacedHash, idHash), replacedHash],
      );
      memory.forget(replacedHash);
      return version;
    },
    async destroy(id) {
      const idHash = hash(id);
      memory.forget(idHash);
      await db.queryPrepared(
        'journey_destroy',
        `${RELAXED}, announced as (select pg_notify('${JOURNEY_CHANNEL}', $2) from relaxed) delete from journeys where id_hash = $1 and exists (select from announced)`,
        [idHash, announced(idHash)],
      );
    },
    async purgeExpired() {
      memory.sweep();
      const result = await db.kysely.deleteFrom('journeys').where('expires_at', '<=', now()).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async close() {
      await listening?.stop();
    },
  };
}

/**
 * A journey's writes commit without waiting for the disk (this statement's transaction only): a crash of the
 * database server may lose the last fraction of a second of them, and the family then logs in again; it halves
 * the server's work and the wait on every page that writes a journey. Shipments, which must never be lost once
 * confirmed, keep the server's synchronous commits.
 */
const RELAXED = "with relaxed as (select set_config('synchronous_commit', 'off', true))";

/** The insert or update of a journey's row, announced by the statement's `announced` CTE ($1 hash, $2 payload, $3 expiry). */
const UPSERT =
  'insert into journeys (id_hash, payload, expires_at) select $1::text, $2::bytea, $3::timestamptz from announced ' +
  'on conflict (id_hash) do update set payload = excluded.payload, expires_at = excluded.expires_at';

/**
 * Keeps `memory` trusted only while this instance hears every other instance's changes: it listens, checks that a
 * notification it sends itself comes back (a pooler in transaction mode takes LISTEN and never delivers), and after
 * any loss starts again with an empty memory.
 */
function listenForChanges(db: Db, instance: string, memory: ReturnType<typeof createJourneyMemory>): { stop(): Promise<void> } {
  let stopped = false;
  let current: Listening | null = null;
  let retryMs = 500;
  let probe: { token: string; heard: () => void } | null = null;
  const onNotification = (payload: string) => {
    const [from, ...idHashes] = payload.split(' ');
    if (probe && from === instance && idHashes[0] === probe.token) return probe.heard();
    if (from === instance) return;
    for (const idHash of idHashes) memory.forget(idHash);
  };
  // One attempt at a time: a connection lost while an attempt is still checking its probe is that attempt's to retry.
  let starting = false;
  const start = async (): Promise<void> => {
    if (stopped) return;
    starting = true;
    try {
      current = await db.listen(JOURNEY_CHANNEL, onNotification, () => {
        memory.distrust();
        current = null;
        if (!starting) retry();
      });
      const token = `probe-${randomBytes(6).toString('base64url')}`;
      const heard = new Promise<boolean>((resolve) => {
        probe = { token, heard: () => resolve(true) };
        setTimeout(() => resolve(false), 5000).unref();
      });
      await db.queryPrepared('journey_probe', 'select pg_notify($1, $2)', [JOURNEY_CHANNEL, `${instance} ${token}`]);
      if (!(await heard)) throw new Error('own notification not delivered');
      if (!current) throw new Error('listening connection lost');
      if (stopped) return;
      memory.trust();
      retryMs = 500;
    } catch (error) {
      memory.distrust();
      await current?.close();
      current = null;
      if (!(error instanceof DatabaseClosed)) retry();
    } finally {
      probe = null;
      starting = false;
    }
  };
  const retry = () => {
    if (stopped) return;
    setTimeout(() => void start(), retryMs).unref();
    retryMs = Math.min(retryMs * 2, 30_000);
  };
  void start();
  return {
    async stop() {
      stopped = true;
      memory.distrust();
      await current?.close();
    },
  };
}
