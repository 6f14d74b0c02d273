import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { createTestDatabase } from '../../test/support/database.ts';
import { testConfig } from '../../test/support/config.ts';
import type { Db } from '../db/database.ts';
import { createCollectivityRepository } from '../db/repositories/collectivities.ts';
import { createShipmentRepository } from '../db/repositories/shipments.ts';
import { createJobQueue, type JobQueue } from '../jobs/queue.ts';
import { createWebhooks, verifyWebhook, type WebhookService } from './index.ts';
import { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from './testing/receiver.ts';

const MAJASTRES = { siret: '21040107100019', codeCog: '04107' };
const HOUR = 3600_000;

/**
 * Secret rotation and test events, on a clock the test moves: no worker runs here, each attempt is made by the
 * test, so that which clock signed which message is certain.
 */
describe('rotating a webhook secret, and test events', () => {
  let db: Db;
  let queue: JobQueue;
  let webhooks: WebhookService;
  let receiver: WebhookReceiver;
  let clock = new Date('2026-12-01T09:00:00Z');
  let sequence = 0;

  async function sentShipment(): Promise<string> {
    const shipments = createShipmentRepository(db);
    const reference = (0x2b3c4d5e6f000 + ++sequence).toString(16).toUpperCase();
    await shipments.create({ reference, collectivitySiret: MAJASTRES.siret, externalId: null, payload: new Uint8Array([1]), giveUpAt: new Date(Date.now() + HOUR) });
    await shipments.recordFolder(reference, `folder-${reference}`, `case-${reference}`);
    await shipments.markSent(reference);
    return reference;
  }

  /** Publishes one transmission.sent, makes its one attempt now, and returns what the receiver got. */
  async function deliverOne(endpointId: string): Promise<ReceivedWebhook> {
    const before = receiver.received.length;
    // Each message a minute after the last, so that "the latest delivery" is this one.
    clock = new Date(clock.getTime() + 60_000);
    assert.equal(await webhooks.publishTransmissionSent(await sentShipment()), 1);
    const [pending] = await webhooks.listDeliveries(endpointId, 1);
    assert.ok(pending);
    assert.equal((await webhooks.attempt(pending.id)).kind, 'delivered');
    const received = receiver.received[before];
    assert.ok(received);
    return received;
  }

  const verifies = (message: ReceivedWebhook, secret: string) => verifyWebhook(message.headers, message.body, secret, { nowSeconds: Math.floor(clock.getTime() / 1000) });

  before(async () => {
    db = await createTestDatabase();
    const collectivities = createCollectivityRepository(db);
    await collectivities.upsert({ siret: MAJASTRES.siret, codeCog: MAJASTRES.codeCog, name: 'Majastres', departement: '04', codePostal: '04270', status: 'active', editor: null, allowedRedirectPrefixes: [] }, 'majastres');
    queue = createJobQueue(db);
    await queue.start();
    const config = testConfig(9, { WEBHOOK_SECRET_GRACE_HOURS: '24' });
    webhooks = createWebhooks({ config, logger: pino({ level: 'silent' }), db, queue, collectivities, now: () => clock });
    receiver = await startWebhookReceiver();
  });

  after(async () => {
    await receiver.close();
    await queue.stop();
    await db.close();
  });

  it('no delivery fails verification across a rotation, for a receiver holding the old secret or the new one', async () => {
    const registered = await webhooks.register({ owner: { kind: 'collectivity', siret: MAJASTRES.siret }, url: receiver.url, events: ['transmission.sent'] });
    assert.ok(registered.ok);
    const { endpoint, secret: old } = registered;
    const beforeRotation = await deliverOne(endpoint.id);
    assert.equal(verifies(beforeRotation, old), true);

    // A message published before the rotation but attempted after it is signed at its attempt: with both.
    clock = new Date(clock.getTime() + 60_000);
    assert.equal(await webhooks.publishTransmissionSent(await sentShipment()), 1);
    const [queuedBefore] = await webhooks.listDeliveries(endpoint.id, 1);
    assert.ok(queuedBefore);

    const rotation = await webhooks.rotateSecret(endpoint.id);
    assert.equal(rotation.kind, 'rotated');
    if (rotation.kind !== 'rotated') return;
    const next = rotation.secret;
    assert.notEqual(next, old);
    assert.equal(rotation.previousSecretUntil.getTime(), clock.getTime() + 24 * HOUR);
    assert.equal((await webhooks.findEndpoint(endpoint.id))?.previousSecretUntil?.getTime(), clock.getTime() + 24 * HOUR);

    assert.equal((await webhooks.attempt(queuedBefore.id)).kind, 'delivered');
    const bothVerify = (message: ReceivedWebhook | undefined) => {
      assert.ok(message);
      assert.equal(String(message.headers['webhook-signature']).split(' ').length, 2, 'two signatures during the grace period');
      assert.equal(verifies(message, old), true, 'a receiver still holding the old secret');
      assert.equal(verifies(message, next), true, 'a receiver that already took the new one');
    };
    bothVerify(receiver.received.at(-1));
    clock = new Date(clock.getTime() + 23 * HOUR);
    bothVerify(await deliverOne(endpoint.id));

    clock = new Date(clock.getTime() + 2 * HOUR);
    await webhooks.sweep();
    assert.equal((await webhooks.findEndpoint(endpoint.id))?.previousSecretUntil, null, 'the old secret is erased after its period');
    const afterGrace = await deliverOne(endpoint.id);
    assert.equal(String(afterGrace.headers['webhook-signature']).split(' ').length, 1);
    assert.equal(verifies(afterGrace, next), true);
    assert.equal(verifies(afterGrace, old), false, 'the old secret signs no more');

    assert.deepEqual(await webhooks.rotateSecret('5d0b8c9e-0000-4000-8000-000000000000'), { kind: 'not_found' });
  });

  it('sends a signed webhook.test to the one endpoint asked, logged like any delivery; refused when it is disabled', async () => {
    const other = await webhooks.register({ owner: { kind: 'collectivity', siret: MAJASTRES.siret }, url: receiver.url, events: ['transmission.sent'] });
    const registered = await webhooks.register({ owner: { kind: 'editeur', name: 'Logiciels Mairie' }, url: receiver.url, events: ['transmission.status_changed'] });
    assert.ok(registered.ok && other.ok);
    const before = receiver.received.length;
    const outcome = await webhooks.sendTestEvent(registered.endpoint.id);
    assert.equal(outcome.kind, 'queued');
    if (outcome.kind !== 'queued') return;
    assert.equal((await webhooks.attempt(outcome.deliveryId)).kind, 'delivered');
    assert.equal(receiver.received.length, before + 1, 'only the endpoint asked');
    const message = receiver.received.at(-1);
    assert.ok(message);
    assert.equal(verifies(message, registered.secret), true);
    assert.equal(verifies(message, other.secret), false);
    const body = JSON.parse(message.body) as { type: string; data: { endpoint_id: string } };
    assert.equal(body.type, 'webhook.test');
    assert.equal(body.data.endpoint_id, registered.endpoint.id);
    const logged = await webhooks.findDelivery(outcome.deliveryId);
    assert.equal(logged?.status, 'delivered');
    assert.equal(logged?.eventType, 'webhook.test');
    assert.deepEqual(logged?.log.map((a) => a.statusCode), [204]);
    // A second test is a second message, not a duplicate swallowed.
    assert.equal((await webhooks.sendTestEvent(registered.endpoint.id)).kind, 'queued');

    await webhooks.update(registered.endpoint.id, { status: 'disabled' });
    assert.deepEqual(await webhooks.sendTestEvent(registered.endpoint.id), { kind: 'endpoint_disabled' });
    assert.deepEqual(await webhooks.sendTestEvent('5d0b8c9e-0000-4000-8000-000000000000'), { kind: 'not_found' });
  });
});
