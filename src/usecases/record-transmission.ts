import type { CollectivityRepository } from '../db/repositories/collectivities.ts';
import type { ShipmentRepository } from '../db/repositories/shipments.ts';
import type { CodeCog, Siret } from '../domain/siret.ts';
import type { ShipmentReference } from '../domain/shipment-reference.ts';
import type { FamilyFingerprinter } from '../security/family-fingerprint.ts';
import type { PersonalDataCipher } from '../security/personal-data-cipher.ts';
import type { Journey } from './journey.ts';
import { shipmentPayloadContext, type ShipmentPayload } from './transmit-shipment.ts';

export type RecordOutcome =
  | { kind: 'recorded'; reference: string; collectivityName: string; transmittedAt: Date }
  | { kind: 'collectivity_gone' };

/**
 * The citizen said "Transmettre": the shipment is written durably (its personal data encrypted) before anything
 * is sent, so that nothing confirmed can be lost. The reference was chosen at login: a second click finds the
 * shipment already there instead of making another.
 */
export async function recordTransmission(
  deps: {
    shipments: ShipmentRepository;
    collectivities: CollectivityRepository;
    cipher: PersonalDataCipher;
    fingerprint: FamilyFingerprinter;
    retryWindowHours: number;
    now?: () => Date;
  },
  journey: Extract<Journey, { stage: 'review' }>,
): Promise<RecordOutcome> {
  const now = deps.now ?? (() => new Date());
  const collectivity = await deps.collectivities.findActiveBySiret(journey.origin.siret);
  if (!collectivity) return { kind: 'collectivity_gone' };
  const transmittedAt = now();
  // A family transmitting again to this commune: its PDF and the espace say so, the files stay as they are.
  const identityHash = deps.fingerprint(collectivity.siret, journey.identity);
  const previous = await deps.shipments.previousTransmissionAt({ collectivitySiret: collectivity.siret, identityHash, reference: journey.reference });
  const payload: ShipmentPayload = {
    reference: journey.reference as ShipmentReference,
    externalId: journey.origin.externalId,
    identity: journey.identity,
    quotientFamilial: journey.quotientFamilial,
    collectivity: { name: collectivity.name, siret: collectivity.siret as Siret, codeCog: collectivity.codeCog as CodeCog },
    transmittedAt: transmittedAt.toISOString(),
    previousTransmissionAt: previous?.toISOString() ?? null,
  };
  const created = await deps.shipments.create({
    reference: journey.reference,
    collectivitySiret: collectivity.siret,
    externalId: journey.origin.externalId,
    payload: deps.cipher.encrypt(payload, shipmentPayloadContext(journey.reference)),
    giveUpAt: new Date(transmittedAt.getTime() + deps.retryWindowHours * 3600 * 1000),
    identityHash,
  });
  if (created) return { kind: 'recorded', reference: journey.reference, collectivityName: collectivity.name, transmittedAt };
  // A second click (or two at once): the shipment recorded first stands, with its own time.
  const existing = await deps.shipments.find(journey.reference);
  if (!existing) throw new Error(`shipment ${journey.reference} neither created nor found`);
  return { kind: 'recorded', reference: journey.reference, collectivityName: collectivity.name, transmittedAt: existing.createdAt };
}
