import { createHash, randomBytes } from 'node:crypto';
import type { OnConflictBuilder } from 'kysely';
import type { Db } from '../database.ts';
import type { Database } from '../schema.ts';
import type { PersonalDataCipher } from '../../security/personal-data-cipher.ts';

/**
 * Where a citizen's journey lives between requests: encrypted, keyed by a hash of the cookie value, and
 * expiring. The cookie value is the only way to read a journey back.
 */
export interface JourneyStore<T> {
  newId(): string;
  load(id: string): Promise<T | null>;
  save(id: string, journey: T): Promise<void>;
  /** Saves the journey under `id` and destroys the one under `replacedId`, in one statement. */
  replace(replacedId: string, id: string, journey: T): Promise<void>;
  destroy(id: string): Promise<void>;
  purgeExpired(): Promise<number>;
}

export function createJourneyStore<T>(deps: { db: Db; cipher: PersonalDataCipher; ttlSeconds: number; now?: () => Date }): JourneyStore<T> {
  const { db, cipher, ttlSeconds } = deps;
  const now = deps.now ?? (() => new Date());
  const hash = (id: string) => createHash('sha256').update(id).digest('hex');
  const row = (id: string, journey: T) => {
    const idHash = hash(id);
    return { id_hash: idHash, payload: cipher.encrypt(journey, `journey:${idHash}`), expires_at: new Date(now().getTime() + ttlSeconds * 1000) };
  };
  const saved = (oc: OnConflictBuilder<Database, 'journeys'>) =>
    oc.column('id_hash').doUpdateSet((eb) => ({ payload: eb.ref('excluded.payload'), expires_at: eb.ref('excluded.expires_at') }));
  return {
    newId: () => randomBytes(32).toString('base64url'),
    async load(id) {
      if (!/^[A-Za-z0-9_-]{43}$/.test(id)) return null;
      const idHash = hash(id);
      // Every page of the journey reads it: a prepared statement (the review page's profile had kysely's query
      // building at 5 % of its CPU, and the server parsed and planned the same text each time).
      const [row] = await db.queryPrepared<{ payload: Uint8Array; expires_at: Date }>('journey_load', 'select payload, expires_at from journeys where id_hash = $1', [idHash]);
      if (!row || row.expires_at.getTime() <= now().getTime()) return null;
      try {
        return cipher.decrypt<T>(row.payload, `journey:${idHash}`);
      } catch {
        // A key rotation or a tampered row: the journey is lost, not the service.
        return null;
      }
    },
    async save(id, journey) {
      await db.kysely.insertInto('journeys').values(row(id, journey)).onConflict(saved).execute();
    },
    async replace(replacedId, id, journey) {
      // The delete as a data-modifying CTE: PostgreSQL runs it with the insert, one round trip instead of two on
      // every login step.
      await db.kysely
        .with('replaced', (qb) => qb.deleteFrom('journeys').where('id_hash', '=', hash(replacedId)))
        .insertInto('journeys')
        .values(row(id, journey))
        .onConflict(saved)
        .execute();
    },
    async destroy(id) {
      await db.kysely.deleteFrom('journeys').where('id_hash', '=', hash(id)).execute();
    },
    async purgeExpired() {
      const result = await db.kysely.deleteFrom('journeys').where('expires_at', '<=', now()).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
