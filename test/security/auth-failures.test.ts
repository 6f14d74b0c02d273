import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestService, type TestService } from '../support/service.ts';

const basic = (name: string, password: string) => `Basic ${Buffer.from(`${name}:${password}`).toString('base64')}`;
const GOOD = basic('operateur', 'local-only-admin-password');
const API_TOKEN = 'local-only-api-token-do-not-use-in-production-0123456789';

describe('failed authentications are limited per address and per account', () => {
  let test: TestService;
  before(async () => {
    test = await startTestService({ AUTH_FAILURES_PER_ADDRESS: '5', AUTH_FAILURES_PER_ACCOUNT: '8', AUTH_FAILURE_WINDOW_SECONDS: '600', RATE_LIMIT_PER_MINUTE: '10000' });
  });
  after(() => test.stop());

  it('answers 429 with Retry-After on /admin after 5 wrong passwords, even with the right one, and logs no password', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const response = await fetch(`${test.appUrl}/admin`, { headers: { authorization: basic('operateur', `mauvais-secret-${i}`) } });
      statuses.push(response.status);
      if (response.status === 429) {
        assert.ok(Number(response.headers.get('retry-after')) > 500);
        assert.match(await response.text(), /<title>Erreur - /);
      } else await response.text();
    }
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429]);
    assert.equal((await fetch(`${test.appUrl}/admin`, { headers: { authorization: GOOD } })).status, 429, 'refused before the password is examined');
    assert.equal((await fetch(`${test.appUrl}/metrics`, { headers: { authorization: GOOD } })).status, 429);
    const logs = test.logs.join('');
    assert.match(logs, /"event":"auth.failed","scope":"admin","address":"127.0.0.1","account":"operateur"/);
    assert.match(logs, /"event":"auth.throttled","scope":"admin"/);
    assert.ok(!logs.includes('mauvais-secret'), 'no password in the logs');
    // A first request without credentials (the browser's) is a challenge, not a failure; the probes stay open.
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
