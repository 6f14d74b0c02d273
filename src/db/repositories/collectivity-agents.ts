import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../database.ts';
import type { AgentRole, AgentSource } from '../schema.ts';
import type { PersonalDataCipher } from '../../security/personal-data-cipher.ts';
import type { LookupHasher } from '../../security/lookup-hash.ts';

/** Who may act for a commune: e-mails (encrypted, found by keyed hash) with a role. */
export interface AgentRecord {
  id: string;
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
  /** False when the e-mail already is on that commune's list (its role is left as it is). */
  add(siret: string, email: string, role: AgentRole, addedBy: AgentSource): Promise<{ created: boolean; agent: AgentRecord }>;
  setRole(siret: string, id: string, role: AgentRole): Promise<boolean>;
  remove(siret: string, id: string): Promise<boolean>;
  countAdministrators(siret: string): Promise<number>;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

const context = (id: string) => `agent:${id}`;

export function createCollectivityAgents(deps: { db: Db; cipher: PersonalDataCipher; hash: LookupHasher }): CollectivityAgents {
  const k = deps.db.kysely;
  const columns = ['id', 'collectivity_siret', 'email', 'role', 'added_by', 'created_at'] as const;
  type Row = { id: string; collectivity_siret: string; email: Uint8Array; role: AgentRole; added_by: AgentSource; created_at: Date };
  const toRecord = (row: Row): AgentRecord => ({
    id: row.id,
    siret: row.collectivity_siret,
    email: deps.cipher.decrypt<string>(row.email, context(row.id)),
    role: row.role,
    addedBy: row.added_by,
    createdAt: row.created_at,
  });
  const findByEmail = async (siret: string, email: string) => {
    const row = await k
      .selectFrom('collectivity_agents')
      .select(columns)
      .where('collectivity_siret', '=', siret)
      .where('email_hash', '=', deps.hash(normalizeEmail(email)))
      .executeTakeFirst();
    return row ? toRecord(row) : null;
  };
  return {
    async list(siret) {
      const rows = await k.selectFrom('collectivity_agents').select(columns).where('collectivity_siret', '=', siret).orderBy('created_at').orderBy('id').execute();
      return rows.map(toRecord).sort((a, b) => (a.role === b.role ? a.email.localeCompare(b.email) : a.role === 'administrateur' ? -1 : 1));
    },
    findByEmail,
    async findById(siret, id) {
      const row = await k.selectFrom('collectivity_agents').select(columns).where('collectivity_siret', '=', siret).where('id', '=', id).executeTakeFirst();
      return row ? toRecord(row) : null;
    },
    async add(siret, email, role, addedBy) {
      const normalized = normalizeEmail(email);
      const id = randomUUID();
      const inserted = await k
        .insertInto('collectivity_agents')
        .values({ id, collectivity_siret: siret, email_hash: deps.hash(normalized), email: deps.cipher.encrypt(normalized, context(id)), role, added_by: addedBy })
        .onConflict((oc) => oc.columns(['collectivity_siret', 'email_hash']).doNothing())
        .returning('id')
        .executeTakeFirst();
      const created = inserted !== undefined;
      const agent = await findByEmail(siret, normalized);
      if (!agent) throw new Error('agent neither inserted nor found');
      return { created, agent };
    },
    async setRole(siret, id, role) {
      const result = await k
        .updateTable('collectivity_agents')
        .set({ role, updated_at: sql`now()` })
        .where('collectivity_siret', '=', siret)
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async remove(siret, id) {
      const result = await k.deleteFrom('collectivity_agents').where('collectivity_siret', '=', siret).where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async countAdministrators(siret) {
      const row = await k
        .selectFrom('collectivity_agents')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('collectivity_siret', '=', siret)
        .where('role', '=', 'administrateur')
        .executeTakeFirstOrThrow();
      return row.n;
    },
  };
}
