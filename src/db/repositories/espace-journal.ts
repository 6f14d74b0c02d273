import { randomUUID } from 'node:crypto';
import type { Db } from '../database.ts';
import type { JournalActorKind } from '../schema.ts';
import type { PersonalDataCipher } from '../../security/personal-data-cipher.ts';

/**
 * The journal of the espace collectivité: every change of a list of agents and every sign-in, accepted or
 * refused. Who (an agent's e-mail or an operator's name, encrypted), when, what (an action and a short detail
 * such as a role or a refusal reason). Nothing about families ever goes here.
 */
export type JournalAction =
  | 'sign_in'
  | 'sign_in_refused'
  | 'sign_out'
  | 'agent_added'
  | 'agent_removed'
  | 'agent_role_changed'
  | 'settings_changed'
  | 'test_dossier_sent';

export interface JournalEntry {
  siret: string | null;
  actorKind: JournalActorKind;
  actor: string | null;
  action: JournalAction;
  target?: string | null;
  detail?: string | null;
}

export interface JournalRecord extends JournalEntry {
  id: string;
  at: Date;
}

export interface EspaceJournal {
  record(entry: JournalEntry): Promise<void>;
  list(siret: string, limit: number): Promise<JournalRecord[]>;
}

export function createEspaceJournal(deps: { db: Db; cipher: PersonalDataCipher }): EspaceJournal {
  const k = deps.db.kysely;
  const seal = (value: string | null | undefined, id: string, field: string) => (value ? deps.cipher.encrypt(value, `journal:${id}:${field}`) : null);
  const open = (value: Uint8Array | null, id: string, field: string) => (value ? deps.cipher.decrypt<string>(value, `journal:${id}:${field}`) : null);
  return {
    async record(entry) {
      const id = randomUUID();
      await k
        .insertInto('espace_journal')
        .values({
          id,
          collectivity_siret: entry.siret,
          actor_kind: entry.actorKind,
          actor: seal(entry.actor, id, 'actor'),
          action: entry.action,
          target: seal(entry.target, id, 'target'),
          detail: entry.detail?.slice(0, 200) ?? null,
        })
        .execute();
    },
    async list(siret, limit) {
      const rows = await k.selectFrom('espace_journal').selectAll().where('collectivity_siret', '=', siret).orderBy('at', 'desc').orderBy('id').limit(limit).execute();
      return rows.map((row) => ({
        id: row.id,
        at: row.at,
        siret: row.collectivity_siret,
        actorKind: row.actor_kind,
        actor: open(row.actor, row.id, 'actor'),
        action: row.action as JournalAction,
        target: open(row.target, row.id, 'target'),
        detail: row.detail,
      }));
    },
  };
}
