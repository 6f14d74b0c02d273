import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { testConfig } from '../../../test/support/config.ts';
import { freePort } from '../../../test/support/ports.ts';
import type { Config } from '../../config/config.ts';
import { createHubeeClient, HubeeError } from '../../integrations/hubee/client.ts';
import { sampleFolder } from '../../integrations/hubee/testing.ts';
import { buildSandbox } from '../server.ts';
import { createSandboxControls } from './controls.ts';
import { registerFaultControl } from './control-endpoint.ts';
import { faultControlClient, type FaultControlClient } from './client.ts';
import { parseFaultPlan } from './plan.ts';
import { createFaultPlan, type FaultTarget } from './registry.ts';

const createFolder: FaultTarget = { system: 'hubee', step: 'createFolder', completes: false };
const completion: FaultTarget = { system: 'hubee', step: 'patchFolder', completes: true };
const otherPatch: FaultTarget = { system: 'hubee', step: 'patchFolder', completes: false };
const qf: FaultTarget = { system: 'api-particulier' };

describe('a fault plan decides which requests fail', () => {
  it('fails a matching request once by default, then lets the next ones through', () => {
    const plan = createFaultPlan({ rules: [{ system: 'hubee', step: 'createFolder', kind: 'error500' }] });
    assert.deepEqual(plan.draw(createFolder), { system: 'hubee', kind: 'error500', delayMs: null });
    assert.equal(plan.draw(createFolder), null);
    assert.deepEqual(plan.state().map((r) => [r.fired, r.remaining]), [[1, 0]]);
  });

  it('fails n times, or always', () => {
    const twice = createFaultPlan({ rules: [{ system: 'hubee', step: 'token', kind: 'reset', times: 2 }] });
    const token: FaultTarget = { system: 'hubee', step: 'token', completes: false };
    assert.deepEqual([twice.draw(token), twice.draw(token), twice.draw(token)].map((f) => f?.kind ?? null), ['reset', 'reset', null]);
    const always = createFaultPlan({ rules: [{ system: 'api-particulier', kind: 'error502', times: 'always' }] });
    for (let i = 0; i < 50; i++) assert.equal(always.draw(qf)?.kind, 'error502');
  });

  it('matches on the step: completeFolder is only the PATCH to HUBEE_COMPLETED; no step means every step', () => {
    const plan = createFaultPlan({ rules: [{ system: 'hubee', step: 'completeFolder', kind: 'timeout', times: 'always' }] });
    assert.equal(plan.draw(otherPatch), null);
    assert.equal(plan.draw(createFolder), null);
    assert.equal(plan.draw(completion)?.kind, 'timeout');
    const down = createFaultPlan({ rules: [{ system: 'hubee', kind: 'error500', times: 'always' }] });
    assert.equal(down.draw(createFolder)?.kind, 'error500');
    assert.equal(down.draw(completion)?.kind, 'error500');
    assert.equal(down.draw(qf), null, 'a HubEE rule never touches API Particulier');
  });

  it('tries the rules in order and uses the first one that fires', () => {
    const plan = createFaultPlan({
      rules: [
        { system: 'hubee', step: 'createFolder', kind: 'succeed_late', delayMs: 50 },
        { system: 'hubee', kind: 'error500' },
      ],
    });
    assert.deepEqual(plan.draw(createFolder), { system: 'hubee', kind: 'succeed_late', delayMs: 50 });
    assert.equal(plan.draw(createFolder)?.kind, 'error500');
    assert.equal(plan.draw(createFolder), null);
  });

  it('draws probabilities from its seed: the same plan fails the same requests, about as often as asked', () => {
    const rules = [{ system: 'hubee' as const, step: 'createFolder' as const, kind: 'error500' as const, times: 'always' as const, probability: 0.3 }];
    const run = (seed: number) => {
      const plan = createFaultPlan({ rules, seed });
      return Array.from({ length: 1000 }, () => plan.draw(createFolder) !== null);
    };
    assert.deepEqual(run(42), run(42));
    assert.notDeepEqual(run(42), run(43));
    const failures = run(42).filter(Boolean).length;
    assert.ok(failures > 250 && failures < 350, `${failures} failures out of 1000 at p = 0.3`);
    const never = createFaultPlan({ rules: [{ ...rules[0]!, probability: 0 }] });
    assert.equal(never.draw(createFolder), null);
  });

  it('set replaces the plan and clear empties it', () => {
    const plan = createFaultPlan({ rules: [{ system: 'hubee', kind: 'error500', times: 'always' }] });
    plan.set({ rules: [{ system: 'api-particulier', kind: 'timeout' }] });
    assert.equal(plan.draw(createFolder), null);
    assert.equal(plan.draw(qf)?.kind, 'timeout');
    plan.clear();
    assert.deepEqual(plan.state(), []);
  });

  it('accepts only well-formed plans from the outside', () => {
    assert.equal(parseFaultPlan({ rules: [{ system: 'hubee', step: 'completeFolder', kind: 'succeed_late', times: 3, probability: 0.5, delayMs: 100 }], seed: 7 }).ok, true);
    for (const bad of [
      null,
      { rules: [{ system: 'hubee', step: 'createFolder', kind: 'error502' }] },
      { rules: [{ system: 'api-particulier', kind: 'succeed_late' }] },
      { rules: [{ system: 'hubee', step: 'nope', kind: 'error500' }] },
      { rules: [{ system: 'hubee', kind: 'error500', times: 0 }] },
      { rules: [{ system: 'hubee', kind: 'error500', probability: 2 }] },
      { rules: [{ system: 'hubee', kind: 'error500', extra: true }] },
      { rules: [{ system: 'insee', kind: 'error500' }] },
    ]) {
      assert.equal(parseFaultPlan(bad).ok, false, JSON.stringify(bad));
    }
  });
});

