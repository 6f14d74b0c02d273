import { sql, type Kysely } from 'kysely';

/**
 * Éditeurs as organisations (issue 14): an éditeur is known by its SIRET and linked to its client communes (by
 * the DataPass habilitations that name it, or by the operator); its employees are members like a commune's
 * agents (e-mail encrypted, found by keyed hash). API keys belong to one organisation, a commune or an éditeur,
 * and are stored as a hash only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE editeurs (
      siret text PRIMARY KEY CHECK (siret ~ '^[0-9]{14}$'),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      -- DataPass's identifier of the éditeur (service_provider.id), the value collectivities.editor holds.
      datapass_id text UNIQUE CHECK (datapass_id IS NULL OR length(datapass_id) BETWEEN 1 AND 100),
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);

  await sql`
    CREATE TABLE editeur_clients (
      editeur_siret text NOT NULL REFERENCES editeurs (siret) ON DELETE CASCADE,
      collectivity_siret text NOT NULL REFERENCES collectivities (siret) ON DELETE CASCADE,
      linked_by text NOT NULL CHECK (linked_by IN ('datapass', 'operator', 'seed')),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (editeur_siret, collectivity_siret)
    )`.execute(db);
  await sql`CREATE INDEX editeur_clients_collectivity ON editeur_clients (collectivity_siret)`.execute(db);

  await sql`
    CREATE TABLE editeur_members (
      id text PRIMARY KEY,
      editeur_siret text NOT NULL REFERENCES editeurs (siret) ON DELETE CASCADE,
      email_hash text NOT NULL,
      email bytea NOT NULL,
      role text NOT NULL CHECK (role IN ('administrateur', 'agent')),
      added_by text NOT NULL CHECK (added_by IN ('datapass', 'seed', 'agent', 'operator')),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (editeur_siret, email_hash)
    )`.execute(db);

  // The éditeurs' journal lives beside the communes' one: the same rows, the organisation in its own column.
  await sql`ALTER TABLE espace_journal ADD COLUMN editeur_siret text`.execute(db);
  await sql`CREATE INDEX espace_journal_editeur ON espace_journal (editeur_siret, at) WHERE editeur_siret IS NOT NULL`.execute(db);

  await sql`
    CREATE TABLE api_keys (
      id text PRIMARY KEY,
      -- The visible part (fqf_live_ + 8 characters), unique: the lookup finds one row, then compares hashes.
      prefix text NOT NULL UNIQUE CHECK (length(prefix) BETWEEN 10 AND 40),
      secret_hash text NOT NULL CHECK (length(secret_hash) = 64),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
      owner_kind text NOT NULL CHECK (owner_kind IN ('collectivity', 'editeur')),
      owner_siret text NOT NULL CHECK (owner_siret ~ '^[0-9]{14}$'),
      expires_at timestamptz NOT NULL,
      last_used_at timestamptz,
      revoked_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX api_keys_owner ON api_keys (owner_kind, owner_siret, created_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE api_keys`.execute(db);
  await sql`DROP INDEX espace_journal_editeur`.execute(db);
  await sql`ALTER TABLE espace_journal DROP COLUMN editeur_siret`.execute(db);
  await sql`DROP TABLE editeur_members`.execute(db);
  await sql`DROP TABLE editeur_clients`.execute(db);
  await sql`DROP TABLE editeurs`.execute(db);
}
