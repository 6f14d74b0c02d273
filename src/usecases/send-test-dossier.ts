import type { CollectivityRepository } from '../db/repositories/collectivities.ts';
import type { ShipmentRepository } from '../db/repositories/shipments.ts';
import { testDossierInput } from '../domain/formulaire-qf/test-dossier.ts';
import { generateShipmentReference } from '../domain/shipment-reference.ts';
import type { HubeeEnvironment } from '../domain/hubee-environment.ts';
import type { CodeCog, Siret } from '../domain/siret.ts';
import type { PersonalDataCipher } from '../security/personal-data-cipher.ts';
import { shipmentPayloadContext, type ShipmentPayload } from './transmit-shipment.ts';

export type TestDossierOutcome =
  | { kind: 'queued'; reference: string; environment: HubeeEnvironment }
  | { kind: 'unknown_collectivity' }
  | { kind: 'inactive_collectivity' }
  /** No HubEE may receive a test dossier here (production without the qualification environment). */
  | { kind: 'unavailable' };

/** Why no test dossier can be sent, for the API and both espaces alike. */
export const TEST_DOSSIER_UNAVAILABLE_FR =
  'Les dossiers de test partent vers l’environnement de qualification de HubEE, auquel ce service n’est pas relié : aucun dossier de test ne peut être envoyé (il arriverait chez la commune comme un vrai dossier). L’équipe du service peut le relier (variables HUBEE_QUALIFICATION_*).';

export interface TestDossierDeps {
  shipments: Pick<ShipmentRepository, 'create'>;
  collectivities: Pick<CollectivityRepository, 'findBySiret'>;
  cipher: PersonalDataCipher;
  retryWindowHours: number;
  /** The HubEE test dossiers go to, or null when none may (see testDossierEnvironment). */
  environment: HubeeEnvironment | null;
  /** Hands the recorded shipment to the transmission queue. */
  startTransmission(reference: string): Promise<void>;
  now?: () => Date;
}

/**
 * A test dossier on demand: the fictitious persona's FormulaireQF folder, recorded as a shipment marked as a test
 * and sent by the same pipeline as a family's, to the commune's FormulaireQF subscription in the HubEE recorded on
 * it (HubEE's qualification environment when configured, else the sandbox outside production). The commune then
 * sees it in that HubEE, its éditeur's webhooks announce it, `hubee pull` fetches it, like any other.
 */
export async function sendTestDossier(deps: TestDossierDeps, siret: string): Promise<TestDossierOutcome> {
  // Before anything is recorded: refused, nothing of it exists.
  if (deps.environment === null) return { kind: 'unavailable' };
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
    hubeeEnvironment: deps.environment,
  });
  await deps.startTransmission(reference);
  return { kind: 'queued', reference, environment: deps.environment };
}
