import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { storableString } from '../../../domain/text.ts';
import type { CollectivityDirectory, DirectoryEntry } from '../../../db/repositories/collectivity-directory.ts';
import type { CollectivityRepository } from '../../../db/repositories/collectivities.ts';
import { normalizeSearchText, parseCollectivity, type Collectivity, type CollectivityField } from '../../../domain/collectivity.ts';
import { departementOfCodeCog, parseCodeCog, parseSiret } from '../../../domain/siret.ts';
import { apiErrorSchema, sendApiError } from './errors.ts';
import { defineOperation, type Operation } from './operation.ts';

const CODE_COG_PATTERN = /^(?:0[1-9]|1[0-9]|2[1-9AB]|[3-9][0-9])[0-9]{3}$/;
const DEPARTEMENT_PATTERN = /^(?:0[1-9]|1[0-9]|2[1-9AB]|[3-8][0-9]|9[0-5]|97[1-8]|98[46789])$/;

export const collectivitySchema = z.object({
  siret: z.string().describe('SIRET de la collectivité (14 chiffres).'),
  name: z.string().describe('Nom de la collectivité.'),
  code_cog: z.string().describe('Code officiel géographique (INSEE) de la commune.'),
  departement: z.string().describe('Code du département.'),
  code_postal: z.string().describe('Code postal de la mairie.'),
});

export const collectivityPageSchema = z.object({
  data: z.array(collectivitySchema),
  next_cursor: z.string().nullable().describe('À passer en `after` pour la page suivante ; null sur la dernière page.'),
});

export const listQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(500).describe('Nombre de collectivités par page (1 à 1000).'),
  after: z.string().regex(/^[0-9]{14}$/, 'Le curseur est un SIRET de 14 chiffres.').optional().describe('Le `next_cursor` de la page précédente.'),
  departement: z.string().regex(DEPARTEMENT_PATTERN, 'Ce code de département n’existe pas.').optional().describe('Ne garder que ce département.'),
});

export const codeCogParamsSchema = z.object({
  code_cog: z.string().regex(CODE_COG_PATTERN, 'Le code COG comporte 5 caractères (ex. 04107, 2A004).').describe('Code officiel géographique (ex. 04107).'),
});

/** The creation body; `allowTestSirets` accepts HubEE's test organisations outside production. */
export function createCollectivityBodySchema(options: { allowTestSirets: boolean }) {
  return z
    .strictObject({
      siret: z
        .string({ error: 'Le SIRET est obligatoire.' })
        .regex(/^[0-9]{14}$/, 'Le SIRET comporte 14 chiffres.')
        .refine((v) => parseSiret(v, { allowTestSirets: options.allowTestSirets }).ok, 'Ce SIRET n’est pas valide (clé de contrôle).')
        .describe('SIRET (14 chiffres, clé de Luhn ; La Poste selon sa règle propre).'),
      name: storableString({ error: 'Le nom est obligatoire.' }).trim().min(1, 'Le nom est obligatoire.').max(200, 'Le nom est trop long.').describe('Nom de la collectivité.'),
      code_cog: z.string({ error: 'Le code COG est obligatoire.' }).regex(CODE_COG_PATTERN, 'Le code COG comporte 5 caractères (ex. 04107, 2A004).').describe('Code officiel géographique.'),
      code_postal: z.string({ error: 'Le code postal est obligatoire.' }).regex(/^[0-9]{5}$/, 'Le code postal comporte 5 chiffres.').describe('Code postal de la mairie.'),
      departement: z.string().regex(DEPARTEMENT_PATTERN, 'Ce code de département n’existe pas.').optional().describe('Déduit du code COG s’il est absent.'),
      editor: storableString().trim().min(1).max(100).nullable().optional().describe('Identifiant DataPass de l’éditeur qui reçoit les dossiers, le cas échéant.'),
      allowed_redirect_prefixes: z
        .array(
          z
            .url({ protocol: /^https$/, error: 'Une adresse https:// est attendue.' })
            .refine((v) => !v.includes('?') && !v.includes('#'), 'Une adresse sans paramètres ni ancre est attendue.'),
        )
        .max(20)
        .optional()
        .describe('Préfixes d’adresses de retour (`redirect_uri`) permis pour cette collectivité.'),
    })
    .superRefine((body, ctx) => {
      const cog = parseCodeCog(body.code_cog);
      if (body.departement !== undefined && cog.ok && departementOfCodeCog(cog.value) !== body.departement) {
        ctx.addIssue({ code: 'custom', path: ['departement'], message: 'Le département ne correspond pas au code COG.' });
      }
    });
}

