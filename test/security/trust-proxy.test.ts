import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestService, type TestService } from '../support/service.ts';

/** Requests until the first 429, each with a made-up X-Forwarded-For prefix before the proxy's own entry. */
async function statusesWithSpoofedPrefix(appUrl: string, count: number, proxyAppended: string | null): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) {
    const forwarded = [`203.0.113.${i}`, ...(proxyAppended ? [proxyAppended] : [])].join(', ');
    const response = await fetch(`${appUrl}/collectivites?q=maj`, { headers: { 'x-forwarded-for': forwarded } });
    await response.text();
    statuses.push(response.status);
  }
  return statuses;
}

describe('the client address honours TRUST_PROXY only', () => {
  let direct: TestService;
  let behindOne: TestService;
  before(async () => {
    direct = await startTestService({ RATE_LIMIT_PER_MINUTE: '3' });
    behindOne = await startTestService({ RATE_LIMIT_PER_MINUTE: '3', TRUST_PROXY: '1' });
  });
  after(async () => {
    await direct.stop();
    await behindOne.stop();
  });

  it('ignores X-Forwarded-For by default: a random header does not escape the rate limit', async () => {
    assert.deepEqual(await statusesWithSpoofedPrefix(direct.appUrl, 5, null), [200, 200, 200, 429, 429]);
  });

  it('behind one proxy, takes the address the proxy appended, not what the client wrote before it', async () => {
    assert.deepEqual(await statusesWithSpoofedPrefix(behindOne.appUrl, 5, '198.51.100.7'), [200, 200, 200, 429, 429]);
    // Another client behind the same proxy has its own budget.
    const other = await fetch(`${behindOne.appUrl}/collectivites?q=maj`, { headers: { 'x-forwarded-for': '198.51.100.8' } });
    assert.equal(other.status, 200);
  });
});
