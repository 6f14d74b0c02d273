import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import pino from 'pino';
import { createTestDatabase } from '../../test/support/database.ts';
import { testConfig } from '../../test/support/config.ts';
import type { Db } from '../db/database.ts';
import { createCollectivityRepository } from '../db/repositories/collectivities.ts';
import { createShipmentRepository } from '../db/repositories/shipments.ts';
import { createJobQueue, type JobQueue } from '../jobs/queue.ts';
import { checkWebhook, createWebhooks, startWebhookWorker, verifyWebhook, type WebhookService } from './index.ts';
import { startWebhookReceiver, type WebhookReceiver } from './testing/receiver.ts';

const MAJASTRES = { siret: '21040107100019', codeCog: '04107' };
const BELLEY = { siret: '21010034300016', codeCog: '01034' };
/** Small numbers so that three days of retries fit in seconds: first retry after 0.2 s, window of 8 s. */
const WINDOW_SECONDS = 8;

const TIMEOUT_MS = 2000;

describe('outgoing webhooks, delivered to a real HTTP receiver', () => {
  let db: Db;
  let queue: JobQueue;
  let webhooks: WebhookService;
  let worker: { stop(): void };
  let receiver: WebhookReceiver;
  let sequence = 0;
  const shipments = () => createShipmentRepository(db);

  /** A shipment HubEE has: what a transmission leaves in our tables. */
  async function sentShipment(commune = MAJASTRES, externalId: string | null = 'dossier-4242'): Promise<string> {
    const reference = (0x1a2b3c4d5e000 + ++sequence).toString(16).toUpperCase();
    await shipments().create({ reference, collectivitySiret: commune.siret, externalId, payload: new Uint8Array([1]), giveUpAt: new Date(Date.now() + 3600_000) });
    await shipments().recordFolder(reference, `folder-${reference}`, `case-${reference}`);
    await shipments().markSent(reference);
    return reference;
  }

  async function register(overrides: { url?: string; events?: string[] } = {}) {
    const registered = await webhooks.register({
      owner: { kind: 'collectivity', siret: MAJASTRES.siret },
      url: overrides.url ?? receiver.url,
      events: overrides.events ?? ['transmission.sent', 'transmission.status_changed'],
    });
    assert.equal(registered.ok, true);
    if (!registered.ok) throw new Error('not registered');
    return registered;
  }

  async function until<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value) return value;
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  before(async () => {
    db = await createTestDatabase();
    const collectivities = createCollectivityRepository(db);
    for (const [c, name, editor] of [[MAJASTRES, 'Majastres', 'Logiciels Mairie'], [BELLEY, 'Belley', 'Logiciels Mairie']] as const) {
      await collectivities.upsert({ siret: c.siret, codeCog: c.codeCog, name, departement: c.codeCog.slice(0, 2), codePostal: '04270', status: 'active', editor, allowedRedirectPrefixes: [] }, name.toLowerCase());
    }
    queue = createJobQueue(db);
    await queue.start();
    const config = testConfig(9, {
      WEBHOOK_RETRY_BASE_SECONDS: '0.2',
      WEBHOOK_RETRY_WINDOW_HOURS: String(WINDOW_SECONDS / 3600),
      // Long enough that a receiver in this process answers in time on a busy machine; one test makes it hang.
      WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS),
      WEBHOOK_SWEEP_SECONDS: '0.1',
    });
    webhooks = createWebhooks({ config, logger: pino({ level: 'silent' }), db, queue, collectivities });
    worker = await startWebhookWorker({ webhooks, queue, logger: pino({ level: 'silent' }), sweepSeconds: 0.1 });
  });

  beforeEach(async () => {
    // Each test starts with its own receiver and no other endpoint listening.
    for (const endpoint of await webhooks.listEndpoints({ status: 'active' })) await webhooks.update(endpoint.id, { status: 'disabled' });
    await receiver?.close();
    receiver = await startWebhookReceiver();
  });

  after(async () => {
    worker.stop();
    await receiver.close();
    await queue.stop();
    await db.close();
  });

  it('delivers transmission.sent signed as Standard Webhooks says, with no personal data', async () => {
    const { endpoint, secret } = await register();
    assert.match(secret, /^whsec_[A-Za-z0-9+/]+=*$/);
    const reference = await sentShipment();
    assert.equal(await webhooks.publishTransmissionSent(reference), 1);

    const [message] = await receiver.waitFor(1);
    assert.ok(message);
    assert.equal(verifyWebhook(message.headers, message.body, secret), true);
    assert.match(String(message.headers['webhook-id']), /^msg_[0-9a-f]{32}$/);
    assert.match(String(message.headers['webhook-signature']), /^v1,[A-Za-z0-9+/]+=*$/);
    assert.deepEqual(checkWebhook(message.headers, `${message.body} `, secret), { ok: false, reason: 'bad_signature' });
    assert.deepEqual(checkWebhook(message.headers, message.body, 'whsec_' + Buffer.alloc(32, 7).toString('base64')), { ok: false, reason: 'bad_signature' });

    const body = JSON.parse(message.body) as { type: string; timestamp: string; data: Record<string, unknown> };
    assert.equal(body.type, 'transmission.sent');
    assert.deepEqual(Object.keys(body.data).sort(), ['collectivity', 'external_id', 'hubee', 'reference', 'sent_at']);
    assert.deepEqual(body.data.collectivity, { siret: MAJASTRES.siret, code_cog: MAJASTRES.codeCog });
    assert.deepEqual(body.data.hubee, { folder_id: `folder-${reference}`, case_id: `case-${reference}` });
    assert.equal(body.data.reference, reference);
    assert.equal(body.data.external_id, 'dossier-4242');

    const deliveries = await until(async () => {
      const list = await webhooks.listDeliveries(endpoint.id);
      return list[0]?.status === 'delivered' ? list : null;
    });
    const logged = await webhooks.findDelivery(deliveries[0]?.id ?? '');
    // Delivered with a 204; on a very busy machine an earlier attempt may have missed the answer timeout, never more.
    const codes = logged?.log.map((a) => a.statusCode) ?? [];
    assert.equal(codes.at(-1), 204);
    assert.ok(codes.slice(0, -1).every((code) => code === null), `only timeouts before: ${codes.join(', ')}`);
    // Published twice (e.g. a retried hook), delivered once.
    assert.equal(await webhooks.publishTransmissionSent(reference), 0);
  });

  it('sends transmission.status_changed only to endpoints that asked for it, and an éditeur hears of all its communes', async () => {
    await register({ events: ['transmission.sent'] });
    const editor = await webhooks.register({ owner: { kind: 'editeur', name: 'Logiciels Mairie' }, url: receiver.url, events: ['transmission.status_changed'] });
    assert.ok(editor.ok);
    const reference = await sentShipment(BELLEY);
    assert.equal(await webhooks.publishStatusChanged(reference, 'SI_RECEIVED'), 1);
    const [message] = await receiver.waitFor(1);
    assert.ok(message && editor.ok);
    assert.equal(verifyWebhook(message.headers, message.body, editor.secret), true);
    const body = JSON.parse(message.body) as { type: string; data: Record<string, unknown> };
    assert.equal(body.type, 'transmission.status_changed');
    assert.equal(body.data.status, 'SI_RECEIVED');
    assert.deepEqual(body.data.collectivity, { siret: BELLEY.siret, code_cog: BELLEY.codeCog });
  });

  it('retries a 500 and a timeout with growing delays, keeping the same webhook-id, and logs each answer', async () => {
    const { endpoint } = await register();
    receiver.answers.push(500, 'hang', 503);
    receiver.fallback = 200;
    const reference = await sentShipment();
    await webhooks.publishTransmissionSent(reference);
    const received = await receiver.waitFor(4);
    assert.equal(new Set(received.map((r) => r.headers['webhook-id'])).size, 1);

    const delivery = await until(async () => {
      const [latest] = await webhooks.listDeliveries(endpoint.id, 1);
      return latest?.status === 'delivered' ? webhooks.findDelivery(latest.id) : null;
    });
    // The receiver answered 500, hung, 503, then 200; an answer the machine made too slow shows as a timeout too.
    const codes = delivery?.log.map((a) => a.statusCode) ?? [];
    assert.equal(codes.length, 4, codes.join(', '));
    assert.ok([500, null].includes(codes[0] ?? -1) && codes[1] === null && [503, null].includes(codes[2] ?? -1) && codes[3] === 200, codes.join(', '));
    assert.match(delivery?.log[1]?.error ?? '', new RegExp(`no answer within ${TIMEOUT_MS} ms`));
    assert.equal(delivery?.attempts, 4);
    // Spaced by the delivery's own record (the receiver's clock also counts how late a busy machine delivered).
    const at = delivery?.log.map((a) => a.at.getTime()) ?? [];
    const gaps = at.slice(1).map((t, i) => t - (at[i] ?? 0));
    assert.ok(gaps.every((gap) => gap >= 190), `each retry waits at least the base delay: ${gaps.join(', ')}`);
  });

  it('disables an endpoint that failed for the whole retry window, then replays once it is enabled again', async () => {
    const { endpoint, secret } = await register();
    receiver.fallback = 500;
    const reference = await sentShipment();
    await webhooks.publishTransmissionSent(reference);
    const disabled = await until(async () => {
      const found = await webhooks.findEndpoint(endpoint.id);
      return found?.status === 'disabled' ? found : null;
    }, (WINDOW_SECONDS + 10) * 1000);
    assert.match(disabled.disabledReason ?? '', /échecs continus/);
    const [failed] = await webhooks.listDeliveries(endpoint.id, 1);
    assert.equal(failed?.status, 'failed');
    const attemptsBefore = receiver.received.length;
    assert.ok(attemptsBefore >= 3, `retried before giving up (${attemptsBefore} attempts)`);

    // Nothing more goes to a disabled endpoint, and a replay waits for the operator to enable it.
    assert.equal(await webhooks.publishTransmissionSent(await sentShipment()), 0);
    assert.deepEqual(await webhooks.replay(failed?.id ?? ''), { kind: 'endpoint_disabled' });

    receiver.fallback = 200;
    const enabled = await webhooks.update(endpoint.id, { status: 'active' });
    assert.equal(enabled.ok && enabled.endpoint.status, 'active');
    assert.deepEqual(await webhooks.replay(failed?.id ?? ''), { kind: 'queued' });
    const replayed = await until(async () => {
      const found = await webhooks.findDelivery(failed?.id ?? '');
      return found?.status === 'delivered' ? found : null;
    });
    const last = receiver.received.at(-1);
    assert.ok(last);
    assert.equal(last.headers['webhook-id'], failed?.id);
    assert.equal(verifyWebhook(last.headers, last.body, secret), true);
    assert.equal(replayed.log.at(-1)?.statusCode, 200);
    assert.deepEqual(await webhooks.replay('msg_unknown'), { kind: 'not_found' });
  });

  it('refuses bad registrations with a reason, and writes nothing', async () => {
    const before = (await webhooks.listEndpoints()).length;
    const attempts = [
      { owner: { kind: 'collectivity' as const, siret: '12345678901234' }, url: receiver.url, events: ['transmission.sent'] },
      { owner: { kind: 'collectivity' as const, siret: '21300000000011' }, url: receiver.url, events: ['transmission.sent'] },
      { owner: { kind: 'collectivity' as const, siret: MAJASTRES.siret }, url: receiver.url, events: ['transmission.deleted'] },
      { owner: { kind: 'collectivity' as const, siret: MAJASTRES.siret }, url: receiver.url, events: [] },
      { owner: { kind: 'collectivity' as const, siret: MAJASTRES.siret }, url: 'ftp://example.org/', events: ['transmission.sent'] },
      { owner: { kind: 'editeur' as const, name: ' ' }, url: receiver.url, events: ['transmission.sent'] },
      { owner: { kind: 'editeur' as const, name: 'X' }, url: receiver.url, events: ['transmission.sent'], secret: 'not-a-secret' },
    ];
    const codes = [];
    for (const input of attempts) {
      const result = await webhooks.register(input);
      codes.push(result.ok ? 'ok' : result.error.code);
    }
    assert.deepEqual(codes, ['INVALID_OWNER', 'INVALID_OWNER', 'INVALID_EVENTS', 'INVALID_EVENTS', 'INVALID_URL', 'INVALID_OWNER', 'INVALID_SECRET']);
    assert.equal((await webhooks.listEndpoints()).length, before);
  });
});

