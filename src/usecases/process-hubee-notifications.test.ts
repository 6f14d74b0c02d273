import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import Fastify from 'fastify';
import pino from 'pino';
import { testConfig } from '../../test/support/config.ts';
import { createTestDatabase } from '../../test/support/database.ts';
import { freePort } from '../../test/support/ports.ts';
import type { Config } from '../config/config.ts';
import type { Db } from '../db/database.ts';
import { createCollectivityRepository } from '../db/repositories/collectivities.ts';
import { createFollowUpClaims } from '../db/repositories/hubee-follow-up-claims.ts';
import { createShipmentRepository, type ShipmentRepository } from '../db/repositories/shipments.ts';
import type { HubeeEnvironment } from '../domain/hubee-environment.ts';
import type { CaseStatus, HubeeClient } from '../integrations/hubee/client.ts';
import { createHubeeStandIn } from '../sandbox/hubee/index.ts';
import type { HubeeStep } from '../sandbox/hubee/steps.ts';
import { clientAs, MAJASTRES, sampleFolder, transmit } from '../integrations/hubee/testing.ts';
import { processHubeeNotifications, type FollowUpDeps, type ShipmentStatusChange } from './process-hubee-notifications.ts';

/**
 * The follow-up against the HubEE stand-in over HTTP. A commune (Majastres, with its SI credentials) moves the
 * case as the HubEE portal does: STATUS_UPDATE events with `notification: true`. HubEE failures are real 500
 * answers from the stand-in at a chosen step.
 */

interface FaultyHubee {
  config: Config;
  /** The next `times` calls of `step` answer 500. */
  fail(step: HubeeStep, times?: number): void;
  close(): Promise<void>;
}

async function startHubee(): Promise<FaultyHubee> {
  const port = await freePort();
  const config = testConfig(port);
  const failures = new Map<HubeeStep, number>();
  const app = Fastify();
  app.addHook('onRequest', async (request, reply) => {
    const step = request.routeOptions.config.hubeeStep;
    const left = step ? (failures.get(step) ?? 0) : 0;
    if (step && left > 0) {
      failures.set(step, left - 1);
      return reply.code(500).send({ errors: [{ code: 500, message: 'Internal Server Error' }] });
    }
  });
  await createHubeeStandIn()(app, { publicUrl: config.sandbox.publicUrl, dataDir: null, config });
  await app.listen({ host: '127.0.0.1', port });
  return { config, fail: (step, times = 1) => failures.set(step, times), close: () => app.close() };
}

const silent = pino({ level: 'silent' });
let hubee: FaultyHubee;
let db: Db;
let shipments: ShipmentRepository;
let osl: HubeeClient;
let si: HubeeClient;
let changes: ShipmentStatusChange[];
let sequence = 0;

before(async () => {
  hubee = await startHubee();
  db = await createTestDatabase();
  shipments = createShipmentRepository(db);
  await createCollectivityRepository(db).upsert(
    { siret: MAJASTRES.siret, codeCog: MAJASTRES.cog, name: 'Majastres', departement: '04', codePostal: '04270', status: 'active', editor: null, allowedRedirectPrefixes: [] },
    'majastres',
  );
  osl = clientAs(hubee, 'OSL');
  si = clientAs(hubee, { si: MAJASTRES.siret });
});
after(async () => {
  await db.close();
  await hubee.close();
});

beforeEach(async () => {
  changes = [];
  // Each test starts from an empty queue: whatever an earlier test left is read and dropped.
  for (const n of await osl.listNotifications({ maxResult: 1000 })) await osl.deleteNotification(n.id);
});

function deps(overrides: Partial<FollowUpDeps> = {}): FollowUpDeps {
  return {
    hubee: osl,
    shipments,
    claims: createFollowUpClaims(db),
    logger: silent,
    owner: 'test',
    batchSize: 100,
    onShipmentStatusChanged: async (change) => {
      changes.push(change);
    },
    ...overrides,
  };
}

