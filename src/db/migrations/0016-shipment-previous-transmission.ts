import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // When the same family last transmitted to the same commune before this shipment (the PDF says so), found by the
  // statement that records the shipment instead of a query of its own before it. Nothing personal: the keyed
  // identity hash on the same row links the two shipments already. Older shipments carry it in their encrypted
  // payload; nullable, so that adding it is instant and safe while instances run.
  await sql`ALTER TABLE shipments ADD COLUMN previous_transmission_at timestamptz`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE shipments DROP COLUMN previous_transmission_at`.execute(db);
}
