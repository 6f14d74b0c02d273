import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { testConfig } from '../../../test/support/config.ts';
import { freePort } from '../../../test/support/ports.ts';
import type { Config } from '../../config/config.ts';
import { buildSandbox } from '../server.ts';
import { faultControlClient, type FaultControlClient } from './client.ts';

/** How long one request takes, in milliseconds. */
async function timed(url: string, init: RequestInit = {}): Promise<{ ms: number; status: number }> {
  const started = performance.now();
  const response = await fetch(url, init);
  await response.arrayBuffer();
  return { ms: performance.now() - started, status: response.status };
}

describe('the sandbox adds a settable latency to every stand-in request, as the network would', () => {
  let config: Config;
  let sandbox: FastifyInstance;
  let control: FaultControlClient;
  let base: string;

  before(async () => {
    const port = await freePort();
    config = testConfig(port);
    sandbox = await buildSandbox({ config, only: ['hubee', 'insee'], latencyMs: 150 });
    await sandbox.listen({ host: '127.0.0.1', port });
    base = config.sandbox.publicUrl;
    control = faultControlClient(base);
  });
  after(async () => {
    await sandbox?.close();
  });

  const inseeLookup = () => timed(`${base}/insee/api-sirene/3.11/siret/21040107100019`, { headers: { 'x-insee-api-key-integration': config.insee.apiKey } });

  it('starts with the latency it was built with, on the stand-ins only', async () => {
    const lookup = await inseeLookup();
    assert.equal(lookup.status, 200);
    assert.ok(lookup.ms >= 145, `INSEE answered in ${lookup.ms} ms`);
    const token = await timed(config.hubee.tokenUrl, { method: 'POST' });
    assert.ok(token.ms >= 145, `HubEE answered in ${token.ms} ms`);
    const home = await timed(`${base}/`);
    assert.ok(home.ms < 145, `the sandbox's own page took ${home.ms} ms`);
  });

  it('changes while the sandbox runs, and can be removed', async () => {
    await control.setLatency(300);
    assert.deepEqual(await (await fetch(`${base}/__faults/latency`)).json(), { ms: 300 });
    assert.ok((await inseeLookup()).ms >= 295);
    await control.setLatency(0);
    assert.ok((await inseeLookup()).ms < 145);
  });

  it('refuses a latency that is not a whole number of milliseconds up to a minute, and keeps the current one', async () => {
    for (const body of [{}, { ms: -1 }, { ms: 1.5 }, { ms: '50' }, { ms: 60_001 }]) {
      const response = await fetch(`${base}/__faults/latency`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.match(((await response.json()) as { error: string }).error, /^ms: /);
    }
    assert.deepEqual(await (await fetch(`${base}/__faults/latency`)).json(), { ms: 0 });
  });
});
