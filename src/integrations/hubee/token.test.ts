import assert from 'node:assert/strict';
import diagnosticsChannel from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startHubeeStandIn, clientAs, tokenFor, transmit, type HubeeSandbox } from './testing.ts';

/** Records what went over the wire (path and status, from node:http's client channel), to tell a proactive renewal from a 401 retry. */
function recordExchanges(): { exchanges: { url: string; status: number }[]; restore(): void } {
  const exchanges: { url: string; status: number }[] = [];
  const listener = (message: unknown) => {
    const { request, response } = message as { request: ClientRequest; response: IncomingMessage };
    exchanges.push({ url: request.path, status: response.statusCode ?? 0 });
  };
  diagnosticsChannel.subscribe('http.client.response.finish', listener);
  return { exchanges, restore: () => void diagnosticsChannel.unsubscribe('http.client.response.finish', listener) };
}

/**
 * Token lifetime and renewal, with the stand-in's clock under the test's control: the client believes its token
 * is good for an hour, HubEE (the stand-in) decides it expired.
 */
describe('HubEE tokens', () => {
  let sandbox: HubeeSandbox;
  let serverNow = Date.now();
  before(async () => {
    sandbox = await startHubeeStandIn({ standIn: { now: () => serverNow } });
  });
  after(() => sandbox.close());

  it('answers an expired token with WSO2 fault 900901, a missing one with 900902', async () => {
    const token = await tokenFor(sandbox, 'OSL');
    const url = `${sandbox.config.hubee.apiUrl}/teledossiers/v1/notifications`;
    const ok = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(ok.status, 200);

    serverNow += 3601_000;
    const expired = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(expired.status, 401);
    const body = (await expired.json()) as { fault: { code: number; message: string } };
    assert.equal(body.fault.code, 900901);
    assert.equal(body.fault.message, 'Invalid Credentials');

    const missing = await fetch(url);
    assert.equal(missing.status, 401);
    assert.equal(((await missing.json()) as { fault: { code: number } }).fault.code, 900902);
  });

  it('retries once with a new token when HubEE says the cached one expired', async () => {
    const osl = clientAs(sandbox, 'OSL');
    await osl.listNotifications();
    // HubEE's clock jumps past the lifetime; the client's does not, so it sends its cached token and gets 401.
    serverNow += 3601_000;
    const wire = recordExchanges();
    try {
      const { folder } = await transmit(osl);
      assert.equal((await osl.getFolder(folder.id)).globalStatus, 'HUBEE_NOTIFIED');
    } finally {
      wire.restore();
    }
    assert.deepEqual(
      wire.exchanges.slice(0, 3).map((e) => [e.url.endsWith('/oauth2/token') ? 'token' : 'api', e.status]),
      [['api', 401], ['token', 200], ['api', 201]],
    );
    assert.equal(wire.exchanges.filter((e) => e.status === 401).length, 1);
  });

  it('renews the token before it expires, on its own clock', async () => {
    let clientNow = Date.now();
    const osl = clientAs(sandbox, 'OSL', { now: () => clientNow });
    await osl.listNotifications();
    // 59 min 30 s later both clocks agree the token is nearly spent: the client renews without a 401.
    clientNow += 3570_000;
    serverNow += 3570_000;
    const wire = recordExchanges();
    try {
      await osl.listNotifications();
      serverNow += 60_000;
      await osl.listNotifications();
    } finally {
      wire.restore();
    }
    assert.deepEqual(
      wire.exchanges.map((e) => [e.url.endsWith('/oauth2/token') ? 'token' : 'api', e.status]),
      [['token', 200], ['api', 200], ['api', 200]],
    );
  });
});

describe('HubEE tokens with a short lifetime', () => {
  let sandbox: HubeeSandbox;
  before(async () => {
    sandbox = await startHubeeStandIn({ standIn: { tokenLifetimeSeconds: 1 } });
  });
  after(() => sandbox.close());

  it('keeps working across expiries', async () => {
    const response = await fetch(sandbox.config.hubee.tokenUrl, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${sandbox.config.hubee.osl.clientId}:${sandbox.config.hubee.osl.clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials&scope=OSL',
    });
    assert.deepEqual(((await response.json()) as { expires_in: number }).expires_in, 1);

    const osl = clientAs(sandbox, 'OSL');
    await osl.listNotifications();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await osl.listNotifications();
  });
});
