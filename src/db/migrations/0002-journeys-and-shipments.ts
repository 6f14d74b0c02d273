import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // A citizen's journey: everything personal, encrypted, gone after 30 minutes. Keyed by a hash of the cookie
  // value, so that reading the table does not let anyone take over a journey.
  await sql`
    CREATE TABLE journeys (
      id_hash text PRIMARY KEY,
      payload bytea NOT NULL,
      expires_at timestamptz NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX journeys_expires_at ON journeys (expires_at)`.execute(db);

  // A transmission to HubEE. `payload` holds the encrypted télédossier data only until HubEE has the folder.
  await sql`
    CREATE TABLE shipments (
      reference text PRIMARY KEY CHECK (reference ~ '^[0-9A-F]{13}$'),
      collectivity_siret text NOT NULL REFERENCES collectivities (siret),
      external_id text,
      status text NOT NULL CHECK (status IN ('pending', 'failed', 'SENT', 'SI_RECEIVED', 'IN_PROGRESS', 'DONE', 'REFUSED')),
      hubee_folder_id text,
      hubee_case_id text,
      payload bytea,
      attempts integer NOT NULL DEFAULT 0,
      last_error text,
      lease_until timestamptz,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      give_up_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      sent_at timestamptz,
      status_updated_at timestamptz NOT NULL DEFAULT now(),
      closed_at timestamptz
    )`.execute(db);
  await sql`CREATE INDEX shipments_pending ON shipments (next_attempt_at) WHERE status = 'pending'`.execute(db);
  await sql`CREATE INDEX shipments_case ON shipments (hubee_case_id) WHERE hubee_case_id IS NOT NULL`.execute(db);

  await sql`
    CREATE TABLE shipment_status_history (
      id serial PRIMARY KEY,
      reference text NOT NULL REFERENCES shipments (reference) ON DELETE CASCADE,
      status text NOT NULL,
      at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX shipment_status_history_reference ON shipment_status_history (reference, at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE shipment_status_history`.execute(db);
  await sql`DROP TABLE shipments`.execute(db);
  await sql`DROP TABLE journeys`.execute(db);
}
