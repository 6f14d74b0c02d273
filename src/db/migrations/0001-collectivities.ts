import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE collectivities (
      siret text PRIMARY KEY CHECK (siret ~ '^[0-9]{14}$'),
      code_cog text NOT NULL CHECK (code_cog ~ '^[0-9][0-9AB][0-9]{3}$'),
      name text NOT NULL,
      departement text NOT NULL,
      code_postal text NOT NULL,
      status text NOT NULL CHECK (status IN ('active', 'inactive')),
      search_name text NOT NULL,
      editor text,
      allowed_redirect_prefixes jsonb NOT NULL DEFAULT '[]'::jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX collectivities_code_cog ON collectivities (code_cog)`.execute(db);
  await sql`CREATE INDEX collectivities_active_search ON collectivities (search_name text_pattern_ops) WHERE status = 'active'`.execute(db);
  await sql`CREATE INDEX collectivities_active_postal ON collectivities (code_postal text_pattern_ops) WHERE status = 'active'`.execute(db);
  await sql`CREATE INDEX collectivities_active_departement ON collectivities (departement) WHERE status = 'active'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE collectivities`.execute(db);
}
