import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { migrateToLatest, type Db } from '../db/database.ts';
import { migrationProviderFor } from '../db/migrations/index.ts';
import { createPersonalDataCipher } from '../security/personal-data-cipher.ts';
import { openDatabaseForTest } from '../../test/support/database.ts';
import { createWebhookRepository } from './repository.ts';
import { generateWebhookSecret } from './signature.ts';

const KEY = 'a-personal-data-key-for-the-sealed-secrets-test';
const cipher = createPersonalDataCipher(KEY);

/** Every value of every column of webhook_endpoints, as text (bytea as hex and as UTF-8). */
async function dump(db: Db): Promise<string> {
  const { rows } = await sql<Record<string, unknown>>`SELECT * FROM webhook_endpoints`.execute(db.kysely);
  return JSON.stringify(rows.map((row) => Object.values(row).map((v) => (v instanceof Uint8Array ? `${Buffer.from(v).toString('hex')} ${Buffer.from(v).toString('utf8')}` : String(v)))));
}

describe('webhook signing secrets at rest', () => {
  let db: Db;
  before(async () => {
    db = await openDatabaseForTest();
  });
  after(() => db.close());

  it('a database dump holds no secret: sealed, bound to the endpoint, opened only to sign', async () => {
    await migrateToLatest(db);
    const repository = createWebhookRepository(db, cipher);
    const secret = generateWebhookSecret();
    await repository.createEndpoint({ id: 'e1', owner: { kind: 'editeur', name: 'Éditeur' }, url: 'http://127.0.0.1:9/hook', secret, events: ['transmission.sent'], description: null });
    const text = await dump(db);
    assert.ok(!text.includes(secret) && !text.includes(secret.slice(6)) && !text.includes(Buffer.from(secret.slice(6), 'base64').toString('hex')), 'the secret shows in the dump');
    await sql`INSERT INTO webhook_deliveries (id, endpoint_id, event_type, event_key, body, status, next_attempt_at, give_up_at, created_at)
              VALUES ('msg_1', 'e1', 'transmission.sent', 'k', '{}', 'pending', now() - interval '1 second', now() + interval '1 day', now())`.execute(db.kysely);
    const claimed = await repository.claimDelivery('msg_1', new Date(), 60);
    assert.deepEqual(claimed?.endpoint.secrets, [secret]);
    // Copied onto another endpoint, it does not open.
    await repository.createEndpoint({ id: 'e2', owner: { kind: 'editeur', name: 'Autre' }, url: 'http://127.0.0.1:9/hook', secret: generateWebhookSecret(), events: ['transmission.sent'], description: null });
    await sql`UPDATE webhook_endpoints SET secret_sealed = (SELECT secret_sealed FROM webhook_endpoints WHERE id = 'e1') WHERE id = 'e2'`.execute(db.kysely);
    await sql`INSERT INTO webhook_deliveries (id, endpoint_id, event_type, event_key, body, status, next_attempt_at, give_up_at, created_at)
              VALUES ('msg_2', 'e2', 'transmission.sent', 'k', '{}', 'pending', now() - interval '1 second', now() + interval '1 day', now())`.execute(db.kysely);
    await assert.rejects(repository.claimDelivery('msg_2', new Date(), 60));
  });

  it('a rotated secret: both sealed, both sign during the grace period, the old one erased after it', async () => {
    const repository = createWebhookRepository(db, cipher);
    const old = generateWebhookSecret();
    const next = generateWebhookSecret();
    await repository.createEndpoint({ id: 'r1', owner: { kind: 'editeur', name: 'Rotation' }, url: 'http://127.0.0.1:9/hook', secret: old, events: ['transmission.sent'], description: null });
    const graceUntil = new Date(Date.now() + 3600_000);
    const rotated = await repository.rotateSecret('r1', next, graceUntil, new Date());
    assert.equal(rotated?.previousSecretUntil?.getTime(), graceUntil.getTime());
    const text = await dump(db);
    for (const secret of [old, next]) assert.ok(!text.includes(secret.slice(6)) && !text.includes(Buffer.from(secret.slice(6), 'base64').toString('hex')), 'a secret shows in the dump');
    const insert = (id: string) => sql`INSERT INTO webhook_deliveries (id, endpoint_id, event_type, event_key, body, status, next_attempt_at, give_up_at, created_at)
              VALUES (${id}, 'r1', 'transmission.sent', ${id}, '{}', 'pending', now() - interval '1 second', now() + interval '1 day', now())`.execute(db.kysely);
    await insert('msg_r1');
    assert.deepEqual((await repository.claimDelivery('msg_r1', new Date(), 60))?.endpoint.secrets, [next, old]);
    await insert('msg_r2');
    assert.deepEqual((await repository.claimDelivery('msg_r2', new Date(graceUntil.getTime() + 1000), 60))?.endpoint.secrets, [next], 'past its period the old secret no longer signs');
    assert.equal(await repository.dropExpiredPreviousSecrets(new Date(graceUntil.getTime() + 1000)), 1);
    const { rows } = await sql<{ previous_secret_sealed: Uint8Array | null }>`SELECT previous_secret_sealed FROM webhook_endpoints WHERE id = 'r1'`.execute(db.kysely);
    assert.equal(rows[0]?.previous_secret_sealed, null);
  });
});

