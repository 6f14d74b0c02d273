import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { AgentOverHttp } from '../../../../test/support/agent-over-http.ts';
import { operatorSignedIn } from '../../../../test/support/operator-over-http.ts';
import { startTestService, type TestService } from '../../../../test/support/service.ts';

const MAJASTRES = '21040107100019';
const BELLEY = '21010034300016';
const HOUR = 3600 * 1000;
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

/**
 * Issue 16 point 10: the back office's first screen counts what fails now (webhooks, onboardings, partner services
 * in the last hour), the webhooks table marks a failing endpoint, and pages name the communes beside their SIRETs.
 */
describe('back office: alerts and names', () => {
  let test: TestService;
  let operator: AgentOverHttp;
  const visit = (path: string) => operator.request(path);

  before(async () => {
    test = await startTestService();
    operator = await operatorSignedIn(test.appUrl);
    const k = test.service.context.db.kysely;
    const endpoint = (owner: string, failingSince: Date | null, status: 'active' | 'disabled' = 'active') =>
      k
        .insertInto('webhook_endpoints')
        .values({ id: randomUUID(), owner_kind: 'collectivity', owner, url: `https://logiciel.example.fr/${owner}`, secret_sealed: new Uint8Array([1]), events: '["transmission.sent"]', description: null, status, disabled_reason: status === 'disabled' ? 'trop d’échecs' : null, disabled_at: status === 'disabled' ? new Date() : null, failing_since: failingSince })
        .execute();
    await endpoint(MAJASTRES, new Date(Date.now() - 2 * HOUR)); // failing: counted
    await endpoint(BELLEY, null); // fine
    await endpoint(BELLEY, new Date(), 'disabled'); // disabled already: the operator knows
    const onboarding = (habilitationId: number, status: 'pending' | 'failed' | 'done', createdAgoHours: number, siret = BELLEY) =>
      k
        .insertInto('onboardings')
        .values({ habilitation_id: habilitationId, siret, editor: null, status, step: 'hubee_subscription', last_error: status === 'done' ? null : 'HubeeError: 503', payload: null, created_at: new Date(Date.now() - createdAgoHours * HOUR) })
        .execute();
    await onboarding(9001, 'failed', 0); // counted
    await onboarding(9002, 'pending', 3); // retrying for three hours: counted
    await onboarding(9003, 'pending', 0); // just received: not yet
    await onboarding(9004, 'done', 5, MAJASTRES);
    // Two partner failures now, and one three hours ago that the last hour does not count.
    test.service.context.metrics.record({ kind: 'upstream.failed', code: 'hubee' });
    test.service.context.metrics.record({ kind: 'upstream.failed', code: 'api_particulier' });
    const old = new Date(Date.now() - 3 * HOUR);
    old.setUTCMinutes(0, 0, 0);
    await k.insertInto('metric_counts').values({ kind: 'upstream.failed', code: 'hubee', hour: old, count: 5 }).execute();
  });
  after(() => test.stop());

  it('counts failing webhooks, stuck onboardings and the last hour’s partner failures on the first screen, with where to act', async () => {
    const page = await visit('/admin');
    assert.equal(page.status, 200);
    const t = text(page.html);
    assert.ok(t.indexOf('À traiter') < t.indexOf('Période'), 'on top');
    assert.match(page.html, /<a href="\/admin\/webhooks">1 webhook en échec<\/a>/);
    assert.match(page.html, /<a href="\/admin\/raccordements">2 raccordements bloqués/);
    assert.match(t, /2 échecs d’appel aux services partenaires depuis \d{2} h 00/);
    // A wrong period still shows what fails now.
    const invalid = await visit('/admin?du=2026-12-31&au=2026-01-01');
    assert.equal(invalid.status, 400);
    assert.match(invalid.html, /1 webhook en échec/);
  });

  it('marks the failing webhook as such and names its commune', async () => {
    const html = (await visit('/admin/webhooks')).html;
    const rowOf = (url: string) => new RegExp(`<tr>(?:(?!</tr>).)*${url.replaceAll('/', '\\/')}(?:(?!</tr>).)*</tr>`, 's').exec(html)?.[0] ?? '';
    assert.match(rowOf(`https://logiciel.example.fr/${MAJASTRES}`), /fr-badge--error">en échec</);
    assert.match(rowOf(`https://logiciel.example.fr/${MAJASTRES}`), new RegExp(`collectivité Majastres \\(${MAJASTRES}\\)`));
    assert.doesNotMatch(rowOf(`https://logiciel.example.fr/${BELLEY}`), /en échec/);
  });

  it('names the communes beside their SIRETs on the onboardings page', async () => {
    const t = text((await visit('/admin/raccordements')).html);
    assert.match(t, new RegExp(`9001 Belley \\(${BELLEY}\\)`));
    assert.match(t, new RegExp(`9004 Majastres \\(${MAJASTRES}\\)`));
  });
});
