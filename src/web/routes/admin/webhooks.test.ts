import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestService, type TestService } from '../../../../test/support/service.ts';
import { AgentOverHttp } from '../../../../test/support/agent-over-http.ts';
import { operatorSignedIn } from '../../../../test/support/operator-over-http.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../../webhooks/testing/receiver.ts';

const MAJASTRES = '21040107100019';

describe('back office: webhooks', () => {
  let test: TestService;
  let receiver: WebhookReceiver;
  let operator: AgentOverHttp;
  const visit = async (path: string, options: { form?: URLSearchParams; signedIn?: boolean } = {}) =>
    (options.signedIn === false ? new AgentOverHttp(test.appUrl) : operator).request(path, options.form);
  const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? assert.fail('no CSRF token');

  before(async () => {
    test = await startTestService({ WEBHOOK_SWEEP_SECONDS: '0.2' });
    receiver = await startWebhookReceiver();
    operator = await operatorSignedIn(test.appUrl);
  });
  after(async () => {
    await receiver.close();
    await test.stop();
  });

  it('is for operators only', async () => {
    assert.equal((await visit('/admin/webhooks', { signedIn: false })).location, '/admin/connexion');
  });

  it('registers an endpoint, shows its secret once, shows deliveries with the receiver’s answer, replays and disables', async () => {
    const page = await visit('/admin/webhooks');
    assert.equal(page.status, 200);
    const refused = await visit('/admin/webhooks', { form: new URLSearchParams([['_csrf', csrfOf(page.html)], ['siret', MAJASTRES], ['url', receiver.url], ['events', 'transmission.nope']]) });
    assert.equal(refused.status, 422);
    assert.match(refused.html, /Les événements possibles/);

    const created = await visit('/admin/webhooks', {
      form: new URLSearchParams([['_csrf', csrfOf(page.html)], ['siret', MAJASTRES], ['editeur', ''], ['url', receiver.url], ['events', 'transmission.sent'], ['events', 'transmission.status_changed']]),
    });
    assert.equal(created.status, 200);
    assert.match(created.html, /whsec_[A-Za-z0-9+/=]+/);
    const [endpoint] = await test.service.context.webhooks.listEndpoints();
    assert.ok(endpoint);

    // A delivery, through the queue, as a transmission would make it.
    const { context } = test.service;
    await context.shipments.create({ reference: 'ABCDEF0123456', collectivitySiret: MAJASTRES, externalId: null, payload: new Uint8Array([1]), giveUpAt: new Date(Date.now() + 3600_000) });
    await context.shipments.markSent('ABCDEF0123456');
    await context.webhooks.publishTransmissionSent('ABCDEF0123456');
    await receiver.waitFor(1);
    let listing = await visit('/admin/webhooks');
    for (let i = 0; i < 50 && !/HTTP 204/.test(listing.html); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      listing = await visit('/admin/webhooks');
    }
    assert.match(listing.html, /HTTP 204/);
    assert.doesNotMatch(listing.html, /whsec_/, 'the secret is not shown again');
    const deliveryId = /msg_[0-9a-f]{32}/.exec(listing.html)?.[0];
    assert.ok(deliveryId);

    const replayed = await visit(`/admin/webhooks/livraisons/${deliveryId}/rejouer`, { form: new URLSearchParams({ _csrf: csrfOf(listing.html) }) });
    assert.equal(replayed.status, 303);
    const [, again] = await receiver.waitFor(2);
    assert.equal(again?.headers['webhook-id'], deliveryId);

    const disabled = await visit(`/admin/webhooks/${endpoint.id}/desactiver`, { form: new URLSearchParams({ _csrf: csrfOf(listing.html) }) });
    assert.equal(disabled.status, 303);
    assert.match((await visit('/admin/webhooks')).html, /désactivé le/);
    const withoutCsrf = await visit(`/admin/webhooks/${endpoint.id}/activer`, { form: new URLSearchParams({}) });
    assert.equal(withoutCsrf.status, 403);
    const journaled = (await context.espace.journal.listOperators(20)).map((e) => [e.action, e.actor]);
    for (const action of ['webhook_created', 'webhook_delivery_replayed', 'webhook_status_changed']) {
      assert.ok(journaled.some(([a, actor]) => a === action && actor === 'exploitation@formulaire-qf.beta.gouv.fr'), action);
    }
  });
});
