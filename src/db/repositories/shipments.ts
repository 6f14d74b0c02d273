import { sql } from 'kysely';
import type { Db } from '../database.ts';
import type { ShipmentStatusColumn } from '../schema.ts';
import type { CommuneMessage } from '../../domain/commune-message.ts';
import type { HubeeEnvironment } from '../../domain/hubee-environment.ts';

/** What we keep of a transmission: nothing personal in clear. */
export interface ShipmentRecord {
  reference: string;
  collectivitySiret: string;
  externalId: string | null;
  status: ShipmentStatusColumn;
  hubeeFolderId: string | null;
  hubeeCaseId: string | null;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
  statusUpdatedAt: Date;
  giveUpAt: Date;
  /** A test dossier (fictitious person): never counted as a family's transmission. */
  isTest: boolean;
  /** The HubEE it goes to, as chosen at its creation. */
  hubeeEnvironment: HubeeEnvironment;
}

/** The commune's last words to the family, with the date HubEE gave them. */
export interface StoredCommuneMessage {
  text: string;
  at: Date;
}

export interface ClaimedShipment extends ShipmentRecord {
  /** The encrypted télédossier data, present while the shipment is pending. */
  payload: Uint8Array;
  /** The family's previous transmission to this commune, when recordFamilyShipment found one (else in the payload). */
  previousTransmissionAt: Date | null;
}

/** What recording a family's shipment came to (see ShipmentRepository.recordFamilyShipment). */
export type FamilyShipmentOutcome =
  /** Recorded, and held for its first attempt (as claim would: lease taken, attempt counted). */
  | { kind: 'created'; claimed: ClaimedShipment }
  /** This reference was recorded already (a second click): nothing written. */
  | { kind: 'exists' }
  /** The collectivity is not active, or not under the name and code given: nothing written. */
  | { kind: 'collectivity_changed' };

export interface ShipmentRepository {
  /** False when a shipment with this reference exists already: then nothing is written. `identityHash`: the keyed hash of the identité pivot for this commune (repeat-transmissions.ts), if known. */
  create(input: { reference: string; collectivitySiret: string; externalId: string | null; payload: Uint8Array; giveUpAt: Date; identityHash?: string | null; isTest?: boolean; hubeeEnvironment?: HubeeEnvironment }): Promise<boolean>;
  /**
   * A family's shipment, recorded in one statement only if its collectivity is still active under the name and COG
   * code its payload was sealed with (so a payload never names a commune as it no longer is), with the time the same
   * family (same keyed hash) last transmitted to it before among the shipments still kept, and its history row. One
   * round trip where the check, the repeat look-up and the insert were three, on every "Transmettre".
   */
  recordFamilyShipment(input: {
    reference: string;
    collectivity: { siret: string; name: string; codeCog: string };
    externalId: string | null;
    payload: Uint8Array;
    giveUpAt: Date;
    identityHash: string;
    /** The first attempt's lease, held from the insert on: no claim needed right after. */
    leaseSeconds: number;
  }): Promise<FamilyShipmentOutcome>;
  find(reference: string): Promise<ShipmentRecord | null>;
  history(reference: string): Promise<{ status: ShipmentStatusColumn; at: Date }[]>;
  /** The shipment and its history read from one snapshot, so that the two always agree. */
  findWithHistory(
    reference: string,
  ): Promise<{ shipment: ShipmentRecord; history: { status: ShipmentStatusColumn; at: Date }[]; communeMessage: StoredCommuneMessage | null } | null>;
  /** Keeps the commune's message unless a later one is already there (notifications may come out of order). */
  recordCommuneMessage(reference: string, message: CommuneMessage, at: Date): Promise<void>;
  /**
   * Takes the exclusive right to send a pending shipment for `leaseSeconds`: one sender at a time, whichever
   * process or job asks. Null when it is not pending, or someone else holds it.
   */
  claim(reference: string, leaseSeconds: number): Promise<ClaimedShipment | null>;
  /** Remembers the HubEE folder as soon as it exists, so that a retry finds it instead of making another. */
  recordFolder(reference: string, folderId: string, caseId: string): Promise<void>;
  forgetFolder(reference: string): Promise<void>;
  /** HubEE has the complete folder: the personal data goes. */
  markSent(reference: string): Promise<void>;
  release(reference: string, retryInSeconds: number, error: string): Promise<void>;
  /** Past the retry window: the personal data goes and the citizen's follow-up page says what to do. */
  markFailed(reference: string, error: string): Promise<void>;
  /** Pending shipments whose next attempt is due and that nobody holds. */
  listDue(limit: number): Promise<string[]>;
  /** The shipment of this HubEE case in that environment (each environment numbers its cases on its own). */
  findByCaseId(caseId: string, environment: HubeeEnvironment): Promise<ShipmentRecord | null>;
  updateStatus(reference: string, status: ShipmentStatusColumn): Promise<void>;
  /** A final status was closed in HubEE: its ids are forgotten. */
  close(reference: string): Promise<void>;
  /**
   * The commune moved the case: stores `status` with the commune's date, only if the shipment is still at
   * `expected` (so that two instances never both apply a change). False when the status had changed meanwhile.
   */
  recordCommuneStatus(reference: string, change: { expected: ShipmentStatusColumn; status: ShipmentStatusColumn; at: Date }): Promise<boolean>;
  /** Remembers the first time the commune acted on the case (kept if already known). */
  recordFirstCommuneAction(reference: string, at: Date): Promise<void>;
  /** Which steps of closing the HubEE case are done (see HubeeClosingStep). */
  closingProgress(reference: string): Promise<Record<HubeeClosingStep, Date | null>>;
  recordClosingStep(reference: string, step: HubeeClosingStep): Promise<void>;
}