export const V2 = '/api/v2';
const V2_TAG = 'Collectivités (v2)';

export const toJson = (c: Pick<DirectoryEntry, 'siret' | 'name' | 'codeCog' | 'departement' | 'codePostal'>): z.infer<typeof collectivitySchema> => ({
  siret: c.siret,
  name: c.name,
  code_cog: c.codeCog,
  departement: c.departement,
  code_postal: c.codePostal,
});

export type CollectivityDirectoryDeps = { collectivities: CollectivityRepository; directory: CollectivityDirectory; allowTestSirets: boolean };

/** What both forms of the creation body carry, once read. */
export interface CreationFields {
  siret: string;
  name: string;
  code_cog: string;
  code_postal?: string | undefined;
  departement?: string | undefined;
  status: 'active' | 'inactive';
  editor?: string | null | undefined;
  allowed_redirect_prefixes?: readonly string[] | undefined;
}

export type CreationOutcome =
  | { kind: 'created'; collectivity: Collectivity; id: number; createdAt: Date; updatedAt: Date }
  | { kind: 'exists' }
  | { kind: 'invalid'; fields: readonly CollectivityField[] };

/** The creation itself, whichever body form asked for it: the domain's checks, then an insert that refuses a known SIRET. */
export async function createCollectivity(deps: Pick<CollectivityDirectoryDeps, 'directory' | 'allowTestSirets'>, body: CreationFields): Promise<CreationOutcome> {
  const cog = parseCodeCog(body.code_cog);
  const parsed = parseCollectivity(
    {
      siret: body.siret,
      codeCog: body.code_cog,
      name: body.name,
      departement: body.departement ?? (cog.ok ? departementOfCodeCog(cog.value) : null) ?? '',
      codePostal: body.code_postal ?? '',
      status: body.status,
      editor: body.editor ?? null,
      allowedRedirectPrefixes: body.allowed_redirect_prefixes ?? [],
    },
    { allowTestSirets: deps.allowTestSirets },
  );
  if (!parsed.ok) return { kind: 'invalid', fields: parsed.error };
  const c = parsed.value;
  const created = await deps.directory.insertNew({ ...c, allowedRedirectPrefixes: [...c.allowedRedirectPrefixes] }, normalizeSearchText(c.name));
  return created ? { kind: 'created', collectivity: c, ...created } : { kind: 'exists' };
}

/** The v2 answers to a flat creation body, already validated by its schema. */
export async function answerFlatCreation(
  deps: Pick<CollectivityDirectoryDeps, 'directory' | 'allowTestSirets'>,
  body: z.output<ReturnType<typeof createCollectivityBodySchema>>,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const outcome = await createCollectivity(deps, { ...body, status: 'active' });
  switch (outcome.kind) {
    case 'invalid':
      // The schema checks the same rules; this is the domain's word, kept as the last guard.
      return sendApiError(reply, 422, 'INVALID_FIELDS', 'Certains champs sont invalides.', Object.fromEntries(outcome.fields.map((f) => [f, 'Valeur invalide.'])));
    case 'exists':
      return sendApiError(reply, 409, 'SIRET_EXISTS', 'Une collectivité a déjà ce SIRET.');
    case 'created':
      request.log.info({ event: 'collectivity.created', siret: outcome.collectivity.siret }, 'collectivity created through the API');
      return reply.code(201).header('location', `${V2}/collectivites/${outcome.collectivity.codeCog}`).send(toJson(outcome.collectivity));
  }
}

const badRequest = { description: 'Paramètre invalide.', schema: apiErrorSchema };
const tooMany = { description: 'Trop de requêtes : réessayer plus tard.', schema: apiErrorSchema };

