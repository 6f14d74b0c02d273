import { sql, type Kysely } from 'kysely';

/**
 * The Mise à jour annuelle (issue 13, part 3): a commune's upload of families whose QF is refreshed by a background
 * job. One row per family with its state, so that a restart resumes where the job was and no family is asked
 * twice. Identities and outcomes are sealed (personal data); what stays in clear is only what the summary counts
 * and the job needs: states and the kind of each outcome. Everything goes after download and confirmation, or
 * seven days after the upload at the latest (expires_at, see the retention purge).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE qf_refresh_batches (
      id text PRIMARY KEY,
      collectivity_siret text NOT NULL REFERENCES collectivities (siret) ON DELETE CASCADE,
      agent_id text NOT NULL,
      agent_email bytea NOT NULL,
      state text NOT NULL CHECK (state IN ('checked', 'running', 'paused', 'cancelled', 'done')),
      pause_reason text CHECK (pause_reason IN ('agent', 'rate_limited', 'token_refused', 'no_token')),
      resume_at timestamptz,
      annee integer CHECK (annee IS NULL OR annee BETWEEN 2000 AND 2100),
      mois integer CHECK (mois IS NULL OR mois BETWEEN 1 AND 12),
      families integer NOT NULL CHECK (families >= 0),
      lease_owner text,
      lease_until timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      confirmed_at timestamptz,
      finished_at timestamptz,
      downloaded_at timestamptz
    )`.execute(db);
  await sql`CREATE INDEX qf_refresh_batches_collectivity ON qf_refresh_batches (collectivity_siret, created_at)`.execute(db);
  await sql`CREATE INDEX qf_refresh_batches_expiry ON qf_refresh_batches (expires_at)`.execute(db);

  await sql`
    CREATE TABLE qf_refresh_families (
      batch_id text NOT NULL REFERENCES qf_refresh_batches (id) ON DELETE CASCADE,
      position integer NOT NULL,
      identity bytea NOT NULL,
      state text NOT NULL CHECK (state IN ('invalid', 'pending', 'claimed', 'done')),
      claimed_by text,
      statut text CHECK (statut IS NULL OR length(statut) <= 40),
      outcome bytea,
      PRIMARY KEY (batch_id, position)
    )`.execute(db);
  await sql`CREATE INDEX qf_refresh_families_pending ON qf_refresh_families (batch_id, position) WHERE state = 'pending'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE qf_refresh_families`.execute(db);
  await sql`DROP TABLE qf_refresh_batches`.execute(db);
}
