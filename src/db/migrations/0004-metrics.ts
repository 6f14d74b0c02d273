import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Counted events, one row per kind, collectivity, code and hour: what the operator's figures and /metrics
  // need, and nothing that could tell one citizen from another (no identity, no QF, no reference, no minute).
  // '' stands for "none" in siret and code so that the primary key makes each hour's counter unique.
  await sql`
    CREATE TABLE metric_counts (
      kind text NOT NULL,
      collectivity_siret text NOT NULL DEFAULT '' CHECK (collectivity_siret = '' OR collectivity_siret ~ '^[0-9]{14}$'),
      code text NOT NULL DEFAULT '',
      hour timestamptz NOT NULL CHECK (date_trunc('hour', hour) = hour),
      count integer NOT NULL CHECK (count > 0),
      PRIMARY KEY (kind, hour, collectivity_siret, code)
    )`.execute(db);
  await sql`CREATE INDEX metric_counts_hour ON metric_counts (hour)`.execute(db);
  // The figures and the retention purge read shipments by creation date.
  await sql`CREATE INDEX shipments_created_at ON shipments (created_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX shipments_created_at`.execute(db);
  await sql`DROP TABLE metric_counts`.execute(db);
}
