import { sql, type Kysely } from 'kysely';

/**
 * The API Particulier token each commune's DataPass habilitation delivered (issue 13): sealed with the
 * personal-data cipher, bound to the commune's SIRET; only its last four characters are kept readable, to tell
 * the administrator which token is in place. Its uses go to the espace journal, some of them by a job, not an agent.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE commune_api_particulier_tokens (
      collectivity_siret text PRIMARY KEY REFERENCES collectivities (siret) ON DELETE CASCADE,
      token_sealed bytea NOT NULL,
      last_four text NOT NULL CHECK (length(last_four) <= 4),
      saved_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`ALTER TABLE espace_journal DROP CONSTRAINT espace_journal_actor_kind_check`.execute(db);
  await sql`ALTER TABLE espace_journal ADD CONSTRAINT espace_journal_actor_kind_check CHECK (actor_kind IN ('agent', 'operator', 'datapass', 'seed', 'job'))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DELETE FROM espace_journal WHERE actor_kind = 'job'`.execute(db);
  await sql`ALTER TABLE espace_journal DROP CONSTRAINT espace_journal_actor_kind_check`.execute(db);
  await sql`ALTER TABLE espace_journal ADD CONSTRAINT espace_journal_actor_kind_check CHECK (actor_kind IN ('agent', 'operator', 'datapass', 'seed'))`.execute(db);
  await sql`DROP TABLE commune_api_particulier_tokens`.execute(db);
}
