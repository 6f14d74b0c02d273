import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // While a signing secret rotates, the one it replaced keeps signing until the end of a grace period, so that a
  // receiver still holding it misses nothing. Sealed like the current one; dropped once its period is over.
  await sql`ALTER TABLE webhook_endpoints ADD COLUMN previous_secret_sealed bytea`.execute(db);
  await sql`ALTER TABLE webhook_endpoints ADD COLUMN previous_secret_until timestamptz`.execute(db);
  await sql`
    ALTER TABLE webhook_endpoints ADD CONSTRAINT webhook_endpoints_previous_secret
      CHECK ((previous_secret_sealed IS NULL) = (previous_secret_until IS NULL))`.execute(db);
  // A test dossier (a fictitious person, asked for by an agent or an éditeur) goes through the same pipeline as a
  // family's transmission; this marks it everywhere we show or count transmissions.
  await sql`ALTER TABLE shipments ADD COLUMN is_test boolean NOT NULL DEFAULT false`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE shipments DROP COLUMN is_test`.execute(db);
  await sql`ALTER TABLE webhook_endpoints DROP CONSTRAINT webhook_endpoints_previous_secret`.execute(db);
  await sql`ALTER TABLE webhook_endpoints DROP COLUMN previous_secret_until`.execute(db);
  await sql`ALTER TABLE webhook_endpoints DROP COLUMN previous_secret_sealed`.execute(db);
}
