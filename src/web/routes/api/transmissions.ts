import { z } from 'zod';
import type { CommuneTransmissions, FeedPosition, SitedTransmission } from '../../../db/repositories/commune-transmissions.ts';
import { SHIPMENT_STATUSES } from '../../../domain/shipment-status.ts';
import { apiErrorSchema, sendApiError } from './errors.ts';
import { defineOperation, type Operation } from './operation.ts';

/**
 * The transmissions of a commune and their statuses, for software that missed webhooks (its receiver was down)
 * and catches up: a feed by last change with a cursor and a `since` filter, and one transmission by reference.
 * Nothing personal: reference, the portal's external_id, statuses with their history, dates.
 */
const TAG = 'Transmissions';
const V2 = '/api/v2';

const transmissionSchema = z.object({
  reference: z.string().describe('La référence de la transmission (13 caractères), celle que la famille garde.'),
  siret: z.string().describe('La collectivité destinataire.'),
  external_id: z.string().nullable().describe('Le numéro de dossier donné par le portail de la commune, tel quel.'),
  status: z.enum(SHIPMENT_STATUSES).describe('pending, failed, SENT, SI_RECEIVED, IN_PROGRESS, DONE ou REFUSED.'),
  created_at: z.string(),
  sent_at: z.string().nullable().describe('Quand HubEE a reçu le dossier.'),
  status_updated_at: z.string().describe('Le dernier changement d’état (l’ordre de la liste).'),
  history: z.array(z.object({ status: z.enum(SHIPMENT_STATUSES), at: z.string() })).describe('Les états successifs, du plus ancien au plus récent.'),
  test: z.boolean().describe('Un dossier de test (personne fictive, envoyé à la demande) : à ne pas traiter comme celui d’une famille.'),
});

const pageSchema = z.object({
  data: z.array(transmissionSchema),
  next_cursor: z.string().nullable().describe('À passer en `cursor` pour la suite ; null quand tout est lu (à conserver pour la prochaine reprise : utilisez alors `since`).'),
});

