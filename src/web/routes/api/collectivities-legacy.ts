import { z } from 'zod';
import type { FastifyReply } from 'fastify';
import { answerFlatCreation, createCollectivityBodySchema, createCollectivity, V2, type CollectivityDirectoryDeps } from './collectivities.ts';
import { apiErrorSchema, sendApiError } from './errors.ts';
import { HISTORIC_UNAUTHORIZED_BODY, HISTORIC_WWW_AUTHENTICATE } from './historic-unauthorized.ts';
import { defineOperation, RequestValidationError, type Operation } from './operation.ts';

/**
 * `/api/collectivites` as the existing national form serves it (its README and docs/swagger.yaml), for the
 * portals and éditeurs' software already reading it: the whole list at once as a plain array sorted by name, a
 * 404 body `{"error": "Collectivity not found"}`, and the creation body nested under `collectivity` with its
 * `{collectivity}` / `{errors}` answers. Our own shapes (pages, our error bodies) live under /api/v2.
 */
const TAG = 'Collectivités (format historique)';
const HISTORIC = 'Format historique du formulaire national, gardé tel quel pour ses consommateurs existants.';

export const legacyCollectivitySchema = z.object({
  siret: z.string().describe('SIRET de la collectivité (14 chiffres).'),
  name: z.string().describe('Nom de la collectivité.'),
  code_cog: z.string().describe('Code officiel géographique (INSEE) de la commune.'),
});

const legacyNotFoundSchema = z.object({ error: z.literal('Collectivity not found') }).describe('La réponse historique quand la collectivité n’est pas trouvée.');

/** The old body: the old fields under `collectivity`; fields it does not know are ignored, as Rails' strong parameters did. */
const nestedBodySchema = z.object({
  collectivity: z.object({
    siret: z.string({ error: 'doit être rempli(e)' }).describe('SIRET (14 chiffres).'),
    name: z.string({ error: 'doit être rempli(e)' }).describe('Nom de la collectivité.'),
    code_cog: z.string({ error: 'doit être rempli(e)' }).describe('Code officiel géographique.'),
    status: z.enum(['active', 'inactive'], { error: 'n’est pas inclus(e) dans la liste (active, inactive)' }).default('active').describe('`active` (par défaut) ou `inactive`.'),
    editor: z.string().nullable().optional().describe('Identifiant de l’éditeur, le cas échéant.'),
    departement: z.string().optional().describe('Déduit du code COG s’il est absent.'),
    code_postal: z.string().optional().describe('Ajout de ce service : code postal de la mairie.'),
    allowed_redirect_prefixes: z.array(z.string()).optional().describe('Ajout de ce service : préfixes des adresses de retour permises.'),
  }),
});

const legacyCreatedSchema = z.object({
  collectivity: z.object({
    id: z.number().int().describe('Numéro de la collectivité, stable, comme l’ancien service le donnait.'),
    siret: z.string(),
    name: z.string(),
    code_cog: z.string(),
    status: z.enum(['active', 'inactive']),
    editor: z.string().nullable(),
    departement: z.string(),
    code_postal: z.string(),
    created_at: z.string().describe('Date de création (ISO 8601, millisecondes, UTC), comme l’ancien service.'),
    updated_at: z.string().describe('Date de dernière modification (ISO 8601, millisecondes, UTC).'),
  }),
});

const legacyErrorsSchema = z.object({ errors: z.record(z.string(), z.array(z.string())) }).describe('Les champs refusés, chacun avec ses raisons (forme historique).');

/** Our field names back to the old body's, for its `{errors}` answer. */
const OLD_FIELD: Record<string, string> = { siret: 'siret', codeCog: 'code_cog', name: 'name', departement: 'departement', codePostal: 'code_postal', status: 'status' };

/** The old form sorted by name in the database's French collation; this order does not depend on ours. */
const byName = new Intl.Collator('fr', { sensitivity: 'variant', numeric: true });