/** The current API, under /api/v2: pages, our error bodies, the flat creation body. */
export function collectivityOperations(deps: CollectivityDirectoryDeps): Operation[] {
  return [
    defineOperation({
      method: 'GET',
      path: `${V2}/collectivites`,
      operationId: 'listerCollectivitesV2',
      summary: 'Lister les collectivités actives, page par page',
      description:
        'Par SIRET croissant, page par page : suivre `next_cursor` jusqu’à ce qu’il soit null. La pagination a son propre chemin versionné ' +
        'plutôt qu’un paramètre de `/api/collectivites` : une même adresse garde ainsi une seule forme de réponse (le tableau historique ' +
        'pour les consommateurs existants), que les caches et les clients générés depuis ce document ne peuvent pas confondre.',
      tag: V2_TAG,
      version: 'v2',
      publicRead: true,
      access: { kind: 'public' },
      query: listQuerySchema,
      rateLimit: { max: 120, timeWindow: '1 minute' },
      responses: { 200: { description: 'Une page de collectivités.', schema: collectivityPageSchema, headers: { Link: 'La page suivante (rel="next").' } }, 400: badRequest, 429: tooMany },
      async handler({ query }, _request, reply) {
        const page = await deps.directory.pageOfActive({ after: query.after ?? null, limit: query.limit, departement: query.departement ?? null });
        if (page.nextAfter !== null) {
          const next = new URLSearchParams({ limit: String(query.limit), after: page.nextAfter, ...(query.departement ? { departement: query.departement } : {}) });
          reply.header('link', `<${V2}/collectivites?${next}>; rel="next"`);
        }
        reply.header('cache-control', 'public, max-age=300');
        return { data: page.entries.map(toJson), next_cursor: page.nextAfter };
      },
    }),
    defineOperation({
      method: 'GET',
      path: `${V2}/collectivites/{code_cog}`,
      operationId: 'trouverCollectiviteV2',
      summary: 'Trouver une collectivité active par son code COG',
      tag: V2_TAG,
      version: 'v2',
      publicRead: true,
      access: { kind: 'public' },
      params: codeCogParamsSchema,
      responses: {
        200: { description: 'La collectivité.', schema: collectivitySchema },
        400: badRequest,
        404: { description: 'Aucune collectivité active pour ce code.', schema: apiErrorSchema },
        429: tooMany,
      },
      async handler({ params }, _request, reply) {
        const found = await deps.collectivities.findActiveByCodeCog(params.code_cog);
        if (!found) return sendApiError(reply, 404, 'COLLECTIVITY_NOT_FOUND', 'Aucune collectivité active n’a ce code COG.');
        reply.header('cache-control', 'public, max-age=300');
        return toJson(found);
      },
    }),
    defineOperation({
      method: 'POST',
      path: `${V2}/collectivites`,
      operationId: 'creerCollectiviteV2',
      summary: 'Créer une collectivité (active)',
      description: 'Réservé à l’opérateur (jeton). Le corps est en JSON ; tous les champs refusés sont signalés ensemble.',
      tag: V2_TAG,
      version: 'v2',
      access: { kind: 'operator' },
      body: createCollectivityBodySchema({ allowTestSirets: deps.allowTestSirets }),
      rateLimit: { max: 30, timeWindow: '1 minute' },
      responses: {
        201: { description: 'Créée.', schema: collectivitySchema, headers: { Location: 'Son adresse dans l’API.' } },
        400: { description: 'Corps illisible (JSON mal formé).', schema: apiErrorSchema },
        401: { description: 'Jeton absent ou invalide.', schema: apiErrorSchema },
        409: { description: 'Ce SIRET existe déjà.', schema: apiErrorSchema },
        415: { description: 'Le corps n’est pas du JSON.', schema: apiErrorSchema },
        422: { description: 'Champs invalides (détail dans `fields`).', schema: apiErrorSchema },
        429: tooMany,
      },
      handler: ({ body }, request, reply) => answerFlatCreation(deps, body, request, reply),
    }),
  ];
}