/** A cursor is the last change read: its date to the millisecond and its reference, opaque to clients. */
export function encodeCursor(position: FeedPosition): string {
  return Buffer.from(`${position.at.toISOString()}|${position.reference}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): FeedPosition | null {
  const [at, reference, extra] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (extra !== undefined || !at || !reference || !/^[0-9A-F]{13}$/.test(reference)) return null;
  const date = new Date(at);
  return Number.isNaN(date.getTime()) || date.toISOString() !== at ? null : { at: date, reference };
}

const querySchema = z.strictObject({
  siret: z.string().regex(/^[0-9]{14}$/, 'Le SIRET comporte 14 chiffres.').optional().describe('Une seule collectivité (obligatoire pour l’opérateur) ; sinon toutes celles de la clé.'),
  since: z.iso.datetime({ offset: true, error: 'Une date ISO 8601 est attendue (ex. 2026-09-01T00:00:00Z).' }).optional().describe('Seulement les transmissions changées depuis cette date (incluse).'),
  cursor: z
    .string()
    .max(200)
    .refine((v) => decodeCursor(v) !== null, 'Ce curseur n’est pas valide.')
    .optional()
    .describe('Le `next_cursor` de la page précédente.'),
  limit: z.coerce.number().int().min(1).max(500).default(100).describe('Nombre de transmissions par page (1 à 500).'),
});

const referenceParams = z.object({ reference: z.string().regex(/^[0-9A-F]{13}$/, 'La référence comporte 13 caractères (chiffres et lettres A à F).') });

export function transmissionJson(t: SitedTransmission): z.infer<typeof transmissionSchema> {
  return {
    reference: t.reference,
    siret: t.siret,
    external_id: t.externalId,
    status: t.status,
    created_at: t.createdAt.toISOString(),
    sent_at: t.sentAt?.toISOString() ?? null,
    status_updated_at: t.statusUpdatedAt.toISOString(),
    history: t.history.map((h) => ({ status: h.status, at: h.at.toISOString() })),
    test: t.isTest,
  };
}

const unauthorized = { description: 'Jeton ou clé absent, invalide, expiré ou révoqué.', schema: apiErrorSchema };
const HIDDEN = { code: 'TRANSMISSION_NOT_FOUND', message: 'Aucune transmission n’a cette référence.' };

export function transmissionOperations(deps: { transmissions: CommuneTransmissions }): Operation[] {
  const { transmissions } = deps;
  return [
    defineOperation({
      method: 'GET',
      path: `${V2}/transmissions`,
      operationId: 'listerTransmissions',
      summary: 'Les transmissions de ses communes, par dernier changement d’état',
      description:
        'Du plus ancien changement au plus récent : suivre `next_cursor` jusqu’à null. Pour rattraper des webhooks manqués, reprendre avec `since` ' +
        '(la date du dernier changement lu) : chaque transmission changée depuis réapparaît avec son état et son historique.',
      tag: TAG,
      version: 'v2',
      access: {
        kind: 'organisation',
        targetDescription: 'La collectivité du paramètre `siret` ; sans lui, toutes celles de la clé.',
        target: async ({ query }) => (query.siret ? { kind: 'owner', owner: { kind: 'collectivity', siret: query.siret } } : { kind: 'unknown' }),
      },
      query: querySchema,
      rateLimit: { max: 120, timeWindow: '1 minute' },
      responses: {
        200: { description: 'Une page de transmissions.', schema: pageSchema },
        400: { description: 'Paramètre invalide.', schema: apiErrorSchema },
        401: unauthorized,
        403: { description: 'Cette clé n’agit pas pour cette collectivité.', schema: apiErrorSchema },
      },
      async handler({ query, caller }, _request, reply) {
        let sirets: readonly string[];
        if (query.siret) sirets = [query.siret];
        else if (caller.kind === 'organisation') sirets = caller.collectivities;
        else return sendApiError(reply, 400, 'INVALID_PARAMETER', 'Certains paramètres sont invalides.', { siret: 'Le jeton de l’opérateur doit nommer une collectivité.' });
        const cursor = query.cursor ? decodeCursor(query.cursor) : null;
        const page = await transmissions.feed(sirets, { since: query.since ? new Date(query.since) : null, after: cursor, limit: query.limit });
        const last = page.at(-1);
        reply.header('cache-control', 'no-store');
        return {
          data: page.map(transmissionJson),
          next_cursor: page.length === query.limit && last ? encodeCursor({ at: last.statusUpdatedAt, reference: last.reference }) : null,
        };
      },
    }),
    defineOperation({
      method: 'GET',
      path: `${V2}/transmissions/{reference}`,
      operationId: 'trouverTransmission',
      summary: 'Une transmission par sa référence, avec l’historique de ses états',
      tag: TAG,
      version: 'v2',
      access: {
        kind: 'organisation',
        targetDescription: 'La collectivité destinataire de la transmission.',
        target: async ({ params }) => {
          const found = await transmissions.findByReference(params.reference);
          return found ? { kind: 'owner', owner: { kind: 'collectivity', siret: found.siret } } : { kind: 'unknown' };
        },
        hiddenAs: HIDDEN,
      },
      params: referenceParams,
      responses: {
        200: { description: 'La transmission.', schema: transmissionSchema },
        400: { description: 'Référence invalide.', schema: apiErrorSchema },
        401: unauthorized,
        404: { description: 'Aucune transmission de ses communes n’a cette référence.', schema: apiErrorSchema },
      },
      async handler({ params }, _request, reply) {
        const found = await transmissions.findByReference(params.reference);
        reply.header('cache-control', 'no-store');
        return found ? transmissionJson(found) : sendApiError(reply, 404, HIDDEN.code, HIDDEN.message);
      },
    }),
  ];
}