export function legacyCollectivityOperations(deps: CollectivityDirectoryDeps): Operation[] {
  const flatBody = createCollectivityBodySchema({ allowTestSirets: deps.allowTestSirets });
  return [
    defineOperation({
      method: 'GET',
      path: '/api/collectivites',
      operationId: 'listerCollectivites',
      summary: 'Lister toutes les collectivités actives (tableau, par nom)',
      description: `${HISTORIC} Toutes les collectivités actives d’un coup, triées par nom. Pour des pages et plus de champs : \`GET ${V2}/collectivites\`.`,
      tag: TAG,
      version: 'historique',
      publicRead: true,
      access: { kind: 'public' },
      rateLimit: { max: 120, timeWindow: '1 minute' },
      responses: { 200: { description: 'Toutes les collectivités actives.', schema: z.array(legacyCollectivitySchema) }, 429: { description: 'Trop de requêtes.', schema: apiErrorSchema } },
      async handler(_input, _request, reply) {
        const all = await deps.collectivities.listActive();
        all.sort((a, b) => byName.compare(a.name, b.name) || (a.siret < b.siret ? -1 : 1));
        reply.header('cache-control', 'public, max-age=300');
        return all.map((c) => ({ siret: c.siret, name: c.name, code_cog: c.codeCog }));
      },
    }),
    defineOperation({
      method: 'GET',
      path: '/api/collectivites/{code_cog}',
      operationId: 'trouverCollectivite',
      summary: 'Trouver une collectivité active par son code COG (ou son SIRET)',
      description: `${HISTORIC} Un SIRET (14 chiffres) est aussi accepté, comme l’ancien service le cherchait. Pour nos réponses d’erreur : \`GET ${V2}/collectivites/{code_cog}\`.`,
      tag: TAG,
      version: 'historique',
      publicRead: true,
      access: { kind: 'public' },
      params: z.object({ code_cog: z.string().describe('Code officiel géographique (ex. 04107), ou SIRET.') }),
      rateLimit: { max: 120, timeWindow: '1 minute' },
      responses: {
        200: { description: 'La collectivité.', schema: legacyCollectivitySchema },
        404: { description: 'Aucune collectivité active pour ce code.', schema: legacyNotFoundSchema },
        429: { description: 'Trop de requêtes.', schema: apiErrorSchema },
      },
      async handler({ params }, _request, reply) {
        const code = params.code_cog.toUpperCase();
        const found = /^[0-9]{14}$/.test(code)
          ? await deps.collectivities.findActiveBySiret(code)
          : /^[0-9][0-9AB][0-9]{3}$/.test(code)
            ? await deps.collectivities.findActiveByCodeCog(code)
            : null;
        if (!found) return reply.code(404).type('application/json; charset=utf-8').send({ error: 'Collectivity not found' });
        reply.header('cache-control', 'public, max-age=300');
        return { siret: found.siret, name: found.name, code_cog: found.codeCog };
      },
    }),
    defineOperation({
      method: 'POST',
      path: '/api/collectivites',
      operationId: 'creerCollectivite',
      summary: 'Créer une collectivité (corps historique imbriqué, ou corps v2)',
      description:
        `Réservé à l’opérateur (jeton). Deux corps sont acceptés. Le corps historique \`{"collectivity": {…}}\` reçoit les réponses historiques ` +
        '(`201 {"collectivity": …}`, `409`/`422 {"errors": {champ: [raisons]}}`). Le corps à plat reçoit les réponses de ' +
        `\`POST ${V2}/collectivites\`, qui est son adresse désormais.`,
      tag: TAG,
      version: 'historique',
      access: { kind: 'operator' },
      historicUnauthorized: true,
      documentedBody: z.union([nestedBodySchema, flatBody]),
      rateLimit: { max: 30, timeWindow: '1 minute' },
      responses: {
        201: { description: 'Créée (forme selon le corps envoyé).', schema: z.union([legacyCreatedSchema, z.object({ siret: z.string(), name: z.string(), code_cog: z.string(), departement: z.string(), code_postal: z.string() })]) },
        400: { description: 'Corps illisible (JSON mal formé).', schema: apiErrorSchema },
        401: {
          description: `Jeton absent ou invalide : réponse historique en texte brut « ${HISTORIC_UNAUTHORIZED_BODY.trim()} », en-tête \`WWW-Authenticate: ${HISTORIC_WWW_AUTHENTICATE}\` (celle de l’ancien service).`,
          headers: { 'WWW-Authenticate': HISTORIC_WWW_AUTHENTICATE },
        },
        409: { description: 'Ce SIRET existe déjà.', schema: z.union([legacyErrorsSchema, apiErrorSchema]) },
        415: { description: 'Le corps n’est pas du JSON.', schema: apiErrorSchema },
        422: { description: 'Champs invalides.', schema: z.union([legacyErrorsSchema, apiErrorSchema]) },
        429: { description: 'Trop de requêtes.', schema: apiErrorSchema },
      },
      async handler(_input, request, reply) {
        const body: unknown = request.body;
        const nested = typeof body === 'object' && body !== null && !Array.isArray(body) && 'collectivity' in body;
        if (nested) {
          const parsed = nestedBodySchema.safeParse(body);
          if (!parsed.success) return legacyErrors(reply, 422, new RequestValidationError(parsed.error.issues).validation);
          const outcome = await createCollectivity(deps, parsed.data.collectivity);
          if (outcome.kind === 'invalid') return legacyErrors(reply, 422, outcome.fields.map((f) => ({ field: OLD_FIELD[f] ?? f, message: 'n’est pas valide' })));
          if (outcome.kind === 'exists') return legacyErrors(reply, 409, [{ field: 'siret', message: 'est déjà utilisé(e)' }]);
          request.log.info({ event: 'collectivity.created', siret: outcome.collectivity.siret, form: 'historique' }, 'collectivity created through the API');
          const c = outcome.collectivity;
          return reply
            .code(201)
            .header('location', `/api/collectivites/${c.codeCog}`)
            .send({
              collectivity: {
                id: outcome.id,
                siret: c.siret,
                name: c.name,
                code_cog: c.codeCog,
                status: c.status,
                editor: c.editor,
                departement: c.departement,
                code_postal: c.codePostal,
                created_at: outcome.createdAt.toISOString(),
                updated_at: outcome.updatedAt.toISOString(),
              },
            });
        }
        const parsed = flatBody.safeParse(body);
        if (!parsed.success) {
          const fields = Object.fromEntries(new RequestValidationError(parsed.error.issues).validation.map((v) => [v.field, v.message]));
          return sendApiError(reply, 422, 'INVALID_FIELDS', 'Certains champs sont invalides.', fields);
        }
        return answerFlatCreation(deps, parsed.data, request, reply);
      },
    }),
  ];
}

/** `{"errors": {"siret": ["est déjà utilisé(e)"]}}`, the old answer to a refused creation. */
function legacyErrors(reply: FastifyReply, status: 409 | 422, problems: readonly { field: string; message: string }[]) {
  const errors: Record<string, string[]> = {};
  for (const { field, message } of problems) (errors[field.replace(/^collectivity\./, '')] ??= []).push(message);
  return reply.code(status).type('application/json; charset=utf-8').send({ errors });
}
