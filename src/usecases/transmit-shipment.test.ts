import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { createTestDatabase } from '../../test/support/database.ts';
import { testConfig } from '../../test/support/config.ts';
import { freePort } from '../../test/support/ports.ts';
import type { Config } from '../config/config.ts';
import type { Db } from '../db/database.ts';
import { createCollectivityRepository } from '../db/repositories/collectivities.ts';
import { seedCollectivities } from '../db/repositories/collectivity-seed.ts';
import { createShipmentRepository, type ShipmentRepository } from '../db/repositories/shipments.ts';
import { normalizeSearchText } from '../domain/collectivity.ts';
import type { HubeeEnvironment } from '../domain/hubee-environment.ts';
import { inputFor } from '../domain/formulaire-qf/test-fixtures.ts';
import { buildTeledossier } from '../domain/formulaire-qf/teledossier.ts';
import { generateShipmentReference, hubeeFolderExternalId, type ShipmentReference } from '../domain/shipment-reference.ts';
import { createHubeeClient } from '../integrations/hubee/client.ts';
import { createHubeeFolderPort } from '../integrations/hubee/formulaire-qf-folder.ts';
import type { FolderCount } from '../sandbox/hubee/census.ts';
import { faultControlClient, type FaultControlClient } from '../sandbox/faults/client.ts';
import type { FaultRule, HubeeFaultKind, HubeeFaultRule } from '../sandbox/faults/plan.ts';
import { createFaultPlan, type FaultPlan } from '../sandbox/faults/registry.ts';
import { seedCollectivities as seedData } from '../sandbox/fixtures.ts';
import { buildSandbox } from '../sandbox/server.ts';
import { createPersonalDataCipher, type PersonalDataCipher } from '../security/personal-data-cipher.ts';
import { shipmentPayloadContext, transmitShipment, type ShipmentPayload, type TransmitDeps, type TransmitOutcome } from './transmit-shipment.ts';

/** How long our HubEE client waits in these tests: every fault that outlasts it costs this much. */
const CLIENT_TIMEOUT_MS = 400;
const MAJASTRES = '21040107100019';

