import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // The HubEE follow-up: when the commune first acted on the case (the operator's figures), and which steps of
  // closing a final case in HubEE are done, so that a run interrupted half-way resumes where it stopped.
  await sql`ALTER TABLE shipments ADD COLUMN first_commune_status_at timestamptz`.execute(db);
  await sql`ALTER TABLE shipments ADD COLUMN hubee_case_closed_at timestamptz`.execute(db);
  await sql`ALTER TABLE shipments ADD COLUMN hubee_closing_event_at timestamptz`.execute(db);
  await sql`ALTER TABLE shipments ADD COLUMN hubee_folder_closed_at timestamptz`.execute(db);

  // One row per piece of follow-up work being done (a notification, the closing of a case): whoever inserts or
  // retakes an expired row does the work, so that several instances never do it twice.
  await sql`
    CREATE TABLE hubee_follow_up_claims (
      key text PRIMARY KEY,
      owner text NOT NULL,
      lease_until timestamptz NOT NULL,
      attempts integer NOT NULL DEFAULT 1,
      last_error text,
      done_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX hubee_follow_up_claims_done ON hubee_follow_up_claims (done_at) WHERE done_at IS NOT NULL`.execute(db);

  // Every DataPass delivery, once (a redelivery of the same body is recognised by its digest). Nothing personal.
  await sql`
    CREATE TABLE datapass_events (
      id serial PRIMARY KEY,
      body_digest text NOT NULL UNIQUE,
      event text NOT NULL,
      model_type text,
      habilitation_id integer,
      organization_siret text,
      fired_at timestamptz,
      outcome text NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);

  // The onboarding of a collectivity from an approved habilitation. `payload` holds the encrypted contact of the
  // applicant (HubEE's local administrator) only until the onboarding is done.
  await sql`
    CREATE TABLE onboardings (
      habilitation_id integer PRIMARY KEY,
      siret text NOT NULL,
      editor text,
      status text NOT NULL CHECK (status IN ('pending', 'done', 'failed', 'ended')),
      step text,
      attempts integer NOT NULL DEFAULT 0,
      last_error text,
      payload bytea,
      hubee_subscription_id text,
      lease_until timestamptz,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      completed_at timestamptz
    )`.execute(db);
  await sql`CREATE INDEX onboardings_due ON onboardings (next_attempt_at) WHERE status = 'pending'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE onboardings`.execute(db);
  await sql`DROP TABLE datapass_events`.execute(db);
  await sql`DROP TABLE hubee_follow_up_claims`.execute(db);
  for (const column of ['first_commune_status_at', 'hubee_case_closed_at', 'hubee_closing_event_at', 'hubee_folder_closed_at']) {
    await sql`ALTER TABLE shipments DROP COLUMN ${sql.ref(column)}`.execute(db);
  }
}
