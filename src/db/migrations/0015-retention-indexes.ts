import { sql, type Kysely } from 'kysely';

/** The retention purge deletes old journal entries and webhook messages by date: let it find them without a scan. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX espace_journal_at ON espace_journal (at)`.execute(db);
  await sql`CREATE INDEX webhook_deliveries_created_at ON webhook_deliveries (created_at) WHERE status <> 'pending'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX webhook_deliveries_created_at`.execute(db);
  await sql`DROP INDEX espace_journal_at`.execute(db);
}
