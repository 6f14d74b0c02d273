import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signDatapassBody } from '../../src/integrations/datapass/signature.ts';
import { startTestService, type TestService } from '../support/service.ts';

const TOKEN = 'local-only-api-token-do-not-use-in-production-0123456789';

/** Callers holding the API token or the DataPass secret: their odd input is refused like anyone's, never a 500. */
describe('signed and authenticated callers get clear refusals, never a 500', () => {
  let test: TestService;
  before(async () => {
    test = await startTestService();
  });
  after(() => test.stop());

  const api = (path: string, body: unknown) =>
    fetch(`${test.appUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const datapass = (body: unknown) => {
    const raw = JSON.stringify(body);
    return fetch(`${test.appUrl}/api/datapass/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signDatapassBody(raw, test.service.context.config.secrets.datapassWebhook) },
      body: raw,
    });
  };

  it('a NUL byte in a collectivity name or éditeur: 422 naming the field', async () => {
    for (const body of [
      { name: 'Maja\u0000stres', code_cog: '04107', code_postal: '04270', siret: '21040107100019' },
      { name: 'Majastres', code_cog: '04107', code_postal: '04270', siret: '21040107100019', editor: 'edi\u0000teur' },
    ]) {
      const response = await api('/api/collectivites', body);
      assert.equal(response.status, 422, JSON.stringify(body));
      const answer = (await response.json()) as { error: { fields?: Record<string, string> } };
      assert.ok(answer.error.fields?.name ?? answer.error.fields?.editor);
    }
  });

  it('a NUL byte in a webhook’s description or éditeur name: 422, through the API and the service alike', async () => {
    for (const body of [
      { owner: { editeur: 'Éditeur' }, url: 'http://127.0.0.1:9/hook', events: ['transmission.sent'], description: 'a\u0000b' },
      { owner: { editeur: 'Édi\u0000teur' }, url: 'http://127.0.0.1:9/hook', events: ['transmission.sent'] },
    ]) {
      const response = await api('/api/webhooks', body);
      assert.equal(response.status, 422, JSON.stringify(body));
    }
    const registered = await test.service.context.webhooks.register({ owner: { kind: 'editeur', name: 'Édi\u0000teur' }, url: 'http://127.0.0.1:9/hook', events: ['transmission.sent'] });
    assert.equal(registered.ok, false);
    const described = await test.service.context.webhooks.register({ owner: { kind: 'editeur', name: 'Éditeur' }, url: 'http://127.0.0.1:9/hook', events: ['transmission.sent'], description: 'a\u0000b' });
    assert.equal(described.ok, false);
  });

  it('DataPass fired_at of 1e308, 9e13 or −1e16, and a NUL in the event or anywhere in the data: 400', async () => {
    const envelope = { event: 'approve', model_type: 'authorization_request/formulaire_qf', model_id: 4242, fired_at: 1_700_000_000, data: { organization: { siret: '21040107100019' } } };
    for (const body of [
      { ...envelope, fired_at: 1e308 },
      { ...envelope, fired_at: 9e13 },
      { ...envelope, fired_at: -1e16 },
      { ...envelope, event: 'app\u0000rove' },
      { ...envelope, data: { organization: { siret: '21040107100019', name: 'Maja\u0000stres' } } },
      { ...envelope, data: { 'cl\u0000e': 1 } },
    ]) {
      const response = await datapass(body);
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.match(response.headers.get('content-type') ?? '', /json/);
    }
  });

  it('a server error names none of its causes: no SQLSTATE in the body', async () => {
    const repository = test.service.context.collectivities;
    const original = repository.findActiveBySiret;
    repository.findActiveBySiret = async () => {
      throw Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' });
    };
    try {
      const page = await fetch(`${test.appUrl}/collectivites/21040107100019`);
      assert.equal(page.status, 500);
      const html = await page.text();
      assert.ok(!html.includes('22021') && !/UTF8|SQL/i.test(html), 'the page names the database error');
    } finally {
      repository.findActiveBySiret = original;
    }
    const webhooks = test.service.context.webhooks;
    const list = webhooks.listEndpoints;
    webhooks.listEndpoints = async () => {
      throw Object.assign(new Error('null value in column "secret" violates not-null constraint'), { code: '23502' });
    };
    try {
      const response = await fetch(`${test.appUrl}/api/webhooks`, { headers: { authorization: `Bearer ${TOKEN}` } });
      assert.equal(response.status, 500);
      const body = (await response.json()) as { error: { status: number; code: string | null; message: string } };
      assert.deepEqual([body.error.status, body.error.code], [500, null]);
      assert.doesNotMatch(JSON.stringify(body), /23502|column|constraint/);
    } finally {
      webhooks.listEndpoints = list;
    }
  });
});
