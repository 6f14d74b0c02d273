import { randomUUID } from 'node:crypto';
import type { Db } from '../database.ts';
import type { Selectable } from 'kysely';
import type { EspaceJournalTable, JournalActorKind } from '../schema.ts';
import type { PersonalDataCipher } from '../../security/personal-data-cipher.ts';

/**
 * The journal of the espace collectivité and of the back office: every change of a list of agents, every
 * sign-in (accepted or refused) of an agent or an operator, and every change an operator makes. Who (an agent's
 * or operator's e-mail, encrypted), when, what (an action and a short detail such as a role or a refusal
 * reason). Nothing about families ever goes here.
 */
export type JournalAction =
  | 'sign_in'
  | 'sign_in_refused'
  | 'sign_out'
  | 'agent_added'
  | 'agent_removed'
  | 'agent_role_changed'
  | 'settings_changed'
  // The back office's operators (src/web/routes/admin/): their sign-ins and every change they make.
  | 'operator_sign_in'
  | 'operator_sign_in_refused'
  | 'operator_sign_out'
  | 'collectivity_status_changed'
  | 'shipment_retried'
  | 'onboarding_retried'
  | 'webhook_created'
  | 'webhook_status_changed'
  | 'webhook_delivery_replayed'
  | 'webhook_test_sent'
  | 'webhook_secret_rotated'
  // Organisations' keys and éditeurs' clients (src/web/espaces/, src/web/routes/admin/editeurs.ts).
  | 'api_key_created'
  | 'api_key_revoked'
  | 'client_linked'
  | 'client_unlinked'
  // The commune's API Particulier token and its uses (src/usecases/journal-token-use.ts).
  | 'api_particulier_token_saved'
  | 'api_particulier_token_refused'
  | 'api_particulier_token_deleted'
  | 'api_particulier_call'
  /** The Mise à jour annuelle: an upload checked, confirmed, paused, resumed, cancelled, its result downloaded or deleted. */
  | 'mise_a_jour'
  // A test dossier sent to the commune (src/usecases/send-test-dossier.ts).
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
  /** What operators did, every commune and none (their sign-ins), newest first. */
  listOperators(limit: number): Promise<JournalRecord[]>;
}

/** The journal of one kind of organisation: `siret` is a commune's, or an éditeur's. */
export type OrganisationJournal = EspaceJournal;

export function createEspaceJournal(deps: { db: Db; cipher: PersonalDataCipher }, organisation: 'collectivity' | 'editeur' = 'collectivity'): OrganisationJournal {
  const k = deps.db.kysely;
  const column = organisation === 'collectivity' ? 'collectivity_siret' : 'editeur_siret';
  const seal = (value: string | null | undefined, id: string, field: string) => (value ? deps.cipher.encrypt(value, `journal:${id}:${field}`) : null);
  const open = (value: Uint8Array | null, id: string, field: string) => (value ? deps.cipher.decrypt<string>(value, `journal:${id}:${field}`) : null);
  const toRecords = (rows: Selectable<EspaceJournalTable>[]): JournalRecord[] =>
    rows.map((row) => ({
      id: row.id,
      at: row.at,
      siret: organisation === 'collectivity' ? row.collectivity_siret : row.editeur_siret,
      actorKind: row.actor_kind,
      actor: open(row.actor, row.id, 'actor'),
      action: row.action as JournalAction,
      target: open(row.target, row.id, 'target'),
      detail: row.detail,
    }));
  return {
    async record(entry) {
      const id = randomUUID();
      await k
        .insertInto('espace_journal')
        .values({
          id,
          collectivity_siret: organisation === 'collectivity' ? entry.siret : null,
          editeur_siret: organisation === 'editeur' ? entry.siret : null,
          actor_kind: entry.actorKind,
          actor: seal(entry.actor, id, 'actor'),
          action: entry.action,
          target: seal(entry.target, id, 'target'),
          detail: entry.detail?.slice(0, 200) ?? null,
        })
        .execute();
    },
    list: async (siret, limit) => toRecords(await k.selectFrom('espace_journal').selectAll().where(column, '=', siret).orderBy('at', 'desc').orderBy('id').limit(limit).execute()),
    listOperators: async (limit) => toRecords(await k.selectFrom('espace_journal').selectAll().where('actor_kind', '=', 'operator').orderBy('at', 'desc').orderBy('id').limit(limit).execute()),
  };
}
