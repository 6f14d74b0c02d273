import { z } from 'zod';
import { testDossierDestination } from '../../../domain/hubee-environment.ts';
import { TEST_DOSSIER_UNAVAILABLE_FR, type TestDossierOutcome } from '../../../usecases/send-test-dossier.ts';
import { apiErrorSchema, sendApiError } from './errors.ts';
import { defineOperation, type Operation } from './operation.ts';

const siretParams = z.object({ siret: z.string().regex(/^[0-9]{14}$/, 'Le SIRET comporte 14 chiffres.').describe('SIRET de la collectivité.') });

/** A test dossier on demand, for a commune and its éditeur to check their reception before a family's arrives. */
export function testDossierOperations(deps: { send(siret: string): Promise<TestDossierOutcome> }): Operation[] {
  return [
    defineOperation({
      method: 'POST',
      path: '/api/v2/collectivites/{siret}/dossier-de-test',
      operationId: 'envoyerDossierDeTest',
      summary: 'Envoyer un dossier de test à la collectivité par HubEE',
      description:
        'Corps : `{}`. Un télédossier `FormulaireQF` ordinaire (trois pièces, même format) sur une personne fictive, TEST Dossier Fictif, envoyé à l’abonnement de la collectivité par le même chemin que ceux des familles, vers l’environnement de qualification de HubEE quand le service y est relié, sinon (hors production seulement : en local, le bac à sable) vers le HubEE configuré ; jamais vers le HubEE de production d’une commune : en production sans qualification, la demande est refusée (409 `TEST_DOSSIER_UNAVAILABLE`) et rien n’est enregistré. `destination` dit où il est parti. Il est marqué partout : `external_id` vaut `DOSSIER-DE-TEST` dans `FormulaireQF.json`, le PDF porte « DOSSIER DE TEST », les webhooks portent `"test": true`, l’espace collectivité l’affiche comme test ; il n’est jamais compté dans les chiffres.',
      tag: 'Collectivités (v2)',
      access: {
        kind: 'organisation',
        targetDescription: 'La collectivité du paramètre `siret`.',
        target: async ({ params }) => ({ kind: 'owner', owner: { kind: 'collectivity', siret: params.siret } }),
      },
      params: siretParams,
      body: z.strictObject({}),
      rateLimit: { max: 10, timeWindow: '1 minute' },
      responses: {
        202: {
          description: 'Enregistré ; il part vers HubEE aussitôt.',
          schema: z.object({
            reference: z.string().describe('Référence de la démarche (suivi : /suivi/{reference}).'),
            test: z.literal(true),
            destination: z.enum(['qualification', 'bac_a_sable']).describe('`qualification` : l’environnement de qualification de HubEE ; `bac_a_sable` : le HubEE de ce service hors production (en local, le bac à sable).'),
          }),
        },
        400: { description: 'SIRET invalide.', schema: apiErrorSchema },
        401: { description: 'Jeton absent ou invalide.', schema: apiErrorSchema },
        403: { description: 'La clé n’agit pas pour cette collectivité.', schema: apiErrorSchema },
        404: { description: 'Collectivité inconnue.', schema: apiErrorSchema },
        409: { description: 'Collectivité inactive (`COLLECTIVITY_INACTIVE`) : HubEE ne lui transmet rien ; ou, en production, service non relié à l’environnement de qualification de HubEE (`TEST_DOSSIER_UNAVAILABLE`) : aucun dossier de test ne peut partir.', schema: apiErrorSchema },
      },
      async handler({ params }, request, reply) {
        const outcome = await deps.send(params.siret);
        if (outcome.kind === 'unknown_collectivity') return sendApiError(reply, 404, 'COLLECTIVITY_NOT_FOUND', 'Cette collectivité est inconnue.');
        if (outcome.kind === 'inactive_collectivity') return sendApiError(reply, 409, 'COLLECTIVITY_INACTIVE', 'Cette collectivité n’est pas active : aucun dossier ne peut lui être envoyé.');
        if (outcome.kind === 'unavailable') return sendApiError(reply, 409, 'TEST_DOSSIER_UNAVAILABLE', TEST_DOSSIER_UNAVAILABLE_FR);
        request.log.info({ event: 'api.test_dossier_queued', reference: outcome.reference, siret: params.siret, hubeeEnvironment: outcome.environment }, 'test dossier queued');
        reply.header('location', `/suivi/${outcome.reference}`);
        return reply.code(202).send({ reference: outcome.reference, test: true as const, destination: testDossierDestination(outcome.environment) });
      },
    }),
  ];
}
