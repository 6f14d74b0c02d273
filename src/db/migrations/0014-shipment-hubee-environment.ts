import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // The HubEE a shipment goes to, chosen when it is recorded: a test dossier may go to HubEE's qualification
  // environment, and the configuration may change before it is sent. Every existing shipment went to production.
  await sql`
    ALTER TABLE shipments ADD COLUMN hubee_environment text NOT NULL DEFAULT 'production'
      CONSTRAINT shipments_hubee_environment CHECK (hubee_environment IN ('production', 'qualification'))`.execute(db);
  // Only a test dossier may go elsewhere than production: a family's transmission never leaves it.
  await sql`ALTER TABLE shipments ADD CONSTRAINT shipments_qualification_is_test CHECK (hubee_environment = 'production' OR is_test)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE shipments DROP CONSTRAINT shipments_qualification_is_test`.execute(db);
  await sql`ALTER TABLE shipments DROP COLUMN hubee_environment`.execute(db);
}
