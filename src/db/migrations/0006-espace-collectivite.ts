import { sql, type Kysely } from 'kysely';

/**
 * The espace collectivité: who may act for a commune, what they did, their sessions, and what the commune tells
 * its families. Agents' e-mails are personal data: kept encrypted, found by a keyed hash.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE collectivity_agents (
      id text PRIMARY KEY,
      collectivity_siret text NOT NULL REFERENCES collectivities (siret) ON DELETE CASCADE,
      email_hash text NOT NULL,
      email bytea NOT NULL,
      role text NOT NULL CHECK (role IN ('administrateur', 'agent')),
      added_by text NOT NULL CHECK (added_by IN ('datapass', 'seed', 'agent', 'operator')),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (collectivity_siret, email_hash)
    )`.execute(db);

  // Every change of a list of agents and every sign-in (accepted or refused): who, when, what. Never a family.
  await sql`
    CREATE TABLE espace_journal (
      id text PRIMARY KEY,
      at timestamptz NOT NULL DEFAULT now(),
      collectivity_siret text,
      actor_kind text NOT NULL CHECK (actor_kind IN ('agent', 'operator', 'datapass', 'seed')),
      actor bytea,
      action text NOT NULL CHECK (length(action) BETWEEN 1 AND 64),
      target bytea,
      detail text CHECK (detail IS NULL OR length(detail) <= 200)
    )`.execute(db);
  await sql`CREATE INDEX espace_journal_collectivity ON espace_journal (collectivity_siret, at)`.execute(db);

  // Agents' and operators' sessions: the cookie holds a random id whose hash is the key; the rest is encrypted.
  await sql`
    CREATE TABLE espace_sessions (
      id_hash text PRIMARY KEY,
      payload bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      idle_expires_at timestamptz NOT NULL,
      absolute_expires_at timestamptz NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX espace_sessions_expiry ON espace_sessions (absolute_expires_at)`.execute(db);

  // What a commune shows its families: the town hall's public contact, not anyone's personal data.
  await sql`
    CREATE TABLE collectivity_family_info (
      collectivity_siret text PRIMARY KEY REFERENCES collectivities (siret) ON DELETE CASCADE,
      service_name text CHECK (service_name IS NULL OR length(service_name) <= 200),
      phone text CHECK (phone IS NULL OR length(phone) <= 40),
      email text CHECK (email IS NULL OR length(email) <= 320),
      address text CHECK (address IS NULL OR length(address) <= 500),
      opening_hours text CHECK (opening_hours IS NULL OR length(opening_hours) <= 500),
      without_franceconnect_text text CHECK (without_franceconnect_text IS NULL OR length(without_franceconnect_text) <= 2000),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE collectivity_family_info`.execute(db);
  await sql`DROP TABLE espace_sessions`.execute(db);
  await sql`DROP TABLE espace_journal`.execute(db);
  await sql`DROP TABLE collectivity_agents`.execute(db);
}
