import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../database.ts';
import type { AgentRole, AgentSource } from '../schema.ts';
import type { PersonalDataCipher } from '../../security/personal-data-cipher.ts';
import type { LookupHasher } from '../../security/lookup-hash.ts';

/**
 * Who may act for an organisation (a commune's agents, an éditeur's members): e-mails (encrypted, found by keyed
 * hash) with a role. Both lists have the same rules, so one module serves both tables; every query is bound to
 * the organisation's SIRET.
 */
export interface AgentRecord {
  id: string;
  /** The organisation's SIRET (the commune's, or the éditeur's). */
  siret: string;
  email: string;
  role: AgentRole;
  addedBy: AgentSource;
  createdAt: Date;
}

export interface CollectivityAgents {
  list(siret: string): Promise<AgentRecord[]>;
  findByEmail(siret: string, email: string): Promise<AgentRecord | null>;
  findById(siret: string, id: string): Promise<AgentRecord | null>;
  /** False when the e-mail already is on that organisation's list (its role is left as it is). */
  add(siret: string, email: string, role: AgentRole, addedBy: AgentSource): Promise<{ created: boolean; agent: AgentRecord }>;
  setRole(siret: string, id: string, role: AgentRole): Promise<boolean>;
  remove(siret: string, id: string): Promise<boolean>;
  countAdministrators(siret: string): Promise<number>;
}

/** The same interface for an éditeur's members. */
export type OrganisationMembers = CollectivityAgents;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Each list: its table, the column naming its organisation, and the context its e-mails are sealed under. */
const LISTS = {
  collectivity: { table: 'collectivity_agents', column: 'collectivity_siret', context: (id: string) => `agent:${id}` },
  editeur: { table: 'editeur_members', column: 'editeur_siret', context: (id: string) => `editeur-member:${id}` },
} as const;

type Row = { id: string; org: string; email: Uint8Array; role: AgentRole; added_by: AgentSource; created_at: Date };

function createMemberList(deps: { db: Db; cipher: PersonalDataCipher; hash: LookupHasher }, list: (typeof LISTS)[keyof typeof LISTS]): OrganisationMembers {
  const k = deps.db.kysely;
  const table = sql.table(list.table);
  const org = sql.ref(list.column);
  const columns = sql`id, ${org} AS org, email, role, added_by, created_at`;
  const toRecord = (row: Row): AgentRecord => ({
    id: row.id,
    siret: row.org,
    email: deps.cipher.decrypt<string>(row.email, list.context(row.id)),
    role: row.role,
    addedBy: row.added_by,
    createdAt: row.created_at,
  });
  const findByEmail = async (siret: string, email: string) => {
    const { rows } = await sql<Row>`SELECT ${columns} FROM ${table} WHERE ${org} = ${siret} AND email_hash = ${deps.hash(normalizeEmail(email))}`.execute(k);
    return rows[0] ? toRecord(rows[0]) : null;
  };
  return {
    async list(siret) {
      const { rows } = await sql<Row>`SELECT ${columns} FROM ${table} WHERE ${org} = ${siret} ORDER BY created_at, id`.execute(k);
      return rows.map(toRecord).sort((a, b) => (a.role === b.role ? a.email.localeCompare(b.email) : a.role === 'administrateur' ? -1 : 1));
    },
    findByEmail,
    async findById(siret, id) {
      const { rows } = await sql<Row>`SELECT ${columns} FROM ${table} WHERE ${org} = ${siret} AND id = ${id}`.execute(k);
      return rows[0] ? toRecord(rows[0]) : null;
    },
    async add(siret, email, role, addedBy) {
      const normalized = normalizeEmail(email);
      const id = randomUUID();
      const sealed = deps.cipher.encrypt(normalized, list.context(id));
      const { rows } = await sql<{ id: string }>`
        INSERT INTO ${table} (id, ${org}, email_hash, email, role, added_by)
        VALUES (${id}, ${siret}, ${deps.hash(normalized)}, ${sealed}, ${role}, ${addedBy})
        ON CONFLICT (${org}, email_hash) DO NOTHING
        RETURNING id`.execute(k);
      const agent = await findByEmail(siret, normalized);
      if (!agent) throw new Error('member neither inserted nor found');
      return { created: rows.length > 0, agent };
    },
    async setRole(siret, id, role) {
      const result = await sql`UPDATE ${table} SET role = ${role}, updated_at = now() WHERE ${org} = ${siret} AND id = ${id}`.execute(k);
      return Number(result.numAffectedRows ?? 0) > 0;
    },
    async remove(siret, id) {
      const result = await sql`DELETE FROM ${table} WHERE ${org} = ${siret} AND id = ${id}`.execute(k);
      return Number(result.numAffectedRows ?? 0) > 0;
    },
    async countAdministrators(siret) {
      const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${table} WHERE ${org} = ${siret} AND role = 'administrateur'`.execute(k);
      return rows[0]?.n ?? 0;
    },
  };
}

export function createCollectivityAgents(deps: { db: Db; cipher: PersonalDataCipher; hash: LookupHasher }): CollectivityAgents {
  return createMemberList(deps, LISTS.collectivity);
}

export function createEditeurMembers(deps: { db: Db; cipher: PersonalDataCipher; hash: LookupHasher }): OrganisationMembers {
  return createMemberList(deps, LISTS.editeur);
}