/** Closing a final case in HubEE, in this order: the case, the event telling the commune, then the folder. */
export type HubeeClosingStep = 'case' | 'event' | 'folder';

const CLOSING_COLUMNS = {
  case: 'hubee_case_closed_at',
  event: 'hubee_closing_event_at',
  folder: 'hubee_folder_closed_at',
} as const satisfies Record<HubeeClosingStep, string>;

const columns = [
  'reference',
  'collectivity_siret',
  'external_id',
  'status',
  'hubee_folder_id',
  'hubee_case_id',
  'attempts',
  'last_error',
  'created_at',
  'sent_at',
  'status_updated_at',
  'give_up_at',
  'is_test',
  'hubee_environment',
] as const;

type Row = {
  reference: string;
  collectivity_siret: string;
  external_id: string | null;
  status: ShipmentStatusColumn;
  hubee_folder_id: string | null;
  hubee_case_id: string | null;
  attempts: number;
  last_error: string | null;
  created_at: Date;
  sent_at: Date | null;
  status_updated_at: Date;
  give_up_at: Date;
  is_test: boolean;
  hubee_environment: HubeeEnvironment;
};

const toRecord = (r: Row): ShipmentRecord => ({
  reference: r.reference,
  collectivitySiret: r.collectivity_siret,
  externalId: r.external_id,
  status: r.status,
  hubeeFolderId: r.hubee_folder_id,
  hubeeCaseId: r.hubee_case_id,
  attempts: r.attempts,
  lastError: r.last_error,
  createdAt: r.created_at,
  sentAt: r.sent_at,
  statusUpdatedAt: r.status_updated_at,
  giveUpAt: r.give_up_at,
  isTest: r.is_test,
  hubeeEnvironment: r.hubee_environment,
});

type ClaimedRow = Row & { payload: Uint8Array; previous_transmission_at: Date | null };
/** A row of an outer join that found nothing: every column null. */
type NullRow<T> = { [K in keyof T]: null };

const toClaimed = (row: ClaimedRow): ClaimedShipment => ({ ...toRecord(row), payload: row.payload, previousTransmissionAt: row.previous_transmission_at });

/*
 * The statements of every transmission's path, written once and prepared once per connection (Db.queryPrepared):
 * building them with Kysely on every call showed in the journey's profile.
 */
const FIND_SQL = `select ${columns.join(', ')} from shipments where reference = $1`;
const CLAIM_SQL = `update shipments set lease_until = now() + make_interval(secs => $2), attempts = attempts + 1
where reference = $1 and status = 'pending' and payload is not null and (lease_until is null or lease_until < now())
returning ${columns.join(', ')}, payload, previous_transmission_at`;
const MARK_SENT_SQL = `with sent as (
  update shipments set status = 'SENT', payload = null, lease_until = null, last_error = null, sent_at = now(), status_updated_at = now()
  where reference = $1 and status = 'pending' returning reference
)
insert into shipment_status_history (reference, status) select reference, 'SENT' from sent`;

/**
 * recordFamilyShipment's statement: $1 reference, $2 SIRET, $3 name, $4 COG code, $5 external id, $6 payload, $7 give-up
 * time, $8 identity hash. The shipment row is inserted only from the collectivity's row (none when it is inactive or
 * renamed), the history row only from the shipment's RETURNING (none when the reference exists: ON CONFLICT),
 * atomic as one statement.
 */
