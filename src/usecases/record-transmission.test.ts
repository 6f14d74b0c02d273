import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase } from '../../test/support/database.ts';
import type { Db } from '../db/database.ts';
import { createCollectivityRepository, type CollectivityRecord, type CollectivityRepository } from '../db/repositories/collectivities.ts';
import { createShipmentRepository, type ShipmentRepository } from '../db/repositories/shipments.ts';
import { persona } from '../domain/formulaire-qf/test-fixtures.ts';
import { generateShipmentReference } from '../domain/shipment-reference.ts';
import { createFamilyFingerprinter } from '../security/family-fingerprint.ts';
import { createPersonalDataCipher } from '../security/personal-data-cipher.ts';
import type { Journey } from './journey.ts';
import { recordTransmission } from './record-transmission.ts';
import { shipmentPayloadContext, type ShipmentPayload } from './transmit-shipment.ts';

const SECRET = 'record-transmission-test-key-0123456789abcdef';
const MAJASTRES: CollectivityRecord = {
  siret: '21040107100019',
  codeCog: '04107',
  name: 'Majastres',
  departement: '04',
  codePostal: '04270',
  status: 'active',
  editor: null,
  allowedRedirectPrefixes: [],
};

/** Recording a family's shipment: one statement decides, whatever memory says of the collectivity. */
describe('recording a transmission', () => {
  let db: Db;
  let collectivities: CollectivityRepository;
  let shipments: ShipmentRepository;
  const cipher = createPersonalDataCipher(SECRET);
  const fingerprint = createFamilyFingerprinter(SECRET);

  before(async () => {
    db = await createTestDatabase();
    collectivities = createCollectivityRepository(db);
    shipments = createShipmentRepository(db);
  });
  after(() => db.close());

  const journeyOf = (login: string): Extract<Journey, { stage: 'review' }> => {
    const { identity, quotientFamilial } = persona(login);
    return { stage: 'review', origin: { siret: MAJASTRES.siret, externalId: null, redirectUri: null }, idToken: 'id-token', reference: generateShipmentReference(), identity, quotientFamilial };
  };
  const record = (journey: Extract<Journey, { stage: 'review' }>, known: CollectivityRecord | null) =>
    recordTransmission({ shipments, collectivities, knownCollectivity: async () => known, cipher, fingerprint, leaseSeconds: 300, retryWindowHours: 24 }, journey);
  /** What the request that recorded the shipment holds for its first attempt. */
  const sealed = (outcome: Awaited<ReturnType<typeof record>>) => {
    const claimed = outcome.kind === 'recorded' ? outcome.claimed : null;
    assert.ok(claimed, 'recorded and held by this request');
    return { payload: cipher.decrypt<ShipmentPayload>(claimed.payload, shipmentPayloadContext(claimed.reference)), previous: claimed.previousTransmissionAt };
  };

  it('records the shipment with the collectivity as the database has it, even when memory has an older name', async () => {
    await collectivities.upsert({ ...MAJASTRES, name: 'Majastres (nouveau nom)' }, 'majastres');
    const journey = journeyOf('angela');
    const outcome = await record(journey, MAJASTRES);
    assert.equal(outcome.kind === 'recorded' && outcome.collectivityName, 'Majastres (nouveau nom)');
    assert.equal(sealed(outcome).payload.collectivity.name, 'Majastres (nouveau nom)');
    await collectivities.upsert(MAJASTRES, 'majastres');
  });

  it('writes nothing for a collectivity deactivated since memory saw it active', async () => {
    await collectivities.upsert({ ...MAJASTRES, status: 'inactive' }, 'majastres');
    const journey = journeyOf('jeanne');
    assert.deepEqual(await record(journey, MAJASTRES), { kind: 'collectivity_gone' });
    assert.equal(await shipments.find(journey.reference), null);
    await collectivities.upsert(MAJASTRES, 'majastres');
  });

  it('finds the same family\'s previous transmission to the commune, and a second click keeps the first record', async () => {
    const first = journeyOf('vincent');
    const recordedFirst = await record(first, MAJASTRES);
    assert.equal(recordedFirst.kind, 'recorded');
    assert.equal(sealed(recordedFirst).previous, null);
    const again = { ...journeyOf('vincent'), identity: first.identity };
    const recordedAgain = await record(again, null);
    assert.equal(recordedAgain.kind, 'recorded');
    const firstRow = await shipments.find(first.reference);
    assert.deepEqual(sealed(recordedAgain).previous, firstRow?.createdAt);
    const secondClick = await record(again, MAJASTRES);
    assert.equal(secondClick.kind === 'recorded' && secondClick.transmittedAt.getTime(), (await shipments.find(again.reference))?.createdAt.getTime());
    assert.equal(secondClick.kind === 'recorded' && secondClick.claimed, null, 'a second click holds nothing: the first request does');
    assert.deepEqual((await shipments.history(again.reference)).map((h) => h.status), ['pending']);
  });

  it('holds what it records for its first attempt: nobody claims it before that lease runs out, the attempt counted', async () => {
    const journey = journeyOf('angela');
    const outcome = await record(journey, MAJASTRES);
    assert.equal(sealed(outcome).payload.reference, journey.reference);
    assert.equal(outcome.kind === 'recorded' && outcome.claimed?.attempts, 1);
    assert.equal(await shipments.claim(journey.reference, 60), null, 'the sweep or the queue cannot take it meanwhile');
    await sql`update shipments set lease_until = now() - interval '1 second' where reference = ${journey.reference}`.execute(db.kysely);
    assert.equal((await shipments.claim(journey.reference, 60))?.attempts, 2, 'past the lease (a crash), another sender takes it');
  });
});
