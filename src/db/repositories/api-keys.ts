import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../database.ts';
import type { Organisation } from '../../domain/api-key.ts';

/** An organisation's API key as stored: never the key, only its prefix and hash. */
export interface ApiKeyRecord {
  id: string;
  prefix: string;
  name: string;
  owner: Organisation;
  expiresAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
}

export interface ApiKeyRepository {
  create(input: { prefix: string; hash: string; name: string; owner: Organisation; expiresAt: Date }): Promise<ApiKeyRecord>;
  listFor(owner: Organisation): Promise<ApiKeyRecord[]>;
  /** The key with this prefix and its stored hash, to be compared by the caller in constant time. */
  findByPrefix(prefix: string): Promise<{ record: ApiKeyRecord; hash: string } | null>;
  /** Writes the last use unless one was written less than `throttleSeconds` ago (one write per key and period). */
  markUsed(id: string, at: Date, throttleSeconds: number): Promise<void>;
  /** Revokes one of the organisation's keys; null when it has no such key (another's key is "unknown" too). */
  revoke(owner: Organisation, id: string, at: Date): Promise<ApiKeyRecord | null>;
}

type Row = {
  id: string;
  prefix: string;
  name: string;
  owner_kind: Organisation['kind'];
  owner_siret: string;
  expires_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
  created_at: Date;
};

const COLUMNS = ['id', 'prefix', 'name', 'owner_kind', 'owner_siret', 'expires_at', 'last_used_at', 'revoked_at', 'created_at'] as const;

const toRecord = (row: Row): ApiKeyRecord => ({
  id: row.id,
  prefix: row.prefix,
  name: row.name,
  owner: { kind: row.owner_kind, siret: row.owner_siret },
  expiresAt: row.expires_at,
  lastUsedAt: row.last_used_at,
  revokedAt: row.revoked_at,
  createdAt: row.created_at,
});

export function createApiKeyRepository(db: Db): ApiKeyRepository {
  const k = db.kysely;
  return {
    async create(input) {
      const row = await k
        .insertInto('api_keys')
        .values({ id: randomUUID(), prefix: input.prefix, secret_hash: input.hash, name: input.name, owner_kind: input.owner.kind, owner_siret: input.owner.siret, expires_at: input.expiresAt })
        .returning(COLUMNS)
        .executeTakeFirstOrThrow();
      return toRecord(row);
    },
    async listFor(owner) {
      const rows = await k.selectFrom('api_keys').select(COLUMNS).where('owner_kind', '=', owner.kind).where('owner_siret', '=', owner.siret).orderBy('created_at', 'desc').orderBy('id').execute();
      return rows.map(toRecord);
    },
    async findByPrefix(prefix) {
      const row = await k.selectFrom('api_keys').select([...COLUMNS, 'secret_hash']).where('prefix', '=', prefix).executeTakeFirst();
      return row ? { record: toRecord(row), hash: row.secret_hash } : null;
    },
    async markUsed(id, at, throttleSeconds) {
      await k
        .updateTable('api_keys')
        .set({ last_used_at: at })
        .where('id', '=', id)
        .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', sql<Date>`${at}::timestamptz - make_interval(secs => ${throttleSeconds})`)]))
        .execute();
    },
    async revoke(owner, id, at) {
      const row = await k
        .updateTable('api_keys')
        .set({ revoked_at: sql<Date>`coalesce(revoked_at, ${at}::timestamptz)` })
        .where('id', '=', id)
        .where('owner_kind', '=', owner.kind)
        .where('owner_siret', '=', owner.siret)
        .returning(COLUMNS)
        .executeTakeFirst();
      return row ? toRecord(row) : null;
    },
  };
}