describe('the stand-ins play the plan over HTTP, and the control endpoint steers it', () => {
  let app: FastifyInstance;
  let config: Config;
  let control: FaultControlClient;
  before(async () => {
    const port = await freePort();
    config = testConfig(port, { HUBEE_TIMEOUT_MS: '300' });
    app = await buildSandbox({ config, only: ['franceconnect', 'api-particulier', 'hubee'] });
    await app.listen({ host: '127.0.0.1', port });
    control = faultControlClient(config.sandbox.publicUrl);
  });
  after(async () => app?.close());

  /** Our OSL client, waiting as long as the app's (HUBEE_TIMEOUT_MS): the delay the faults outlast. */
  const osl = () =>
    createHubeeClient({
      apiUrl: config.hubee.apiUrl,
      tokenUrl: config.hubee.tokenUrl,
      clientId: config.hubee.osl.clientId,
      clientSecret: config.hubee.osl.clientSecret,
      scope: 'OSL',
      timeoutMs: config.hubee.timeoutMs,
      createFolderTimeoutMs: config.hubee.timeoutMs,
    });
  const hubeeFailure = async (run: () => Promise<unknown>): Promise<HubeeError> => {
    try {
      await run();
    } catch (error) {
      assert.ok(error instanceof HubeeError, String(error));
      return error;
    }
    assert.fail('the call succeeded');
  };

  it('error500: HubEE’s own error body, and nothing done', async () => {
    await control.set({ rules: [{ system: 'hubee', step: 'createFolder', kind: 'error500' }] });
    const sample = sampleFolder();
    const response = await fetch(`${config.hubee.apiUrl}/teledossiers/v1/folders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(sample.input),
    });
    assert.equal(response.status, 500);
    assert.deepEqual(await response.json(), { errors: [{ code: 500, message: 'Internal Server Error' }] });
    assert.equal((await control.hubeeCensus()).byExternalId[sample.input.externalId], undefined);
    assert.deepEqual((await control.state()).map((r) => r.fired), [1]);
  });

  it('reset: the connection is cut and nothing is done', async () => {
    await control.set({ rules: [{ system: 'hubee', step: 'createFolder', kind: 'reset' }] });
    const sample = sampleFolder();
    const error = await hubeeFailure(() => osl().createFolder(sample.input));
    assert.equal(error.kind, 'unreachable');
    assert.equal((await control.hubeeCensus()).byExternalId[sample.input.externalId], undefined);
  });

  it('timeout: the client gives up and nothing is done', async () => {
    await control.set({ rules: [{ system: 'hubee', step: 'createFolder', kind: 'timeout' }] });
    const sample = sampleFolder();
    const client = osl();
    await client.getFolder('00000000-0000-4000-8000-000000000000').catch(() => {}); // a token first: only createFolder hangs
    const started = Date.now();
    const error = await hubeeFailure(() => client.createFolder(sample.input));
    assert.equal(error.kind, 'timeout');
    assert.ok(Date.now() - started < 2000, 'the held request does not outlive the client');
    assert.equal((await control.hubeeCensus()).byExternalId[sample.input.externalId], undefined);
  });

  it('succeed_late: the client gives up, yet HubEE did create the folder', async () => {
    await control.set({ rules: [{ system: 'hubee', step: 'createFolder', kind: 'succeed_late' }] });
    const sample = sampleFolder();
    const error = await hubeeFailure(() => osl().createFolder(sample.input));
    assert.equal(error.kind, 'timeout');
    assert.deepEqual((await control.hubeeCensus()).byExternalId[sample.input.externalId], { complete: 0, incomplete: 1, deleted: 0 });
  });

  it('the census counts complete, incomplete and deleted folders per externalId', async () => {
    await control.clear();
    const client = osl();
    const sample = sampleFolder();
    const first = await client.createFolder(sample.input);
    await client.deleteFolder(first.id);
    const second = await client.createFolder(sample.input);
    for (const attachment of second.attachments) await client.uploadAttachment(second.id, attachment.id, sample.files.get(attachment.fileName)!);
    await client.markFolderCompleted(second.id);
    await client.createFolder(sample.input);
    const census = await control.hubeeCensus();
    assert.deepEqual(census.byExternalId[sample.input.externalId], { complete: 1, incomplete: 1, deleted: 1 });
    assert.ok(census.orphans >= 1);
    assert.deepEqual(census.duplicated, []);
  });

  it('API Particulier answers 502, 503 and 504 with its own bodies, and can stay silent', async () => {
    await control.set({
      rules: [
        { system: 'api-particulier', kind: 'error502' },
        { system: 'api-particulier', kind: 'error503' },
        { system: 'api-particulier', kind: 'error504' },
        { system: 'api-particulier', kind: 'timeout', delayMs: 5000 },
      ],
    });
    const url = `${config.apiParticulier.baseUrl}/v3/dss/quotient_familial/france_connect?recipient=21040107100019`;
    const answers: [number, string | undefined][] = [];
    for (let i = 0; i < 3; i++) {
      const response = await fetch(url, { headers: { authorization: 'Bearer whatever' } });
      const body = (await response.json()) as { errors: { code: string }[] };
      assert.ok(response.headers.get('x-request-id'));
      answers.push([response.status, body.errors[0]?.code]);
    }
    assert.deepEqual(answers, [[502, '37999'], [503, '37001'], [504, '37002']]);
    await assert.rejects(fetch(url, { signal: AbortSignal.timeout(200) }), { name: 'TimeoutError' });
  });

  it('refuses a malformed plan with a 400 and keeps the current one', async () => {
    await control.set({ rules: [{ system: 'hubee', step: 'getFolder', kind: 'error500', times: 'always' }] });
    const response = await fetch(`${config.sandbox.publicUrl}/__faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rules: [{ system: 'hubee', kind: 'explode' }] }),
    });
    assert.equal(response.status, 400);
    assert.match(((await response.json()) as { error: string }).error, /kind/);
    assert.equal((await control.state()).length, 1);
    await control.clear();
    assert.deepEqual(await control.state(), []);
  });

  it('rotates the FranceConnect stand-in’s signing keys on demand', async () => {
    const jwks = async () => ((await (await fetch(`${config.franceConnect.issuer}/jwks`)).json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
    const before = await jwks();
    await control.rotateFranceConnectKeys();
    const afterRotation = await jwks();
    assert.notDeepEqual(afterRotation, before);
    assert.ok(before.every((kid) => afterRotation.includes(kid)), 'the previous keys stay published');
  });

  it('is never registered in production', () => {
    const production = { ...config, env: 'production' as const };
    assert.throws(() => registerFaultControl(app, createSandboxControls(), production), /never run in production/);
  });
});