describe('transmitShipment delivers each shipment to HubEE exactly once, whatever HubEE does', () => {
  let config: Config;
  let sandbox: FastifyInstance;
  let faults: FaultPlan;
  let control: FaultControlClient;
  let db: Db;
  let shipments: ShipmentRepository;
  let cipher: PersonalDataCipher;

  before(async () => {
    const port = await freePort();
    config = testConfig(port, { HUBEE_TIMEOUT_MS: String(CLIENT_TIMEOUT_MS) });
    faults = createFaultPlan();
    sandbox = await buildSandbox({ config, only: ['hubee'], faults });
    await sandbox.listen({ host: '127.0.0.1', port });
    control = faultControlClient(config.sandbox.publicUrl);
    db = await createTestDatabase();
    await seedCollectivities(createCollectivityRepository(db), seedData, normalizeSearchText, { demoPortalPrefix: `${config.sandbox.publicUrl}/portail-commune` });
    shipments = createShipmentRepository(db);
    cipher = createPersonalDataCipher(config.secrets.personalDataKey);
  });
  after(async () => {
    await db?.close();
    await sandbox?.close();
  });

  /**
   * One sender as src/context.ts builds it: our OSL client (a fresh one, so that it asks for a token) behind the
   * FormulaireQF port, the real repository and cipher. Every HubEE call waits CLIENT_TIMEOUT_MS unless told.
   */
  function sender(options: { timeoutMs?: number; createFolderTimeoutMs?: number; leaseSeconds?: number; now?: () => Date } = {}): TransmitDeps {
    const { timeoutMs = CLIENT_TIMEOUT_MS, createFolderTimeoutMs = timeoutMs, ...rest } = options;
    const client = createHubeeClient({
      apiUrl: config.hubee.apiUrl,
      tokenUrl: config.hubee.tokenUrl,
      clientId: config.hubee.osl.clientId,
      clientSecret: config.hubee.osl.clientSecret,
      scope: 'OSL',
      timeoutMs,
      uploadTimeoutMs: timeoutMs,
      createFolderTimeoutMs,
      partnerInfo: { editorName: 'DINUM', applicationName: 'Formulaire QF' },
    });
    // Built apart from the object literal so that it fits TransmitDeps with or without the metrics recorder.
    const deps = {
      shipments,
      hubee: createHubeeFolderPort(client),
      cipher,
      buildTeledossier,
      logger: pino({ level: 'silent' }),
      metrics: { record: () => {} },
      retryBaseSeconds: 1,
      ...rest,
    };
    return deps;
  }

  /** What "Transmettre" writes: a pending shipment with its encrypted télédossier data. */
  async function recordShipment(giveUpAt = new Date(Date.now() + 24 * 3600 * 1000), target: { hubeeEnvironment: HubeeEnvironment; isTest: boolean } = { hubeeEnvironment: 'production', isTest: false }): Promise<ShipmentReference> {
    const reference = generateShipmentReference();
    const { transmittedAt, previousTransmissionAt, ...input } = inputFor('angela', { reference });
    const payload: ShipmentPayload = { ...input, transmittedAt: transmittedAt.toISOString(), previousTransmissionAt: previousTransmissionAt?.toISOString() ?? null };
    await shipments.create({
      reference,
      collectivitySiret: MAJASTRES,
      externalId: null,
      payload: cipher.encrypt(payload, shipmentPayloadContext(reference)),
      giveUpAt,
      ...target,
    });
    return reference;
  }

  /** Attempts as the queue would make them (without waiting for the backoff), until sent or failed. */
  async function transmitUntilDone(deps: TransmitDeps, reference: string, maxAttempts = 8): Promise<TransmitOutcome[]> {
    const outcomes: TransmitOutcome[] = [];
    while (outcomes.length < maxAttempts) {
      const outcome = await transmitShipment(deps, reference);
      outcomes.push(outcome);
      if (outcome.kind === 'sent' || outcome.kind === 'failed') return outcomes;
    }
    assert.fail(`still not sent after ${maxAttempts} attempts: ${outcomes.map((o) => o.kind).join(', ')}`);
  }

  async function foldersOf(reference: ShipmentReference): Promise<FolderCount> {
    const census = await control.hubeeCensus();
    return census.byExternalId[hubeeFolderExternalId(reference)] ?? { complete: 0, incomplete: 0, deleted: 0 };
  }

  async function storedPayload(reference: string): Promise<Uint8Array | null> {
    const row = await db.kysely.selectFrom('shipments').select('payload').where('reference', '=', reference).executeTakeFirstOrThrow();
    return row.payload;
  }

  /** The promise of the use case: sent, one complete folder, nothing left behind, the personal data gone. */
  async function assertSentOnce(reference: ShipmentReference, options: { incompleteLeft?: number } = {}): Promise<FolderCount> {
    const shipment = await shipments.find(reference);
    assert.equal(shipment?.status, 'SENT');
    assert.equal(await storedPayload(reference), null, 'the personal data is erased once HubEE has the folder');
    const folders = await foldersOf(reference);
    assert.equal(folders.complete, 1, `exactly one complete folder: ${JSON.stringify(folders)}`);
    assert.equal(folders.incomplete, options.incompleteLeft ?? 0, `incomplete folders left: ${JSON.stringify(folders)}`);
    return folders;
  }

  async function withFaults<T>(rules: FaultRule[], run: () => Promise<T>): Promise<T> {
    faults.set({ rules });
    try {
      return await run();
    } finally {
      faults.clear();
    }
  }

  it('sends in one attempt when HubEE answers: one complete folder, the payload erased, pending → SENT', async () => {
    const reference = await recordShipment();
    const outcomes = await transmitUntilDone(sender(), reference);
    assert.deepEqual(outcomes, [{ kind: 'sent', reference }]);
    assert.deepEqual(await assertSentOnce(reference), { complete: 1, incomplete: 0, deleted: 0 });
    assert.deepEqual((await shipments.history(reference)).map((h) => h.status), ['pending', 'SENT']);
  });

  const hubee = (step: HubeeFaultRule['step'], kind: HubeeFaultKind, extra: Partial<HubeeFaultRule> = {}): HubeeFaultRule => ({ system: 'hubee', step, kind, ...extra });
  const KINDS: readonly HubeeFaultKind[] = ['error500', 'timeout', 'reset', 'succeed_late'];

  /** Each step of the transmission failing in each way; `rules` makes the step happen and fail. */
  const STEPS: { step: string; rules: (kind: HubeeFaultKind) => FaultRule[] }[] = [
    { step: 'token', rules: (kind) => [hubee('token', kind)] },
    { step: 'createFolder', rules: (kind) => [hubee('createFolder', kind)] },
    { step: 'one upload', rules: (kind) => [hubee('uploadAttachment', kind)] },
    { step: 'two uploads', rules: (kind) => [hubee('uploadAttachment', kind, { times: 2 })] },
    { step: 'every upload', rules: (kind) => [hubee('uploadAttachment', kind, { times: 3 })] },
    { step: 'completeFolder', rules: (kind) => [hubee('completeFolder', kind)] },
    // The undo after a failed completion.
    { step: 'deleteFolder during the undo', rules: (kind) => [hubee('completeFolder', 'error500'), hubee('deleteFolder', kind)] },
    // The undo fails too, so the next attempt settles the folder it finds: the 2nd getFolder is the settle's.
    {
      step: 'getFolder while settling an earlier folder',
      rules: (kind) => [hubee('completeFolder', 'error500'), hubee('deleteFolder', 'error500'), hubee('getFolder', kind, { times: 2 })],
    },
  ];

  for (const { step, rules } of STEPS) {
    for (const kind of KINDS) {
      // HubEE created the folder, the answer was lost, and HubEE v1 has no way to find it again (no list
      // endpoint, no search by externalId). It stays HUBEE_RECEIVED, never notified: the commune never sees it.
      const orphanExpected = step === 'createFolder' && kind === 'succeed_late';
      it(`${kind} at ${step}: retried until sent, one complete folder${orphanExpected ? ' (and the unreachable orphan, measured)' : ', nothing left behind'}`, async () => {
        const reference = await recordShipment();
        const outcomes = await withFaults(rules(kind), () => transmitUntilDone(sender(), reference));
        assert.equal(outcomes.at(-1)?.kind, 'sent');
        assert.ok(outcomes.slice(0, -1).every((o) => o.kind === 'retry_scheduled'), outcomes.map((o) => o.kind).join(', '));
        await assertSentOnce(reference, { incompleteLeft: orphanExpected ? 1 : 0 });
      });
    }
  }

  it('sends a shipment recorded for the qualification environment through its port only, and never elsewhere once that port is gone', async () => {
    // The stand-in plays the qualification environment here; production's port refuses every call.
    const refused = async (): Promise<never> => {
      throw new Error('the production HubEE was called');
    };
    const production = { createFolder: refused, uploadAttachment: refused, completeFolder: refused, folderStatus: refused, deleteFolder: refused };
    const later = new Date(Date.now() + 24 * 3600 * 1000);
    const reference = await recordShipment(later, { hubeeEnvironment: 'qualification', isTest: true });
    const real = sender();
    const outcome = await transmitShipment({ ...real, hubee: production, qualificationHubee: real.hubee }, reference);
    assert.equal(outcome.kind, 'sent');
    await assertSentOnce(reference);

    // The qualification environment removed from the configuration meanwhile: retried, never sent to production.
    const orphan = await recordShipment(later, { hubeeEnvironment: 'qualification', isTest: true });
    const unlinked = await transmitShipment({ ...real, qualificationHubee: null }, orphan);
    assert.equal(unlinked.kind, 'retry_scheduled');
    assert.match(unlinked.kind === 'retry_scheduled' ? unlinked.reason : '', /qualification environment is no longer configured/);
    assert.deepEqual(await foldersOf(orphan), { complete: 0, incomplete: 0, deleted: 0 });
    assert.equal((await shipments.find(orphan))?.status, 'pending');
  });

  it('refuses a family’s shipment recorded for another environment than production (the database’s check)', async () => {
    await assert.rejects(recordShipment(undefined, { hubeeEnvironment: 'qualification', isTest: false }), /shipments_qualification_is_test/);
  });

  it('a completion whose answer is lost is recognised at once: sent in the same attempt, nothing undone', async () => {
    const reference = await recordShipment();
    const outcomes = await withFaults([hubee('completeFolder', 'succeed_late')], () => transmitUntilDone(sender(), reference));
    assert.deepEqual(outcomes.map((o) => o.kind), ['sent']);
    assert.deepEqual(await assertSentOnce(reference), { complete: 1, incomplete: 0, deleted: 0 });
  });

  it('waits long enough for createFolder (30 s by default) that a slow HubEE leaves no orphan', async () => {
    const reference = await recordShipment();
    // HubEE takes 1.5 s to answer the creation: more than the other calls wait, less than createFolder does.
    const deps = sender({ createFolderTimeoutMs: 30_000 });
    const outcomes = await withFaults([hubee('createFolder', 'succeed_late', { delayMs: 1500 })], () => transmitUntilDone(deps, reference));
    assert.deepEqual(outcomes.map((o) => o.kind), ['sent']);
    assert.deepEqual(await assertSentOnce(reference), { complete: 1, incomplete: 0, deleted: 0 });
  });

  it('HubEE down past the retry window: failed, the payload erased, no folder anywhere', async () => {
    const reference = await recordShipment(new Date(Date.now() - 1000));
    const outcomes = await withFaults([{ system: 'hubee', kind: 'error500', times: 'always' }], () => transmitUntilDone(sender(), reference));
    assert.deepEqual(outcomes.map((o) => o.kind), ['failed']);
    const shipment = await shipments.find(reference);
    assert.equal(shipment?.status, 'failed');
    assert.match(shipment?.lastError ?? '', /HubEE|500/);
    assert.equal(await storedPayload(reference), null);
    assert.deepEqual(await foldersOf(reference), { complete: 0, incomplete: 0, deleted: 0 });
  });

  it('the retry window elapsing while failures repeat: retried, then failed, and the folder it left is deleted', async () => {
    let clock = Date.now();
    const reference = await recordShipment(new Date(clock + 60_000));
    const deps = sender({ now: () => new Date(clock) });
    // Completion fails and so does every undo: a folder stays recorded from one attempt to the next.
    const outcomes = await withFaults(
      [hubee('completeFolder', 'error500', { times: 'always' }), hubee('deleteFolder', 'error500', { times: 2 })],
      async () => {
        const first = await transmitShipment(deps, reference);
        clock += 120_000; // the window is over before the second attempt
        return [first, await transmitShipment(deps, reference)];
      },
    );
    assert.deepEqual(outcomes.map((o) => o.kind), ['retry_scheduled', 'failed']);
    assert.equal((await shipments.find(reference))?.status, 'failed');
    assert.equal(await storedPayload(reference), null);
    const folders = await foldersOf(reference);
    assert.equal(folders.complete, 0);
    assert.equal(folders.incomplete, 0, 'no incomplete folder is abandoned in HubEE with the applicant’s name');
  });

  it('a folder HubEE completed is never reported failed, even when the window closes on a lost answer', async () => {
    let clock = Date.now();
    const reference = await recordShipment(new Date(clock + 60_000));
    const deps = sender({ now: () => new Date(clock) });
    const outcomes = await withFaults(
      // The completion goes through but its answer is lost, and HubEE cannot be asked about it right away.
      [hubee('completeFolder', 'succeed_late'), hubee('getFolder', 'error500')],
      async () => {
        clock += 120_000;
        return [await transmitShipment(deps, reference)];
      },
    );
    assert.deepEqual(outcomes.map((o) => o.kind), ['sent']);
    await assertSentOnce(reference);
  });

  it('two senders at once (the inline attempt and the queue): one sends, the other stands back, one folder', async () => {
    const reference = await recordShipment();
    const outcomes = await Promise.all([transmitShipment(sender(), reference), transmitShipment(sender(), reference)]);
    assert.deepEqual(outcomes.map((o) => o.kind).sort(), ['not_claimed', 'sent']);
    assert.deepEqual(await assertSentOnce(reference), { complete: 1, incomplete: 0, deleted: 0 });
  });

  it('a sender whose lease ran out while HubEE was slow stands back instead of sending a second folder', async () => {
    const reference = await recordShipment();
    // The first sender's creation takes 2.5 s, longer than its 2 s lease: the second claims the shipment meanwhile.
    const slow = sender({ leaseSeconds: 2, createFolderTimeoutMs: 10_000 });
    const outcomes = await withFaults([hubee('createFolder', 'succeed_late', { delayMs: 2500 })], async () => {
      const first = transmitShipment(slow, reference);
      await new Promise((resolve) => setTimeout(resolve, 2200));
      const second = await transmitUntilDone(sender(), reference);
      return [await first, ...second];
    });
    assert.ok(outcomes.some((o) => o.kind === 'sent'), outcomes.map((o) => o.kind).join(', '));
    const folders = await assertSentOnce(reference);
    assert.equal(folders.deleted, 1, 'the late sender deletes the folder it created too late');
  });

  it('many shipments, two senders each, HubEE failing at random: exactly one complete folder per shipment', async () => {
    const kinds: HubeeFaultKind[] = ['error500', 'timeout', 'reset'];
    const steps = ['token', 'createFolder', 'uploadAttachment', 'completeFolder', 'deleteFolder', 'getFolder'] as const;
    const rules: FaultRule[] = steps.flatMap((step, i) => [hubee(step, kinds[i % kinds.length]!, { times: 'always', probability: 0.1 })]);
    const references = await Promise.all(Array.from({ length: 4 }, () => recordShipment()));
    faults.set({ rules, seed: 20261126 });
    try {
      // Eight senders building PDFs in this one process: a roomier wait, so that only the faults time out, and
      // createFolder's generous one as in production (a creation answered too late would leave an orphan).
      const deps = () => sender({ timeoutMs: 1000, createFolderTimeoutMs: 30_000 });
      await Promise.all(references.flatMap((reference) => [deps(), deps()].map((d) => transmitUntilSentOrTaken(d, reference))));
    } finally {
      faults.clear();
    }
    const census = await control.hubeeCensus();
    assert.deepEqual(census.duplicated, []);
    for (const reference of references) await assertSentOnce(reference);
  });

  /** One of several concurrent senders: goes on until the shipment is sent, by itself or by another. */
  async function transmitUntilSentOrTaken(deps: TransmitDeps, reference: string): Promise<void> {
    const tried: string[] = [];
    const deadline = Date.now() + 60_000;
    while ((await shipments.find(reference))?.status === 'pending') {
      if (tried.length >= 40 || Date.now() > deadline) assert.fail(`${reference} still pending: ${tried.join(' | ')}`);
      const outcome = await transmitShipment(deps, reference);
      if (outcome.kind === 'retry_scheduled') tried.push(outcome.reason);
      else if (outcome.kind === 'not_claimed') await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
});