const RECORD_FAMILY_SQL = `with collectivity as (
  select siret from collectivities where siret = $2 and status = 'active' and name = $3 and code_cog = $4
), created as (
  insert into shipments (reference, collectivity_siret, external_id, status, payload, give_up_at, identity_hash, previous_transmission_at, lease_until, attempts)
  select $1, collectivity.siret, $5, 'pending', $6, $7, $8,
    (select max(created_at) from shipments where collectivity_siret = $2 and identity_hash = $8 and reference <> $1),
    now() + make_interval(secs => $9), 1
  from collectivity
  on conflict (reference) do nothing
  returning ${columns.join(', ')}, payload, previous_transmission_at
), history as (
  insert into shipment_status_history (reference, status) select reference, 'pending' from created
)
select exists (select 1 from collectivity) as active, created.* from (values (1)) as one (x) left join created on true`;

export function createShipmentRepository(db: Db): ShipmentRepository {
  const k = db.kysely;

  return {
    async create(input) {
      // One statement, atomic on its own (the history row is inserted from the shipment's RETURNING): three round
      // trips fewer than a transaction around two inserts, on the path of every "Transmettre". An existing reference
      // (a second click) inserts neither row, which spares the caller a look for it first.
      const inserted = await k
        .with('created', (db) =>
          db
            .insertInto('shipments')
            .values({
              reference: input.reference,
              collectivity_siret: input.collectivitySiret,
              external_id: input.externalId,
              status: 'pending',
              payload: input.payload,
              give_up_at: input.giveUpAt,
              identity_hash: input.identityHash ?? null,
              is_test: input.isTest ?? false,
              hubee_environment: input.hubeeEnvironment ?? 'production',
            })
            .onConflict((oc) => oc.column('reference').doNothing())
            .returning('reference'),
        )
        .insertInto('shipment_status_history')
        .columns(['reference', 'status'])
        .expression((eb) => eb.selectFrom('created').select(['created.reference', sql<ShipmentStatusColumn>`'pending'`.as('status')]))
        .returning('reference')
        .execute();
      return inserted.length > 0;
    },
    async recordFamilyShipment(input) {
      const [row] = await db.queryPrepared<{ active: boolean } & (ClaimedRow | NullRow<ClaimedRow>)>('shipment_record_family', RECORD_FAMILY_SQL, [
        input.reference,
        input.collectivity.siret,
        input.collectivity.name,
        input.collectivity.codeCog,
        input.externalId,
        input.payload,
        input.giveUpAt,
        input.identityHash,
        input.leaseSeconds,
      ]);
      if (!row?.active) return { kind: 'collectivity_changed' };
      return row.reference === null ? { kind: 'exists' } : { kind: 'created', claimed: toClaimed(row as ClaimedRow) };
    },
    async find(reference) {
      const [row] = await db.queryPrepared<Row>('shipment_find', FIND_SQL, [reference]);
      return row ? toRecord(row) : null;
    },
    async findWithHistory(reference) {
      return k
        .transaction()
        .setIsolationLevel('repeatable read')
        .execute(async (trx) => {
          const row = await trx
            .selectFrom('shipments')
            .select([...columns, 'commune_message', 'commune_message_at'])
            .where('reference', '=', reference)
            .executeTakeFirst();
          if (!row) return null;
          const history = await trx
            .selectFrom('shipment_status_history')
            .select(['status', 'at'])
            .where('reference', '=', reference)
            .orderBy('at')
            .orderBy('id')
            .execute();
          const communeMessage = row.commune_message !== null && row.commune_message_at !== null ? { text: row.commune_message, at: row.commune_message_at } : null;
          return { shipment: toRecord(row), history, communeMessage };
        });
    },
    async recordCommuneMessage(reference, message, at) {
      await k
        .updateTable('shipments')
        .set({ commune_message: message, commune_message_at: at })
        .where('reference', '=', reference)
        .where((eb) => eb.or([eb('commune_message_at', 'is', null), eb('commune_message_at', '<=', at)]))
        .execute();
    },
    async history(reference) {
      return k.selectFrom('shipment_status_history').select(['status', 'at']).where('reference', '=', reference).orderBy('at').orderBy('id').execute();
    },
    async claim(reference, leaseSeconds) {
      // One UPDATE decides who holds the shipment, atomically on both engines.
      const [row] = await db.queryPrepared<Row & { payload: Uint8Array | null; previous_transmission_at: Date | null }>('shipment_claim', CLAIM_SQL, [reference, leaseSeconds]);
      if (!row || row.payload === null) return null;
      return toClaimed({ ...row, payload: row.payload });
    },
    async recordFolder(reference, folderId, caseId) {
      await db.queryPrepared('shipment_record_folder', 'update shipments set hubee_folder_id = $2, hubee_case_id = $3 where reference = $1', [reference, folderId, caseId]);
    },
    async forgetFolder(reference) {
      await k.updateTable('shipments').set({ hubee_folder_id: null, hubee_case_id: null }).where('reference', '=', reference).execute();
    },
    async markSent(reference) {
      // One statement, atomic on its own: the history row only when this UPDATE moved the shipment (its RETURNING is
      // empty otherwise). Three round trips fewer than a transaction, on the critical path of every transmission.
      await db.queryPrepared('shipment_mark_sent', MARK_SENT_SQL, [reference]);
    },
    async release(reference, retryInSeconds, error) {
      await k
        .updateTable('shipments')
        .set({
          lease_until: null,
          last_error: error.slice(0, 500),
          next_attempt_at: sql`now() + make_interval(secs => ${retryInSeconds})`,
        })
        .where('reference', '=', reference)
        .where('status', '=', 'pending')
        .execute();
    },
    async markFailed(reference, error) {
      await k.transaction().execute(async (trx) => {
        const result = await trx
          .updateTable('shipments')
          .set({ status: 'failed', payload: null, lease_until: null, last_error: error.slice(0, 500), status_updated_at: sql`now()` })
          .where('reference', '=', reference)
          .where('status', '=', 'pending')
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) > 0) {
          await trx.insertInto('shipment_status_history').values({ reference, status: 'failed' }).execute();
        }
      });
    },
    async listDue(limit) {
      const rows = await k
        .selectFrom('shipments')
        .select('reference')
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', sql<Date>`now()`)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', sql<Date>`now()`)]))
        .orderBy('next_attempt_at')
        .limit(limit)
        .execute();
      return rows.map((r) => r.reference);
    },
    async findByCaseId(caseId, environment) {
      const row = await k.selectFrom('shipments').select(columns).where('hubee_case_id', '=', caseId).where('hubee_environment', '=', environment).executeTakeFirst();
      return row ? toRecord(row) : null;
    },
    async updateStatus(reference, status) {
      await k.transaction().execute(async (trx) => {
        await trx.updateTable('shipments').set({ status, status_updated_at: sql`now()` }).where('reference', '=', reference).execute();
        await trx.insertInto('shipment_status_history').values({ reference, status }).execute();
      });
    },
    async recordCommuneStatus(reference, change) {
      return k.transaction().execute(async (trx) => {
        const result = await trx
          .updateTable('shipments')
          .set({ status: change.status, status_updated_at: change.at })
          .where('reference', '=', reference)
          .where('status', '=', change.expected)
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) === 0) return false;
        await trx.insertInto('shipment_status_history').values({ reference, status: change.status, at: change.at }).execute();
        return true;
      });
    },
    async recordFirstCommuneAction(reference, at) {
      await k
        .updateTable('shipments')
        .set({ first_commune_status_at: at })
        .where('reference', '=', reference)
        .where((eb) => eb.or([eb('first_commune_status_at', 'is', null), eb('first_commune_status_at', '>', at)]))
        .execute();
    },
    async closingProgress(reference) {
      const row = await k
        .selectFrom('shipments')
        .select(['hubee_case_closed_at', 'hubee_closing_event_at', 'hubee_folder_closed_at'])
        .where('reference', '=', reference)
        .executeTakeFirst();
      return { case: row?.hubee_case_closed_at ?? null, event: row?.hubee_closing_event_at ?? null, folder: row?.hubee_folder_closed_at ?? null };
    },
    async recordClosingStep(reference, step) {
      await k
        .updateTable('shipments')
        .set({ [CLOSING_COLUMNS[step]]: sql`coalesce(${sql.ref(CLOSING_COLUMNS[step])}, now())` })
        .where('reference', '=', reference)
        .execute();
    },
    async close(reference) {
      await k
        .updateTable('shipments')
        .set({ hubee_folder_id: null, hubee_case_id: null, closed_at: sql`now()` })
        .where('reference', '=', reference)
        .execute();
    },
  };
}
