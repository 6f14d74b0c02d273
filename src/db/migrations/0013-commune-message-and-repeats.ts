import { sql, type Kysely } from 'kysely';

/**
 * Two things a shipment now carries, both gone with it at the retention purge:
 * - the commune's message to the family (HubEE's "Message pour l'usager"): the commune's words, capped, shown on
 *   the family's follow-up page;
 * - a keyed hash of the identité pivot (HMAC per commune), so that a family transmitting again to the same commune
 *   is recognised without keeping who it is.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE shipments
      ADD COLUMN commune_message text CHECK (length(commune_message) <= 1000),
      ADD COLUMN commune_message_at timestamptz,
      ADD COLUMN identity_hash text CHECK (length(identity_hash) = 64)`.execute(db);
  await sql`CREATE INDEX shipments_identity_hash ON shipments (collectivity_siret, identity_hash, created_at) WHERE identity_hash IS NOT NULL`.execute(db);
}
