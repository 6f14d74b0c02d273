import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../database.ts';
import type { PersonalDataCipher } from '../../security/personal-data-cipher.ts';

/**
 * Where a citizen's journey lives between requests: encrypted, keyed by a hash of the cookie value, and
 * expiring. The cookie value is the only way to read a journey back.
 */
export interface JourneyStore<T> {
  newId(): string;
  load(id: string): Promise<T | null>;
  save(id: string, journey: T): Promise<void>;
  destroy(id: string): Promise<void>;
  purgeExpired(): Promise<number>;
}

export function createJourneyStore<T>(deps: { db: Db; cipher: PersonalDataCipher; ttlSeconds: number; now?: () => Date }): JourneyStore<T> {
  const { db, cipher, ttlSeconds } = deps;
  const now = deps.now ?? (() => new Date());
  const hash = (id: string) => createHash('sha256').update(id).digest('hex');
  return {
    newId: () => randomBytes(32).toString('base64url'),
    async load(id) {
      if (!/^[A-Za-z0-9_-]{43}$/.test(id)) return null;
      const idHash = hash(id);
      const row = await db.kysely
        .selectFrom('journeys')
        .select(['payload', 'expires_at'])
        .where('id_hash', '=', idHash)
        .executeTakeFirst();
      if (!row || row.expires_at.getTime() <= now().getTime()) return null;
      try {
        return cipher.decrypt<T>(row.payload, `journey:${idHash}`);
      } catch {
        // A key rotation or a tampered row: the journey is lost, not the service.
        return null;
      }
    },
    async save(id, journey) {
      const idHash = hash(id);
      const payload = cipher.encrypt(journey, `journey:${idHash}`);
      const expiresAt = new Date(now().getTime() + ttlSeconds * 1000);
      await db.kysely
        .insertInto('journeys')
        .values({ id_hash: idHash, payload, expires_at: expiresAt })
        .onConflict((oc) => oc.column('id_hash').doUpdateSet({ payload, expires_at: expiresAt }))
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
