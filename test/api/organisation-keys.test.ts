import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateApiKey, type Organisation } from '../../src/domain/api-key.ts';
import { createApiKey, revokeApiKey } from '../../src/usecases/manage-api-keys.ts';
import { apiOperations } from '../../src/web/routes/api/index.ts';
import type { Operation } from '../../src/web/routes/api/operation.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../src/webhooks/testing/receiver.ts';
import { journeyOverHttp } from '../support/http-journey.ts';
import { startTestService, type TestService } from '../support/service.ts';

const TOKEN = 'local-only-api-token-do-not-use-in-production-0123456789';
const MAJASTRES = '21040107100019';
const BELLEY = '21010034300016';
/** The seeded éditeurs: OCTO (clients Majastres and Belley), Logiciels Territoires (client Melgven). */
const OCTO = '41816609600069';
const LOGICIELS_TERRITOIRES = '52345678000015';

type Answer = { status: number; text: string };

/**
 * Organisation keys over real HTTP: each key acts for its own organisation only. The organisation-scoped routes
 * are taken from the operation list itself, so that a new route cannot escape these checks.
 */
describe('API keys scoped to an organisation', () => {
  let test: TestService;
  let receiver: WebhookReceiver;
  const keys: Record<string, string> = {};
  const majastres = { endpointId: '', deliveryId: '', reference: '' };
  let operations: Operation[];

  const call = async (method: string, path: string, bearer: string, body?: unknown): Promise<Answer> => {
    const response = await fetch(`${test.appUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${bearer}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, text: await response.text() };
  };

  const keyFor = async (owner: Organisation, name: string) => {
    const created = await createApiKey({ keys: test.service.context.espace.apiKeys, journalOf: () => test.service.context.espace.journal }, owner, 'test@example.fr', { name, lifetimeDays: 30 });
    assert.ok(created.ok);
    return created.key;
  };

  /** The request of an operation aimed at Majastres' resources; fails on a path parameter this test does not know. */
  const requestAtMajastres = (op: Operation) => {
    const values: Record<string, string> = { id: majastres.endpointId, delivery_id: majastres.deliveryId, reference: majastres.reference, siret: MAJASTRES };
    const path = op.path.replace(/\{([^}]+)\}/g, (_all, name: string) => {
      const value = values[name];
      assert.ok(value, `${op.operationId}: the test knows no Majastres value for {${name}}`);
      return value;
    });
    const query = op.query && 'shape' in op.query && typeof op.query.shape === 'object' && op.query.shape !== null && 'siret' in op.query.shape ? `?siret=${MAJASTRES}` : '';
    const body = op.method === 'POST' ? (op.operationId === 'creerWebhook' ? { owner: { siret: MAJASTRES }, url: `${receiver.url}/intrus`, events: ['transmission.sent'] } : {}) : undefined;
    return { method: op.method, path: `${path}${query}`, body };
  };

  before(async () => {
    test = await startTestService();
    receiver = await startWebhookReceiver();
    operations = apiOperations(test.service.context);
    keys.majastres = await keyFor({ kind: 'collectivity', siret: MAJASTRES }, 'Majastres');
    keys.belley = await keyFor({ kind: 'collectivity', siret: BELLEY }, 'Belley');
    keys.octo = await keyFor({ kind: 'editeur', siret: OCTO }, 'OCTO');
    keys.otherEditeur = await keyFor({ kind: 'editeur', siret: LOGICIELS_TERRITOIRES }, 'Logiciels Territoires');

    const created = await call('POST', '/api/webhooks', TOKEN, { owner: { siret: MAJASTRES }, url: receiver.url, events: ['transmission.sent', 'transmission.status_changed'] });
    assert.equal(created.status, 201, created.text);
    majastres.endpointId = (JSON.parse(created.text) as { id: string }).id;
    majastres.reference = await journeyOverHttp(test.appUrl, { siret: MAJASTRES, persona: 'angela', externalId: 'MAJ-CLE-1' });
    await test.service.context.webhooks.publishTransmissionSent(majastres.reference);
    const deliveries = JSON.parse((await call('GET', `/api/webhooks/${majastres.endpointId}/deliveries`, TOKEN)).text) as { data: { id: string }[] };
    assert.ok(deliveries.data[0], 'a delivery of Majastres');
    majastres.deliveryId = deliveries.data[0].id;
  });
  after(async () => {
    await receiver?.close();
    await test?.stop();
  });

  it('a key of Belley, or of another éditeur, can neither read nor change anything of Majastres, on every organisation route', async () => {
    const scoped = operations.filter((op) => op.access.kind === 'organisation');
    assert.ok(scoped.length >= 10, `organisation routes found: ${scoped.map((op) => op.operationId).join(', ')}`);
    const secrets = [MAJASTRES, majastres.endpointId, majastres.deliveryId, majastres.reference, 'MAJ-CLE-1'];
    const before = await call('GET', `/api/webhooks?siret=${MAJASTRES}`, TOKEN);
    for (const [who, key] of [['Belley', keys.belley], ['Logiciels Territoires', keys.otherEditeur]] as const) {
      for (const op of scoped) {
        const request = requestAtMajastres(op);
        const answer = await call(request.method, request.path, key ?? '', request.body);
        const label = `${who} → ${op.operationId} ${request.method} ${request.path}`;
        assert.ok(answer.status < 500, `${label}: ${answer.status}`);
        if (answer.status < 300) {
          for (const secret of secrets) assert.ok(!answer.text.includes(secret), `${label} answered ${answer.status} with ${secret}: ${answer.text}`);
        } else {
          assert.ok([403, 404].includes(answer.status), `${label}: ${answer.status} ${answer.text}`);
        }
      }
    }
    // Nothing of Majastres changed: the same endpoints, still active, and its delivery never replayed.
    const afterwards = await call('GET', `/api/webhooks?siret=${MAJASTRES}`, TOKEN);
    assert.equal(afterwards.text, before.text);
    assert.match(afterwards.text, /"status":"active"/);
    const delivery = JSON.parse((await call('GET', `/api/webhooks/deliveries/${majastres.deliveryId}`, TOKEN)).text) as { log: unknown[] };
    assert.ok(delivery.log.length <= 1, 'not replayed');
  });

  it('the key of Majastres, and of its éditeur, reach the same routes (the refusals above are about the organisation)', async () => {
    const scoped = operations.filter((op) => op.access.kind === 'organisation');
    // Disabling last, so that the replay finds the endpoint active.
    const ordered = [...scoped.filter((op) => op.operationId !== 'desactiverWebhook'), ...scoped.filter((op) => op.operationId === 'desactiverWebhook')];
    for (const [who, key] of [['Majastres', keys.majastres], ['OCTO', keys.octo]] as const) {
      for (const op of ordered) {
        const request = requestAtMajastres(op);
        const answer = await call(request.method, request.path, key ?? '', request.body);
        assert.ok(answer.status >= 200 && answer.status < 300, `${who} → ${op.operationId}: ${answer.status} ${answer.text}`);
      }
      assert.equal((await call('POST', `/api/webhooks/${majastres.endpointId}/enable`, key ?? '', {})).status, 200);
    }
    const listed = JSON.parse((await call('GET', '/api/v2/transmissions', keys.octo ?? '')).text) as { data: { reference: string; siret: string }[] };
    assert.ok(listed.data.some((t) => t.reference === majastres.reference), 'the éditeur sees its client’s transmission');
    assert.ok(listed.data.every((t) => [MAJASTRES, BELLEY].includes(t.siret)));
  });

  it('answers 401 to an expired, a revoked or an unknown key, and 403 to a key on an operator-only route', async () => {
    const { apiKeys } = test.service.context.espace;
    const expired = generateApiKey();
    await apiKeys.create({ prefix: expired.prefix, hash: expired.hash, name: 'expirée', owner: { kind: 'collectivity', siret: MAJASTRES }, expiresAt: new Date(Date.now() - 1000) });
    const revokedKey = await keyFor({ kind: 'collectivity', siret: MAJASTRES }, 'à révoquer');
    const revokedRecord = (await apiKeys.listFor({ kind: 'collectivity', siret: MAJASTRES })).find((k) => revokedKey.startsWith(k.prefix));
    assert.ok(revokedRecord);
    assert.ok(await revokeApiKey({ keys: apiKeys, journalOf: () => test.service.context.espace.journal }, { kind: 'collectivity', siret: MAJASTRES }, 'test@example.fr', revokedRecord.id));
    const forged = `${(keys.majastres ?? '').slice(0, 18)}${'A'.repeat(43)}`;
    for (const [what, key, message] of [['expired', expired.key, /expiré/], ['revoked', revokedKey, /révoquée/], ['forged', forged, /pas valide/]] as const) {
      const answer = await call('GET', `/api/v2/transmissions/${majastres.reference}`, key);
      assert.equal(answer.status, 401, what);
      assert.match(answer.text, message, what);
      assert.match(answer.text, /TOKEN_INVALID/);
    }
    const operatorOnly = operations.filter((op) => op.access.kind === 'operator');
    assert.ok(operatorOnly.length > 0);
    for (const op of operatorOnly) {
      const answer = await call(op.method, op.path, keys.majastres ?? '', {});
      assert.equal(answer.status, 403, op.operationId);
      assert.match(answer.text, /OPERATOR_ONLY/);
    }
  });

  it('records the last use of a key, and shows the key only as its prefix afterwards', async () => {
    const prefix = (keys.belley ?? '').slice(0, 17);
    const record = (await test.service.context.espace.apiKeys.listFor({ kind: 'collectivity', siret: BELLEY })).find((k) => k.prefix === prefix);
    assert.ok(record?.lastUsedAt, 'used by the first test');
    const found = await test.service.context.espace.apiKeys.findByPrefix(prefix);
    assert.ok(found && found.hash !== keys.belley && found.hash.length === 64, 'only a hash is stored');
  });

  it('lists a commune’s transmissions with a cursor and a since filter, and gives one by reference with its history', async () => {
    const second = await journeyOverHttp(test.appUrl, { siret: MAJASTRES, persona: 'angela', externalId: 'MAJ-CLE-2' });
    const key = keys.majastres ?? '';
    const seen: string[] = [];
    let url: string | null = '/api/v2/transmissions?limit=1';
    while (url) {
      const page = JSON.parse((await call('GET', url, key)).text) as { data: { reference: string; status: string; history: unknown[]; test: boolean }[]; next_cursor: string | null };
      assert.ok(page.data.length <= 1);
      // The test dossiers the earlier test sent are in the feed too, marked as such.
      seen.push(...page.data.filter((t) => !t.test).map((t) => t.reference));
      url = page.next_cursor ? `/api/v2/transmissions?limit=1&cursor=${page.next_cursor}` : null;
    }
    assert.deepEqual([...seen].sort(), [majastres.reference, second].sort());
    const future = new Date(Date.now() + 3600_000).toISOString();
    assert.deepEqual((JSON.parse((await call('GET', `/api/v2/transmissions?since=${future}`, key)).text) as { data: unknown[] }).data, []);
    const one = JSON.parse((await call('GET', `/api/v2/transmissions/${second}`, key)).text) as Record<string, unknown>;
    assert.equal(one.reference, second);
    assert.equal(one.external_id, 'MAJ-CLE-2');
    assert.ok(Array.isArray(one.history) && one.history.length > 0);
    assert.deepEqual(Object.keys(one).sort(), ['created_at', 'external_id', 'history', 'reference', 'sent_at', 'siret', 'status', 'status_updated_at', 'test']);
    for (const bad of ['cursor=nope', 'since=hier', 'limit=0', 'siret=123']) assert.equal((await call('GET', `/api/v2/transmissions?${bad}`, key)).status, 400, bad);
    assert.equal((await call('GET', '/api/v2/transmissions', TOKEN)).status, 400, 'the operator names a commune');
  });

  it('describes the key scheme and each operation’s scope in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${test.appUrl}/api/openapi.json`)).json()) as {
      components: { securitySchemes: Record<string, { scheme: string }> };
      paths: Record<string, Record<string, { security: unknown[]; 'x-portee': string; 'x-portee-cible'?: string }>>;
    };
    assert.equal(doc.components.securitySchemes.cle?.scheme, 'bearer');
    for (const op of operations) {
      const described = doc.paths[op.path]?.[op.method.toLowerCase()];
      assert.ok(described, op.operationId);
      const expected = { public: 'public', operator: 'operateur', organisation: 'organisation' }[op.access.kind];
      assert.equal(described['x-portee'], expected, op.operationId);
      if (op.access.kind === 'organisation') {
        assert.deepEqual(described.security, [{ cle: [] }, { jeton: [] }], op.operationId);
        assert.ok(described['x-portee-cible'], op.operationId);
      }
    }
  });
});