describe('webhook targets outside the local installation (SSRF)', () => {
  let db: Db;
  let queue: JobQueue;
  let receiver: WebhookReceiver;

  before(async () => {
    db = await createTestDatabase();
    queue = createJobQueue(db);
    await queue.start();
    receiver = await startWebhookReceiver();
  });
  after(async () => {
    await receiver.close();
    await queue.stop();
    await db.close();
  });

  it('refuses loopback and private targets at registration, and at delivery when DNS changed its mind', async () => {
    const collectivities = createCollectivityRepository(db);
    await collectivities.upsert({ siret: MAJASTRES.siret, codeCog: MAJASTRES.codeCog, name: 'Majastres', departement: '04', codePostal: '04270', status: 'active', editor: null, allowedRedirectPrefixes: [] }, 'majastres');
    const shipments = createShipmentRepository(db);
    let dns = '93.184.216.34';
    const config = testConfig(9, { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false' });
    const webhooks = createWebhooks({
      config,
      logger: pino({ level: 'silent' }),
      db,
      queue,
      collectivities,
      // `rebind.example` is a name whose address an attacker controls.
      resolve: async (host) => (host === 'rebind.example' ? [{ address: dns, family: 4 }] : [{ address: host, family: host.includes(':') ? 6 : 4 }]),
    });
    for (const url of [receiver.url, 'http://10.0.0.8/hook', 'http://[::1]:8080/', 'http://[::ffff:169.254.169.254]/latest/meta-data', 'http://192.168.1.10/']) {
      const result = await webhooks.register({ owner: { kind: 'collectivity', siret: MAJASTRES.siret }, url, events: ['transmission.sent'] });
      assert.deepEqual(result.ok ? 'ok' : result.error.code, 'TARGET_REFUSED', url);
    }

    const registered = await webhooks.register({ owner: { kind: 'collectivity', siret: MAJASTRES.siret }, url: `http://rebind.example:${new URL(receiver.url).port}/hook`, events: ['transmission.sent'] });
    assert.ok(registered.ok);
    dns = '127.0.0.1';
    await shipments.create({ reference: 'ABCDEF0123456', collectivitySiret: MAJASTRES.siret, externalId: null, payload: new Uint8Array([1]), giveUpAt: new Date(Date.now() + 3600_000) });
    await shipments.markSent('ABCDEF0123456');
    assert.equal(await webhooks.publishTransmissionSent('ABCDEF0123456'), 1);
    const [delivery] = await webhooks.listDeliveries(registered.endpoint.id);
    const outcome = await webhooks.attempt(delivery?.id ?? '');
    assert.equal(outcome.kind, 'retry_scheduled');
    assert.equal(outcome.kind === 'retry_scheduled' && outcome.failure, 'target refused: private_address');
    assert.equal(receiver.received.length, 0);
  });

  it('is refused in production configuration', async () => {
    const { loadConfig } = await import('../config/config.ts');
    assert.throws(() => loadConfig({ APP_ENV: 'production', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' }), /WEBHOOK_ALLOW_PRIVATE_TARGETS must be false in production/);
  });
});
