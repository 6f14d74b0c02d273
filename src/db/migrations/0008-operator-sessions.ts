import { sql, type Kysely } from 'kysely';

/**
 * The back office moves to ProConnect: its operators' sessions live in espace_sessions beside the agents', each
 * row saying whose it is, so that an agent's session id can never open /admin nor an operator's /espace.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE espace_sessions ADD COLUMN kind text NOT NULL DEFAULT 'agent' CHECK (kind IN ('agent', 'operator'))`.execute(db);
  await sql`ALTER TABLE espace_sessions ALTER COLUMN kind DROP DEFAULT`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE espace_sessions DROP COLUMN kind`.execute(db);
}
