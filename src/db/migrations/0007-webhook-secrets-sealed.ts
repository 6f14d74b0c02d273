import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { PersonalDataCipher } from '../../security/personal-data-cipher.ts';
import { sealWebhookSecret } from '../../webhooks/sealed-secret.ts';

/**
 * Webhook signing secrets were stored in clear (0005): each existing one is sealed with the personal-data cipher,
 * in the same transaction that adds the sealed column and drops the clear one, so that no secret is left readable
 * and none is lost. The cipher comes from the configuration (PERSONAL_DATA_KEY); without it, existing secrets
 * cannot be sealed and the migration stops, changing nothing.
 */
export function sealWebhookSecrets(cipher: PersonalDataCipher | null): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await sql`ALTER TABLE webhook_endpoints ADD COLUMN secret_sealed bytea`.execute(db);
      const { rows } = await sql<{ id: string; secret: string }>`SELECT id, secret FROM webhook_endpoints ORDER BY id`.execute(db);
      if (rows.length > 0 && cipher === null) {
        throw new Error(`${rows.length} webhook secrets to seal: migrate with the personal-data key (PERSONAL_DATA_KEY)`);
      }
      for (const row of rows) {
        await sql`UPDATE webhook_endpoints SET secret_sealed = ${sealWebhookSecret(cipher!, row.id, row.secret)} WHERE id = ${row.id}`.execute(db);
      }
      await sql`ALTER TABLE webhook_endpoints DROP COLUMN secret`.execute(db);
      await sql`ALTER TABLE webhook_endpoints ALTER COLUMN secret_sealed SET NOT NULL`.execute(db);
    },
  };
}