/** A shipment sent to Majastres as the transmission does it: the HubEE folder complete, its ids recorded. */
async function sentShipment(target: { hubeeEnvironment: HubeeEnvironment; isTest: boolean } = { hubeeEnvironment: 'production', isTest: false }): Promise<{ reference: string; caseId: string; folderId: string }> {
  const reference = `${Date.now().toString(16)}${(++sequence).toString(16)}`.toUpperCase().padStart(13, '0').slice(-13);
  await shipments.create({ reference, collectivitySiret: MAJASTRES.siret, externalId: null, payload: new Uint8Array([1]), giveUpAt: new Date(Date.now() + 3600_000), ...target });
  const { folder, caseId } = await transmit(osl);
  await shipments.recordFolder(reference, folder.id, caseId);
  await shipments.markSent(reference);
  return { reference, caseId, folderId: folder.id };
}

/** The commune moves the case, as the HubEE portal does. */
async function communeSets(caseId: string, ...statuses: CaseStatus[]): Promise<string[]> {
  const ids: string[] = [];
  for (const status of statuses) {
    const event = await si.createEvent(caseId, { actionType: 'STATUS_UPDATE', caseNewStatus: status, author: 'Agent de la commune', notification: true, message: null });
    ids.push(event.id);
  }
  return ids;
}

async function closingEvents(caseId: string) {
  return (await osl.getCase(caseId)).events.filter((e) => e.caseNewStatus === 'CLOSED');
}

