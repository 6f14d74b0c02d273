import type { AppContext } from '../context.ts';
import { testDossierEnvironment } from '../domain/hubee-environment.ts';
import { TRANSMIT_QUEUE } from '../jobs/workers.ts';
import { sendTestDossier, type TestDossierOutcome } from '../usecases/send-test-dossier.ts';

/** The test dossier use case bound to the app, for the API and for the espaces' buttons alike. */
export function sendTestDossierFor(context: Pick<AppContext, 'shipments' | 'collectivities' | 'cipher' | 'config' | 'queue'>, siret: string): Promise<TestDossierOutcome> {
  return sendTestDossier(
    {
      shipments: context.shipments,
      collectivities: context.collectivities,
      cipher: context.cipher,
      retryWindowHours: context.config.shipments.retryWindowHours,
      environment: testDossierTarget(context.config),
      startTransmission: async (reference) => {
        await context.queue.send(TRANSMIT_QUEUE, { reference }, { singletonKey: reference, retryLimit: 0 });
      },
    },
    siret,
  );
}

/** Where this service sends test dossiers, or null when it refuses them (production without qualification). */
export function testDossierTarget(config: Pick<AppContext['config'], 'env' | 'hubee'>) {
  return testDossierEnvironment(config.env, config.hubee.qualification !== null);
}