describe('the migration of existing webhook secrets', () => {
  let db: Db;
  before(async () => {
    db = await openDatabaseForTest();
  });
  after(() => db.close());

  it('seals every secret stored in clear, drops the clear column, and the same secrets still sign', async () => {
    const migrator = (withCipher: boolean) => new Migrator({ db: db.kysely, provider: migrationProviderFor({ cipher: withCipher ? cipher : null }) });
    const to0005 = await migrator(false).migrateTo('0005-webhooks');
    assert.equal(to0005.error, undefined);
    const secrets = [generateWebhookSecret(), generateWebhookSecret()];
    for (const [index, secret] of secrets.entries()) {
      await sql`INSERT INTO webhook_endpoints (id, owner_kind, owner, url, secret, events, status)
                VALUES (${`old-${index}`}, 'editeur', 'Éditeur', 'http://127.0.0.1:9/hook', ${secret}, '["transmission.sent"]'::jsonb, 'active')`.execute(db.kysely);
    }
    // Without the key, nothing changes.
    const refused = await migrator(false).migrateToLatest();
    assert.ok(refused.error, 'migrated without the key');
    const { rows: still } = await sql<{ secret: string }>`SELECT secret FROM webhook_endpoints ORDER BY id`.execute(db.kysely);
    assert.deepEqual(still.map((r) => r.secret), secrets, 'the failed migration left the clear secrets in place');

    const done = await migrator(true).migrateToLatest();
    assert.equal(done.error, undefined);
    const { rows: columns } = await sql<{ column_name: string }>`SELECT column_name FROM information_schema.columns WHERE table_name = 'webhook_endpoints'`.execute(db.kysely);
    assert.ok(!columns.some((c) => c.column_name === 'secret'), 'the clear column is gone');
    const text = await dump(db);
    for (const secret of secrets) assert.ok(!text.includes(secret), 'a secret shows in the dump');
    const repository = createWebhookRepository(db, cipher);
    for (const [index, secret] of secrets.entries()) {
      await sql`INSERT INTO webhook_deliveries (id, endpoint_id, event_type, event_key, body, status, next_attempt_at, give_up_at, created_at)
                VALUES (${`msg_old_${index}`}, ${`old-${index}`}, 'transmission.sent', 'k', '{}', 'pending', now() - interval '1 second', now() + interval '1 day', now())`.execute(db.kysely);
      assert.deepEqual((await repository.claimDelivery(`msg_old_${index}`, new Date(), 60))?.endpoint.secrets, [secret]);
    }
  });
});
