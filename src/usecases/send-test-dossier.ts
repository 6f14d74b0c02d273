import type { CollectivityRepository } from '../db/repositories/collectivities.ts';
import type { ShipmentRepository } from '../db/repositories/shipments.ts';
import { testDossierInput } from '../domain/formulaire-qf/test-dossier.ts';
import { generateShipmentReference } from '../domain/shipment-reference.ts';
import type { CodeCog, Siret } from '../domain/siret.ts';
import type { PersonalDataCipher } from '../security/personal-data-cipher.ts';
import { shipmentPayloadContext, type ShipmentPayload } from './transmit-shipment.ts';

export type TestDossierOutcome = { kind: 'queued'; reference: string } | { kind: 'unknown_collectivity' } | { kind: 'inactive_collectivity' };

export interface TestDossierDeps {
  shipments: Pick<ShipmentRepository, 'create'>;
  collectivities: Pick<CollectivityRepository, 'findBySiret'>;
  cipher: PersonalDataCipher;
  retryWindowHours: number;
  /** Hands the recorded shipment to the transmission queue. */
  startTransmission(reference: string): Promise<void>;
  now?: () => Date;
}

/**
 * A test dossier on demand: the fictitious persona's FormulaireQF folder, recorded as a shipment marked as a test
 * and sent by the same pipeline as a family's (the HubEE the service is configured with: the sandbox locally, the
 * qualification environment where it points there), to the commune's FormulaireQF subscription. The commune then
 * sees it in HubEE, its éditeur's webhooks announce it, `hubee pull` fetches it, like any other.
 */
export async function sendTestDossier(deps: TestDossierDeps, siret: string): Promise<TestDossierOutcome> {
  const collectivity = await deps.collectivities.findBySiret(siret);
  if (!collectivity) return { kind: 'unknown_collectivity' };
  // HubEE has no subscription for a commune that is not (or no longer) active.
  if (collectivity.status !== 'active') return { kind: 'inactive_collectivity' };
  const at = (deps.now ?? (() => new Date()))();
  const reference = generateShipmentReference();
  const input = testDossierInput(reference, { name: collectivity.name, siret: collectivity.siret as Siret, codeCog: collectivity.codeCog as CodeCog }, at);
  const payload: ShipmentPayload = { ...input, transmittedAt: at.toISOString(), previousTransmissionAt: null };
  await deps.shipments.create({
    reference,
    collectivitySiret: collectivity.siret,
    externalId: input.externalId,
    payload: deps.cipher.encrypt(payload, shipmentPayloadContext(reference)),
    giveUpAt: new Date(at.getTime() + deps.retryWindowHours * 3600 * 1000),
    isTest: true,
  });
  await deps.startTransmission(reference);
  return { kind: 'queued', reference };
}
