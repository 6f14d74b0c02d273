import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../database.ts';
import type { SessionKind } from '../schema.ts';
import type { PersonalDataCipher } from '../../security/personal-data-cipher.ts';

/**
 * Server-side sessions of agents and operators, apart from the families' journeys. The cookie carries only a
 * random id; the row is keyed by its hash and its content is encrypted. A session ends after 30 minutes without
 * a request, and 8 hours after the sign-in whatever happens. Each store keeps one kind of session (an agent's or
 * an operator's): the kind is a column every query filters on and part of the encryption's context, so that the
 * id of one kind opens nothing of the other.
 */
export const SESSION_IDLE_SECONDS = 30 * 60;
export const SESSION_ABSOLUTE_SECONDS = 8 * 3600;

export interface SessionStore<T> {
  /** A new session (a sign-in always gets a new id: no fixation). */
  create(payload: T): Promise<string>;
  /** The session, its idle deadline pushed back; null when unknown or past either limit. */
  touch(id: string): Promise<T | null>;
  destroy(id: string): Promise<void>;
}

/** Every kind at once: the retention purge. */
export async function purgeExpiredSessions(db: Db, now: Date = new Date()): Promise<number> {
  const result = await db.kysely
    .deleteFrom('espace_sessions')
    .where((eb) => eb.or([eb('idle_expires_at', '<=', now), eb('absolute_expires_at', '<=', now)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

const ID = /^[A-Za-z0-9_-]{43}$/;

export function createSessionStore<T>(deps: { db: Db; cipher: PersonalDataCipher; kind: SessionKind; now?: () => Date }): SessionStore<T> {
  const k = deps.db.kysely;
  const now = deps.now ?? (() => new Date());
  const hash = (id: string) => createHash('sha256').update(id).digest('hex');
  const { kind } = deps;
  // The agents' context is the one their sessions were sealed with before migration 0008.
  const context = (idHash: string) => (kind === 'agent' ? `espace-session:${idHash}` : `${kind}-session:${idHash}`);
  return {
    async create(payload) {
      const id = randomBytes(32).toString('base64url');
      const idHash = hash(id);
      const at = now().getTime();
      await k
        .insertInto('espace_sessions')
        .values({
          id_hash: idHash,
          kind,
          payload: deps.cipher.encrypt(payload, context(idHash)),
          idle_expires_at: new Date(at + SESSION_IDLE_SECONDS * 1000),
          absolute_expires_at: new Date(at + SESSION_ABSOLUTE_SECONDS * 1000),
        })
        .execute();
      return id;
    },
    async touch(id) {
      if (!ID.test(id)) return null;
      const idHash = hash(id);
      const at = now();
      const row = await k
        .updateTable('espace_sessions')
        .set({ idle_expires_at: new Date(at.getTime() + SESSION_IDLE_SECONDS * 1000) })
        .where('id_hash', '=', idHash)
        .where('kind', '=', kind)
        .where('idle_expires_at', '>', at)
        .where('absolute_expires_at', '>', at)
        .returning('payload')
        .executeTakeFirst();
      if (!row) return null;
      try {
        return deps.cipher.decrypt<T>(row.payload, context(idHash));
      } catch {
        return null;
      }
    },
    async destroy(id) {
      if (ID.test(id)) await k.deleteFrom('espace_sessions').where('id_hash', '=', hash(id)).where('kind', '=', kind).execute();
    },
  };
}