describe('HubEE follow-up', () => {
  it('matches a case to the shipments of the environment it reads only (each HubEE numbers its cases on its own)', async () => {
    // The stand-in plays the qualification environment, where this test dossier was sent.
    const { reference, caseId } = await sentShipment({ hubeeEnvironment: 'qualification', isTest: true });
    await communeSets(caseId, 'SI_RECEIVED');
    const read = await processHubeeNotifications(deps({ environment: 'qualification' }));
    assert.equal(read.statusesStored, 1);
    assert.equal((await shipments.find(reference))?.status, 'SI_RECEIVED');
    // Read as production's notifications, the same case id is no shipment of ours: nothing moves.
    await communeSets(caseId, 'IN_PROGRESS');
    const elsewhere = await processHubeeNotifications(deps());
    assert.deepEqual([elsewhere.read, elsewhere.statusesStored], [1, 0]);
    assert.equal((await shipments.find(reference))?.status, 'SI_RECEIVED');
  });

  it('mirrors each status the commune sets, then closes the case, tells the commune, closes the folder and forgets the ids', async () => {
    const { reference, caseId, folderId } = await sentShipment();
    const first = await communeSets(caseId, 'SENT', 'SI_RECEIVED', 'IN_PROGRESS');

    const run1 = await processHubeeNotifications(deps());
    assert.equal(run1.processed, 3);
    assert.equal((await shipments.find(reference))?.status, 'IN_PROGRESS');
    assert.equal((await osl.getCase(caseId, { lite: true })).status, 'IN_PROGRESS', 'nothing closed before a final status');

    const [done] = await communeSets(caseId, 'DONE');
    const run2 = await processHubeeNotifications(deps());
    assert.equal(run2.casesClosed, 1);

    const shipment = await shipments.find(reference);
    assert.equal(shipment?.status, 'DONE');
    assert.equal(shipment?.hubeeCaseId, null);
    assert.equal(shipment?.hubeeFolderId, null);
    assert.deepEqual(
      (await shipments.history(reference)).map((h) => h.status),
      ['pending', 'SENT', 'SI_RECEIVED', 'IN_PROGRESS', 'DONE'],
    );

    const kase = await osl.getCase(caseId);
    const folder = await osl.getFolder(folderId);
    assert.equal(kase.status, 'CLOSED');
    assert.equal(folder.globalStatus, 'CLOSED');
    const [closing, ...more] = await closingEvents(caseId);
    assert.equal(more.length, 0);
    assert.equal(closing?.message, 'Dossier traité par le service.');
    assert.equal(closing?.author, 'DINUM');
    assert.equal(closing?.caseCurrentStatus, 'DONE');
    assert.equal(closing?.notification, true);
    // In that order: the case, then the event, then the folder.
    assert.ok(kase.closeDateTime && closing?.createDateTime && folder.closeDateTime);
    assert.ok(kase.closeDateTime <= closing.createDateTime && closing.createDateTime <= folder.closeDateTime);

    for (const id of [...first, done]) assert.equal((await osl.getEvent(caseId, id!)).status, 'RECEIVED');
    assert.deepEqual(await osl.listNotifications({ maxResult: 100 }), []);
    assert.deepEqual(
      changes.map((c) => [c.previous, c.status]),
      [
        ['SENT', 'SI_RECEIVED'],
        ['SI_RECEIVED', 'IN_PROGRESS'],
        ['IN_PROGRESS', 'DONE'],
      ],
    );
  });

  it('keeps the commune’s dates and the time of its first action', async () => {
    const { reference, caseId } = await sentShipment();
    const [id] = await communeSets(caseId, 'SENT', 'SI_RECEIVED');
    const firstEvent = await osl.getEvent(caseId, id!);
    await processHubeeNotifications(deps());
    const row = await db.kysely.selectFrom('shipments').select(['first_commune_status_at']).where('reference', '=', reference).executeTakeFirstOrThrow();
    assert.equal(row.first_commune_status_at?.toISOString(), firstEvent.createDateTime);
    const received = (await shipments.history(reference)).find((h) => h.status === 'SI_RECEIVED');
    assert.ok(received && received.at.getTime() <= Date.now());
  });

  it('keeps the commune’s message to the family with the status it came with, and the latest one when several come', async () => {
    const { reference, caseId } = await sentShipment();
    await si.createEvent(caseId, { actionType: 'STATUS_UPDATE', caseNewStatus: 'IN_PROGRESS', author: 'Agent', notification: true, message: '' });
    await processHubeeNotifications(deps());
    assert.equal((await shipments.findWithHistory(reference))?.communeMessage, null, 'an empty message is no message');

    await si.createEvent(caseId, { actionType: 'SENDING_MESSAGE', author: 'Agent', notification: true, message: 'Il manque votre attestation.' });
    await processHubeeNotifications(deps());
    assert.equal((await shipments.findWithHistory(reference))?.communeMessage?.text, 'Il manque votre attestation.');

    const refusal = await si.createEvent(caseId, {
      actionType: 'STATUS_UPDATE',
      caseNewStatus: 'REFUSED',
      author: 'Agent',
      notification: true,
      message: '  Votre dossier est incomplet.\u0007 Passez en mairie avec votre livret de famille.  ',
    });
    await processHubeeNotifications(deps());
    const found = await shipments.findWithHistory(reference);
    assert.equal(found?.shipment.status, 'REFUSED');
    assert.equal(found?.communeMessage?.text, 'Votre dossier est incomplet.  Passez en mairie avec votre livret de famille.');
    assert.equal(found?.communeMessage?.at.toISOString(), refusal.createDateTime);
    assert.equal((await osl.getCase(caseId, { lite: true })).status, 'CLOSED', 'the message does not hold back the closing');
  });

  it('does not take our own closing message for the commune’s', async () => {
    const { reference, caseId } = await sentShipment();
    await communeSets(caseId, 'DONE');
    await processHubeeNotifications(deps());
    // The commune acknowledges our closing event: HubEE notifies us of its new status.
    for (const e of await closingEvents(caseId)) await si.updateEventStatus(caseId, e.id, 'RECEIVED');
    await processHubeeNotifications(deps());
    assert.equal((await shipments.findWithHistory(reference))?.communeMessage, null);
  });

  it('closes a refused case the same way', async () => {
    const { reference, caseId, folderId } = await sentShipment();
    await communeSets(caseId, 'SENT', 'SI_RECEIVED', 'REFUSED');
    await processHubeeNotifications(deps());
    const shipment = await shipments.find(reference);
    assert.equal(shipment?.status, 'REFUSED');
    assert.equal(shipment?.hubeeCaseId, null);
    assert.equal((await osl.getCase(caseId, { lite: true })).status, 'CLOSED');
    assert.equal((await osl.getFolder(folderId)).globalStatus, 'CLOSED');
    assert.equal((await closingEvents(caseId))[0]?.caseCurrentStatus, 'REFUSED');
  });

  it('never touches a notification of another process of our OSL', async () => {
    const admin = clientAs(hubee, 'ADMIN');
    const subscriber = { type: 'SI', companyRegister: MAJASTRES.siret, branchCode: MAJASTRES.cog };
    await admin
      .createSubscription({ datapassId: 9, processCode: 'relais', subscriber, notificationFrequency: 'Unitaire', status: 'Actif', localAdministrator: { email: 'mairie@example.test' } })
      .catch(() => {}); // already there from an earlier run of this test
    const other = sampleFolder();
    other.input.processCode = 'relais';
    const { caseId } = await transmit(osl, other);
    await communeSets(caseId, 'SENT');
    const foreign = (await osl.listNotifications({ maxResult: 100 })).filter((n) => n.processCode === 'relais');
    assert.equal(foreign.length, 1);

    const summary = await processHubeeNotifications(deps());
    assert.equal(summary.read, 0, 'HubEE was asked for FormulaireQF only');
    // Even when the filter is not honoured, the notification stays where it is.
    const unfiltered: FollowUpDeps['hubee'] = { ...osl, listNotifications: (options) => osl.listNotifications({ ...options, processCode: [] }) };
    const defensive = await processHubeeNotifications(deps({ hubee: unfiltered }));
    assert.equal(defensive.foreign, 1);
    assert.deepEqual(
      (await osl.listNotifications({ maxResult: 100 })).map((n) => n.id),
      foreign.map((n) => n.id),
    );
    assert.equal((await osl.getEvent(caseId, foreign[0]!.eventId!)).status, 'SENT', 'its event is not acknowledged either');
    await osl.deleteNotification(foreign[0]!.id);
  });

  it('reads the queue in batches until it is empty', async () => {
    const { reference, caseId } = await sentShipment();
    await communeSets(caseId, 'SENT', 'SI_RECEIVED', 'IN_PROGRESS', 'DONE');
    const summary = await processHubeeNotifications(deps({ batchSize: 1 }));
    assert.equal(summary.processed, 4);
    assert.equal((await shipments.find(reference))?.status, 'DONE');
    assert.deepEqual(await osl.listNotifications({}), []);
  });

  it('handles a notification that comes again (its deletion failed) without doing anything twice', async () => {
    const { reference, caseId } = await sentShipment();
    await communeSets(caseId, 'SENT', 'SI_RECEIVED', 'DONE');
    hubee.fail('deleteNotification', 3);
    const first = await processHubeeNotifications(deps());
    assert.equal(first.failed, 3);
    assert.equal((await shipments.find(reference))?.status, 'DONE');
    assert.equal((await osl.listNotifications({})).length, 3, 'the notifications are still there');

    const second = await processHubeeNotifications(deps());
    assert.equal(second.processed, 3);
    assert.equal(second.statusesStored, 0);
    assert.equal((await closingEvents(caseId)).length, 1);
    assert.deepEqual(
      (await shipments.history(reference)).map((h) => h.status),
      ['pending', 'SENT', 'SI_RECEIVED', 'DONE'],
    );
    assert.equal(changes.length, 2);
    assert.deepEqual(await osl.listNotifications({}), []);
  });

  for (const step of ['patchCase', 'createEvent', 'patchFolder', 'patchEvent'] as const) {
    it(`finishes on the next run when HubEE fails at ${step}`, async () => {
      const { reference, caseId, folderId } = await sentShipment();
      await communeSets(caseId, 'SENT', 'SI_RECEIVED', 'DONE');
      hubee.fail(step);
      const first = await processHubeeNotifications(deps());
      assert.ok(first.failed >= 1);
      assert.ok((await osl.listNotifications({})).length >= 1, 'the unfinished notification stays');

      const second = await processHubeeNotifications(deps());
      assert.equal(second.failed, 0);
      const shipment = await shipments.find(reference);
      assert.equal(shipment?.status, 'DONE');
      assert.equal(shipment?.hubeeCaseId, null);
      assert.equal((await osl.getCase(caseId, { lite: true })).status, 'CLOSED');
      assert.equal((await osl.getFolder(folderId)).globalStatus, 'CLOSED');
      assert.equal((await closingEvents(caseId)).length, 1);
      assert.deepEqual(await osl.listNotifications({}), []);
    });
  }

  it('leaves everything for the next run when HubEE cannot be reached', async () => {
    const { reference, caseId } = await sentShipment();
    await communeSets(caseId, 'SENT', 'SI_RECEIVED');
    const unreachable = clientAs({ config: { ...hubee.config, hubee: { ...hubee.config.hubee, apiUrl: 'http://127.0.0.1:9/hubee' } } }, 'OSL');
    await assert.rejects(processHubeeNotifications(deps({ hubee: unreachable })), { name: 'HubeeError' });
    assert.equal((await shipments.find(reference))?.status, 'SENT');
    const summary = await processHubeeNotifications(deps());
    assert.equal(summary.processed, 2);
    assert.equal((await shipments.find(reference))?.status, 'SI_RECEIVED');
  });

  it('processes each notification once when two runs go at the same time', async () => {
    const shipmentsSent = await Promise.all([sentShipment(), sentShipment()]);
    for (const s of shipmentsSent) await communeSets(s.caseId, 'SENT', 'SI_RECEIVED', 'IN_PROGRESS', 'DONE');
    const runs = await Promise.all([processHubeeNotifications(deps({ owner: 'a' })), processHubeeNotifications(deps({ owner: 'b' }))]);
    // Whatever one run found held by the other is left to it (or to the next run).
    const again = await processHubeeNotifications(deps({ owner: 'c' }));
    assert.equal(runs[0].processed + runs[1].processed + again.processed, 8);
    for (const s of shipmentsSent) {
      assert.deepEqual(
        (await shipments.history(s.reference)).map((h) => h.status),
        ['pending', 'SENT', 'SI_RECEIVED', 'IN_PROGRESS', 'DONE'],
      );
      assert.equal((await closingEvents(s.caseId)).length, 1);
      assert.equal((await shipments.find(s.reference))?.hubeeCaseId, null);
    }
    assert.equal(changes.length, 6);
    assert.deepEqual(await osl.listNotifications({}), []);
  });

  it('ignores a late status that would go backwards, and removes its notification', async () => {
    const { reference, caseId } = await sentShipment();
    // Read out of order: the DONE notification is handled before the IN_PROGRESS one.
    await communeSets(caseId, 'SENT', 'SI_RECEIVED', 'IN_PROGRESS', 'DONE');
    const all = await osl.listNotifications({});
    const reversed: FollowUpDeps['hubee'] = { ...osl, listNotifications: async (options) => (await osl.listNotifications(options)).reverse() };
    await processHubeeNotifications(deps({ hubee: reversed }));
    assert.equal(all.length, 4);
    assert.equal((await shipments.find(reference))?.status, 'DONE');
    assert.deepEqual(
      (await shipments.history(reference)).map((h) => h.status),
      ['pending', 'SENT', 'DONE'],
    );
    assert.deepEqual(await osl.listNotifications({}), []);
  });

  it('handles several cases at once, and each case’s statuses in the order HubEE gives them', async () => {
    const sent = [await sentShipment(), await sentShipment(), await sentShipment(), await sentShipment()];
    // As communes work: each step for every case before the next one, so that one batch mixes the cases.
    for (const status of ['SENT', 'SI_RECEIVED', 'IN_PROGRESS', 'DONE'] as const) {
      for (const s of sent) await communeSets(s.caseId, status);
    }
    const summary = await processHubeeNotifications(deps({ concurrency: 3 }));
    assert.equal(summary.processed, 16);
    assert.equal(summary.casesClosed, 4);
    for (const s of sent) {
      assert.deepEqual(
        (await shipments.history(s.reference)).map((h) => h.status),
        ['pending', 'SENT', 'SI_RECEIVED', 'IN_PROGRESS', 'DONE'],
      );
      assert.deepEqual(
        changes.filter((c) => c.reference === s.reference).map((c) => c.status),
        ['SI_RECEIVED', 'IN_PROGRESS', 'DONE'],
        'SENT was already the shipment’s status: no change to announce',
      );
    }
    assert.deepEqual(await osl.listNotifications({}), []);
  });
});
