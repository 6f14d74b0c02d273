import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestService, type TestService } from '../support/service.ts';

describe('the public endpoints are rate-limited per client address', () => {
  let test: TestService;
  before(async () => {
    test = await startTestService({ RATE_LIMIT_PER_MINUTE: '5' });
  });
  after(() => test.stop());

  it('answers 429 with a French page once a visitor exceeds the limit, with Retry-After', async () => {
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 7; i++) {
      last = await fetch(`${test.appUrl}/collectivites?q=maj`);
      statuses.push(last.status);
      if (last.status === 429) break;
    }
    assert.deepEqual(statuses.slice(0, 5), [200, 200, 200, 200, 200]);
    assert.equal(last?.status, 429);
    assert.ok(Number(last?.headers.get('retry-after')) > 0);
    assert.match(await last!.text(), /<title>Erreur - /);
  });

  it('answers 429 in JSON on the API, past its own limit of 120 a minute', async () => {
    let last: Response | undefined;
    for (let i = 0; i < 130; i++) {
      last = await fetch(`${test.appUrl}/api/collectivites`);
      if (last.status === 429) break;
    }
    assert.equal(last?.status, 429);
    const body = (await last!.json()) as { error?: { status?: number } };
    assert.equal(body.error?.status, 429);
  });

  it('never limits the health and readiness probes', async () => {
    for (let i = 0; i < 10; i++) assert.equal((await fetch(`${test.appUrl}/health`)).status, 200);
  });
});
