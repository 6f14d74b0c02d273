import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.ts';
import { createCollectivityDirectory } from '../../../db/repositories/collectivity-directory.ts';
import { ApiDocumentationPage } from '../../views/api/ApiDocumentationPage.tsx';
import { sendPage } from '../send-page.ts';
import { createApiAuthorization } from './authorization.ts';
import { collectivityOperations } from './collectivities.ts';
import { legacyCollectivityOperations } from './collectivities-legacy.ts';
import { answerLikeTheApp, sendApiError } from './errors.ts';
import { buildOpenApiDocument } from './openapi.ts';
import { fastifyPath, registerOperations, RequestValidationError, type Operation } from './operation.ts';
import { transmissionOperations } from './transmissions.ts';
import { webhookOperations } from './webhooks.ts';
import { testDossierOperations } from './test-dossier.ts';
import { sendTestDossierFor } from '../../test-dossier.ts';

export const OPENAPI_PATH = '/api/openapi.json';
export const DOCUMENTATION_PATH = '/api/documentation';

/** The operations of the public API, described once (routes, validation and documentation). */
export function apiOperations(context: Pick<AppContext, 'config' | 'collectivities' | 'collectivitySearch' | 'db' | 'webhooks' | 'espace' | 'shipments' | 'cipher' | 'queue'>): Operation[] {
  const collectivities = {
    collectivities: context.collectivities,
    directory: createCollectivityDirectory(context.db, { onChange: () => context.collectivitySearch.invalidate() }),
    allowTestSirets: context.config.env !== 'production',
  };
  return [
    ...legacyCollectivityOperations(collectivities),
    ...collectivityOperations(collectivities),
    ...webhookOperations({ webhooks: context.webhooks }),
    ...transmissionOperations({ transmissions: context.espace.transmissions }),
    ...testDossierOperations({ send: (siret) => sendTestDossierFor(context, siret) }),
  ];
}

/** Any origin may read: the data is public, and no cookie or token is involved (no credentials). */
async function openToAnyOrigin(_request: FastifyRequest, reply: FastifyReply): Promise<void> {
  reply.header('access-control-allow-origin', '*');
  reply.header('cross-origin-resource-policy', 'cross-origin');
}

/** The public JSON API, its OpenAPI 3.1 document and its human page. */
export async function apiRoutes(app: FastifyInstance, context: AppContext): Promise<void> {
  const operations = apiOperations(context);
  const document = buildOpenApiDocument(operations, {
    title: 'API Formulaire QF',
    version: '1.0.0',
    description:
      'Les collectivités qui reçoivent les quotients familiaux par le Formulaire QF. Deux générations cohabitent : ' +
      '`/api/collectivites` garde les réponses du formulaire national historique (tableau trié par nom, erreurs et corps de création ' +
      'historiques) pour ses consommateurs existants ; `/api/v2/collectivites` donne les pages et nos réponses d’erreur. ' +
      'Chaque opération porte `x-version` (`historique` ou `v2`) et l’étiquette correspondante. ' +
      'Chaque opération dit aussi sa portée (`x-portee`) : `public` (sans jeton), `operateur` (le jeton API_TOKEN de l’équipe du service seulement) ' +
      'ou `organisation` (une clé d’API de commune ou d’éditeur, pour ses seules communes, désignées comme le dit `x-portee-cible`).',
    serverUrl: context.config.http.publicUrl,
  });

  const answerOther = answerLikeTheApp(context);
  await app.register(async (api) => {
    api.setErrorHandler((error: FastifyError, request, reply) => {
      const invalid: unknown = error;
      if (!(invalid instanceof RequestValidationError)) return answerOther(error, request, reply);
      const fields = Object.fromEntries(invalid.validation.map((v) => [v.field, v.message]));
      request.log.info({ event: 'api.invalid_request', where: error.validationContext, fields: Object.keys(fields) }, 'API request refused');
      return error.validationContext === 'body'
        ? sendApiError(reply, 422, 'INVALID_FIELDS', 'Certains champs sont invalides.', fields)
        : sendApiError(reply, 400, 'INVALID_PARAMETER', 'Certains paramètres sont invalides.', fields);
    });
    // A JSON API: form and text bodies, which the site's parsers accept, are refused here.
    api.addHook('preValidation', async (request, reply) => {
      if (request.method !== 'POST') return;
      const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
      if (type !== 'application/json') return sendApiError(reply, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Le corps doit être en JSON (Content-Type: application/json).');
    });

    const authorization = createApiAuthorization({
      apiToken: context.config.secrets.apiToken,
      limiter: context.authLimiters.apiToken,
      keys: context.espace.apiKeys,
      editeurs: context.espace.editeurs,
    });
    registerOperations(api, operations, { authenticate: authorization.authenticate, authorize: authorization.authorize, publicRead: openToAnyOrigin });

    // Preflight of the readable paths: GET only, so that no other origin can send a creation.
    for (const path of new Set(operations.filter((op) => op.publicRead).map((op) => op.path)).add(OPENAPI_PATH)) {
      api.options(fastifyPath(path), async (_request, reply) =>
        reply
          .code(204)
          .header('access-control-allow-origin', '*')
          .header('access-control-allow-methods', 'GET, HEAD, OPTIONS')
          .header('access-control-allow-headers', 'Accept, Content-Type')
          .header('access-control-max-age', '86400')
          .send(),
      );
    }

    api.get(OPENAPI_PATH, { onRequest: openToAnyOrigin }, async (_request, reply) => reply.header('cache-control', 'public, max-age=300').send(document));
    api.get(DOCUMENTATION_PATH, async (_request, reply) => sendPage(reply, ApiDocumentationPage({ document, openApiUrl: OPENAPI_PATH })));
  });
}
