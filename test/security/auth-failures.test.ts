import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AgentOverHttp, BACK_OFFICE } from '../support/agent-over-http.ts';
import { startTestService, type TestService } from '../support/service.ts';

const API_TOKEN = 'local-only-api-token-do-not-use-in-production-0123456789';

describe('failed authentications are limited per address and per account', () => {
  let test: TestService;
  before(async () => {
    test = await startTestService({ AUTH_FAILURES_PER_ADDRESS: '5', AUTH_FAILURES_PER_ACCOUNT: '8', AUTH_FAILURE_WINDOW_SECONDS: '600', RATE_LIMIT_PER_MINUTE: '10000', PROCONNECT_SIGN_IN_PER_MINUTE: '1000' });
  });
  after(() => test.stop());

  it('answers 429 with Retry-After to the back office’s sign-in after 5 failed ones, even to a genuine operator, and logs no e-mail', async () => {
    // A ProConnect user off the allowlist counts, and so does each forged callback.
    const stranger = new AgentOverHttp(test.appUrl);
    assert.equal((await stranger.signIn('secretariat@majastres.fr', BACK_OFFICE)).status, 403);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const response = await stranger.request(`/admin/connexion/retour?code=vole-${i}&state=invente-${i}`);
      statuses.push(response.status);
      if (response.status === 429) {
        assert.ok(Number(response.headers.get('retry-after')) > 500);
        assert.match(response.html, /<title>Erreur - /);
      }
    }
    assert.deepEqual(statuses, [400, 400, 400, 400, 429, 429]);
    const operator = new AgentOverHttp(test.appUrl);
    const start = await operator.submit(BACK_OFFICE.page, BACK_OFFICE.action);
    assert.equal(start.status, 429, 'refused before ProConnect is even asked');
    const logs = test.logs.join('');
    assert.match(logs, /"event":"auth.failed","scope":"admin","address":"127.0.0.1"/);
    assert.match(logs, /"event":"auth.throttled","scope":"admin"/);
    assert.ok(!logs.includes('secretariat@majastres.fr'), 'no e-mail in the logs');
    // The probes stay open.
    assert.equal((await fetch(`${test.appUrl}/health`)).status, 200);
  });

  it('answers 429 in JSON with Retry-After to wrong API tokens, even with the right token next', async () => {
    const api = (token: string) => fetch(`${test.appUrl}/api/webhooks`, { headers: { authorization: `Bearer ${token}` } });
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 6; i++) {
      last = await api(`faux-jeton-${i}`);
      statuses.push(last.status);
      if (last.status !== 429) await last.text();
    }
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429]);
    assert.ok(Number(last!.headers.get('retry-after')) > 500);
    const body = (await last!.json()) as { error: { status: number; code: string } };
    assert.deepEqual([body.error.status, body.error.code], [429, 'TOO_MANY_FAILED_AUTHENTICATIONS']);
    assert.equal((await api(API_TOKEN)).status, 429, 'the right token waits too');
    assert.ok(!test.logs.join('').includes('faux-jeton'));
  });
});
