import type { CollectivityRecord, CollectivityRepository } from '../db/repositories/collectivities.ts';
import type { ClaimedShipment, ShipmentRepository } from '../db/repositories/shipments.ts';
import type { CodeCog, Siret } from '../domain/siret.ts';
import type { ShipmentReference } from '../domain/shipment-reference.ts';
import type { FamilyFingerprinter } from '../security/family-fingerprint.ts';
import type { PersonalDataCipher } from '../security/personal-data-cipher.ts';
import type { Journey } from './journey.ts';
import { shipmentPayloadContext, type ShipmentPayload } from './transmit-shipment.ts';

export type RecordOutcome =
  /** `claimed`: this request recorded it and holds it for its first attempt (null: a second click found it). */
  | { kind: 'recorded'; reference: string; collectivityName: string; transmittedAt: Date; claimed: ClaimedShipment | null }
  | { kind: 'collectivity_gone' };

/**
 * The citizen said "Transmettre": the shipment is written durably (its personal data encrypted) before anything
 * is sent, so that nothing confirmed can be lost. The reference was chosen at login: a second click finds the
 * shipment already there instead of making another.
 *
 * One statement checks that the collectivity is still active, finds the family's previous transmission to it and
 * writes the shipment (ShipmentRepository.recordFamilyShipment). The collectivity's name and code sealed in the
 * payload come from `knownCollectivity` (memory, possibly stale): the statement writes nothing unless the database
 * still says the same, and then they are read afresh and the statement tried again. So the decision "still active"
 * is never taken from memory, and a payload never names a commune as it no longer is.
 */
export async function recordTransmission(
  deps: {
    shipments: ShipmentRepository;
    collectivities: Pick<CollectivityRepository, 'findActiveBySiret'>;
    /** The collectivity as this instance last saw it (a cache); null sends straight to the database. */
    knownCollectivity?: (siret: string) => Promise<CollectivityRecord | null>;
    cipher: PersonalDataCipher;
    fingerprint: FamilyFingerprinter;
    retryWindowHours: number;
    /** The first attempt's lease, taken with the insert. */
    leaseSeconds: number;
    now?: () => Date;
  },
  journey: Extract<Journey, { stage: 'review' }>,
): Promise<RecordOutcome> {
  const now = deps.now ?? (() => new Date());
  const siret = journey.origin.siret;
  let collectivity = (await deps.knownCollectivity?.(siret)) ?? (await deps.collectivities.findActiveBySiret(siret));
  // Two tries: with what memory says, then with what the database says now (a second change in between is an error).
  for (let attempt = 0; attempt < 2; attempt++) {
    if (!collectivity) return { kind: 'collectivity_gone' };
    const transmittedAt = now();
    // A family transmitting again to this commune: its PDF and the espace say so (the time found by the statement is
    // kept on the shipment, not in the payload), the files stay as they are.
    const identityHash = deps.fingerprint(collectivity.siret, journey.identity);
    const payload: ShipmentPayload = {
      reference: journey.reference as ShipmentReference,
      externalId: journey.origin.externalId,
      identity: journey.identity,
      quotientFamilial: journey.quotientFamilial,
      collectivity: { name: collectivity.name, siret: collectivity.siret as Siret, codeCog: collectivity.codeCog as CodeCog },
      transmittedAt: transmittedAt.toISOString(),
    };
    const outcome = await deps.shipments.recordFamilyShipment({
      reference: journey.reference,
      collectivity: { siret: collectivity.siret, name: collectivity.name, codeCog: collectivity.codeCog },
      externalId: journey.origin.externalId,
      payload: deps.cipher.encrypt(payload, shipmentPayloadContext(journey.reference)),
      giveUpAt: new Date(transmittedAt.getTime() + deps.retryWindowHours * 3600 * 1000),
      identityHash,
      leaseSeconds: deps.leaseSeconds,
    });
    if (outcome.kind === 'created') return { kind: 'recorded', reference: journey.reference, collectivityName: collectivity.name, transmittedAt, claimed: outcome.claimed };
    if (outcome.kind === 'exists') {
      // A second click (or two at once): the shipment recorded first stands, with its own time.
      const existing = await deps.shipments.find(journey.reference);
      if (!existing) throw new Error(`shipment ${journey.reference} neither created nor found`);
      return { kind: 'recorded', reference: journey.reference, collectivityName: collectivity.name, transmittedAt: existing.createdAt, claimed: null };
    }
    collectivity = await deps.collectivities.findActiveBySiret(siret);
  }
  throw new Error(`collectivity ${siret} changed twice while shipment ${journey.reference} was being recorded`);
}
