import { z } from 'zod';
import { storableString } from '../../../domain/text.ts';
import type { WebhookDelivery, WebhookEndpoint, WebhookService } from '../../../webhooks/index.ts';
import { WEBHOOK_EVENT_TYPES } from '../../../webhooks/index.ts';
import { apiErrorSchema, sendApiError } from './errors.ts';
import { mayActFor } from './authorization.ts';
import { defineOperation, type ApiCaller, type Operation, type ResourceOwner, type TargetLookup } from './operation.ts';

/**
 * The API for outgoing webhooks: register an endpoint for a collectivity or an éditeur, see it, enable or
 * disable it, read its delivery log and replay a delivery. The operator reaches every endpoint; an organisation's
 * key only its own communes' endpoints (and an éditeur's, its own): another's are "unknown".
 */
const ownerSchema = z.union([
  z.strictObject({ siret: z.string().regex(/^[0-9]{14}$/, 'Le SIRET comporte 14 chiffres.').describe('SIRET de la collectivité.') }),
  z.strictObject({ editeur: storableString().trim().min(1).max(200).describe('Nom de l’éditeur, tel que DataPass le donne.') }),
]);

const eventsSchema = z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1, 'Au moins un événement.').describe('transmission.sent, transmission.status_changed.');

export const createWebhookBodySchema = z.strictObject({
  owner: ownerSchema.describe('À qui appartient le webhook : `{"siret": …}` (collectivité) ou `{"editeur": …}`.'),
  url: storableString().max(2000).describe('Adresse https du récepteur.'),
  events: eventsSchema,
  description: storableString({ allowLineBreaks: true }).max(500).optional(),
  secret: storableString().max(200).optional().describe('`whsec_…` ; engendré quand il est absent.'),
});

const endpointSchema = z.object({
  id: z.string(),
  owner: z.union([z.object({ siret: z.string() }), z.object({ editeur: z.string() })]),
  url: z.string(),
  events: z.array(z.string()),
  description: z.string().nullable(),
  status: z.enum(['active', 'disabled']),
  disabled_reason: z.string().nullable().describe('Pourquoi il est désactivé (échecs continus pendant toute la fenêtre de réessai, ou l’opérateur).'),
  disabled_at: z.string().nullable(),
  failing_since: z.string().nullable().describe('Depuis quand ses livraisons échouent ; null quand tout va bien.'),
  previous_secret_valid_until: z.string().nullable().describe('Après un changement de secret, jusqu’à quand l’ancien signe aussi chaque message ; null sinon.'),
  created_at: z.string(),
});

const createdSchema = endpointSchema.extend({ secret: z.string().describe('Le secret de signature, montré cette fois seulement.') });

const deliverySchema = z.object({
  id: z.string().describe('L’en-tête webhook-id, le même à chaque tentative.'),
  endpoint_id: z.string(),
  event_type: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number(),
  last_status_code: z.number().nullable().describe('Le code HTTP de la dernière réponse du récepteur.'),
  last_error: z.string().nullable(),
  next_attempt_at: z.string().nullable(),
  created_at: z.string(),
  delivered_at: z.string().nullable(),
});

const deliveryDetailSchema = deliverySchema.extend({
  body: z.string().describe('Le corps envoyé, tel quel (aucune donnée personnelle).'),
  log: z.array(z.object({ at: z.string(), status_code: z.number().nullable(), error: z.string().nullable(), duration_ms: z.number() })),
});

const idParams = z.object({ id: z.string().uuid('Identifiant de webhook invalide.') });
const deliveryParams = z.object({ delivery_id: z.string().regex(/^msg_[0-9a-f]{32}$/, 'Identifiant de livraison invalide.') });
const emptyBody = z.strictObject({});

export function endpointJson(e: WebhookEndpoint): z.infer<typeof endpointSchema> {
  return {
    id: e.id,
    owner: e.owner.kind === 'collectivity' ? { siret: e.owner.siret } : { editeur: e.owner.name },
    url: e.url,
    events: e.events,
    description: e.description,
    status: e.status,
    disabled_reason: e.disabledReason,
    disabled_at: e.disabledAt?.toISOString() ?? null,
    failing_since: e.failingSince?.toISOString() ?? null,
    previous_secret_valid_until: e.previousSecretUntil?.toISOString() ?? null,
    created_at: e.createdAt.toISOString(),
  };
}

export function deliveryJson(d: WebhookDelivery): z.infer<typeof deliverySchema> {
  return {
    id: d.id,
    endpoint_id: d.endpointId,
    event_type: d.eventType,
    status: d.status,
    attempts: d.attempts,
    last_status_code: d.lastStatusCode,
    last_error: d.lastError,
    next_attempt_at: d.status === 'pending' ? d.nextAttemptAt.toISOString() : null,
    created_at: d.createdAt.toISOString(),
    delivered_at: d.deliveredAt?.toISOString() ?? null,
  };
}

const TAG = 'Webhooks';
const unauthorized = { description: 'Jeton ou clé absent, invalide, expiré ou révoqué.', schema: apiErrorSchema };
const forbidden = { description: 'Cette clé n’agit pas pour cette collectivité.', schema: apiErrorSchema };

const ownerOf = (e: WebhookEndpoint): ResourceOwner => (e.owner.kind === 'collectivity' ? { kind: 'collectivity', siret: e.owner.siret } : { kind: 'editeur', name: e.owner.name });
const ENDPOINT_HIDDEN = { code: 'WEBHOOK_NOT_FOUND', message: 'Ce webhook est inconnu.' };
const DELIVERY_HIDDEN = { code: 'DELIVERY_NOT_FOUND', message: 'Cette livraison est inconnue.' };
const OWNED_BY = 'Le propriétaire du webhook (une collectivité de la clé, ou l’éditeur de la clé).';
const notFound = { description: 'Inconnu.', schema: apiErrorSchema };
const invalid = { description: 'Champs invalides (détail dans `fields`).', schema: apiErrorSchema };

export function webhookOperations(deps: { webhooks: WebhookService }): Operation[] {
  const { webhooks } = deps;
  const findOr404 = async (id: string) => webhooks.findEndpoint(id);
  const endpointTarget = async ({ params }: { params: { id: string } }): Promise<TargetLookup> => {
    const found = await webhooks.findEndpoint(params.id);
    return found ? { kind: 'owner', owner: ownerOf(found) } : { kind: 'unknown' };
  };
  const deliveryTarget = async ({ params }: { params: { delivery_id: string } }): Promise<TargetLookup> => {
    const delivery = await webhooks.findDelivery(params.delivery_id);
    const endpoint = delivery ? await webhooks.findEndpoint(delivery.endpointId) : null;
    return endpoint ? { kind: 'owner', owner: ownerOf(endpoint) } : { kind: 'unknown' };
  };
  const visibleTo = (caller: ApiCaller) => (e: WebhookEndpoint) => mayActFor(caller, ownerOf(e));
  return [
    defineOperation({
      method: 'POST',
      path: '/api/webhooks',
      operationId: 'creerWebhook',
      summary: 'Enregistrer un webhook pour une collectivité ou un éditeur',
      description:
        'Une clé d’organisation enregistre des webhooks pour ses communes (`{"siret": …}`) ; celle d’un éditeur aussi pour lui-même (`{"editeur": …}`, son identifiant DataPass). Les messages sont signés selon Standard Webhooks (en-têtes webhook-id, webhook-timestamp, webhook-signature). Une adresse menant à un réseau privé ou local est refusée en production.',
      tag: TAG,
      access: {
        kind: 'organisation',
        targetDescription: 'Le propriétaire donné dans le corps (`owner`).',
        target: async ({ body }) => ({ kind: 'owner', owner: 'siret' in body.owner ? { kind: 'collectivity', siret: body.owner.siret } : { kind: 'editeur', name: body.owner.editeur } }),
      },
      body: createWebhookBodySchema,
      rateLimit: { max: 30, timeWindow: '1 minute' },
      responses: { 201: { description: 'Enregistré ; le secret n’est plus jamais montré.', schema: createdSchema }, 401: unauthorized, 403: forbidden, 404: notFound, 415: { description: 'Le corps n’est pas du JSON.', schema: apiErrorSchema }, 422: invalid },
      async handler({ body }, request, reply) {
        const owner = 'siret' in body.owner ? { kind: 'collectivity' as const, siret: body.owner.siret } : { kind: 'editeur' as const, name: body.owner.editeur };
        const result = await webhooks.register({ owner, url: body.url, events: body.events, description: body.description ?? null, ...(body.secret !== undefined ? { secret: body.secret } : {}) });
        if (!result.ok) {
          const field = { INVALID_URL: 'url', TARGET_REFUSED: 'url', INVALID_EVENTS: 'events', INVALID_OWNER: 'owner', UNKNOWN_COLLECTIVITY: 'owner', INVALID_SECRET: 'secret', INVALID_DESCRIPTION: 'description' }[result.error.code];
          if (result.error.code === 'UNKNOWN_COLLECTIVITY') return sendApiError(reply, 404, result.error.code, result.error.message);
          return sendApiError(reply, 422, result.error.code, result.error.message, { [field]: result.error.message });
        }
        request.log.info({ event: 'api.webhook_created', endpointId: result.endpoint.id }, 'webhook endpoint created');
        reply.code(201).header('location', `/api/webhooks/${result.endpoint.id}`);
        return { ...endpointJson(result.endpoint), secret: result.secret };
      },
    }),
    defineOperation({
      method: 'GET',
      path: '/api/webhooks',
      operationId: 'listerWebhooks',
      summary: 'Lister les webhooks (les désactivés d’abord visibles par `status`)',
      description: 'Avec une clé d’organisation : les webhooks de ses communes (et de l’éditeur), ceux des autres n’apparaissent pas.',
      tag: TAG,
      access: { kind: 'organisation', targetDescription: 'Les webhooks des organisations de la clé.' },
      query: z.strictObject({
        status: z.enum(['active', 'disabled']).optional(),
        siret: z.string().regex(/^[0-9]{14}$/, 'Le SIRET comporte 14 chiffres.').optional().describe('Ne garder que les webhooks de cette collectivité.'),
      }),
      responses: { 200: { description: 'Les webhooks.', schema: z.object({ data: z.array(endpointSchema) }) }, 400: { description: 'Paramètre invalide.', schema: apiErrorSchema }, 401: unauthorized },
      async handler({ query, caller }) {
        const list = await webhooks.listEndpoints(query.status ? { status: query.status } : {});
        const mine = list.filter(visibleTo(caller)).filter((e) => !query.siret || (e.owner.kind === 'collectivity' && e.owner.siret === query.siret));
        return { data: mine.map(endpointJson) };
      },
    }),
    defineOperation({
      method: 'GET',
      path: '/api/webhooks/{id}',
      operationId: 'trouverWebhook',
      summary: 'Un webhook',
      tag: TAG,
      access: { kind: 'organisation', targetDescription: OWNED_BY, target: endpointTarget, hiddenAs: ENDPOINT_HIDDEN },
      params: idParams,
      responses: { 200: { description: 'Le webhook.', schema: endpointSchema }, 400: { description: 'Identifiant invalide.', schema: apiErrorSchema }, 401: unauthorized, 404: notFound },
      async handler({ params }, _request, reply) {
        const found = await findOr404(params.id);
        return found ? endpointJson(found) : sendApiError(reply, 404, 'WEBHOOK_NOT_FOUND', 'Ce webhook est inconnu.');
      },
    }),
    ...(['enable', 'disable'] as const).map((action) =>
      defineOperation({
        method: 'POST',
        path: `/api/webhooks/{id}/${action}`,
        operationId: action === 'enable' ? 'activerWebhook' : 'desactiverWebhook',
        summary: action === 'enable' ? 'Remettre en service un webhook (ses échecs passés sont oubliés)' : 'Désactiver un webhook',
        tag: TAG,
        access: { kind: 'organisation', targetDescription: OWNED_BY, target: endpointTarget, hiddenAs: ENDPOINT_HIDDEN },
        params: idParams,
        body: emptyBody,
        responses: { 200: { description: 'Le webhook.', schema: endpointSchema }, 401: unauthorized, 404: notFound },
        async handler({ params }, _request, reply) {
          const result = await webhooks.update(params.id, { status: action === 'enable' ? 'active' : 'disabled' });
          return result.ok ? endpointJson(result.endpoint) : sendApiError(reply, 404, 'WEBHOOK_NOT_FOUND', 'Ce webhook est inconnu.');
        },
      }),
    ),
    defineOperation({
      method: 'POST',
      path: '/api/webhooks/{id}/test',
      operationId: 'envoyerEvenementDeTest',
      summary: 'Envoyer un événement de test (`webhook.test`) à ce webhook seul',
      description: 'Corps : `{}`. Signé et journalisé comme les autres livraisons ; aucune transmission ne lui correspond.',
      tag: TAG,
      access: { kind: 'organisation', targetDescription: OWNED_BY, target: endpointTarget, hiddenAs: ENDPOINT_HIDDEN },
      params: idParams,
      body: emptyBody,
      rateLimit: { max: 30, timeWindow: '1 minute' },
      responses: { 202: { description: 'En file ; suivez-le dans les livraisons.', schema: z.object({ status: z.literal('queued'), delivery_id: z.string() }) }, 401: unauthorized, 404: notFound, 409: { description: 'Le webhook est désactivé.', schema: apiErrorSchema } },
      async handler({ params }, _request, reply) {
        const outcome = await webhooks.sendTestEvent(params.id);
        if (outcome.kind === 'not_found') return sendApiError(reply, 404, 'WEBHOOK_NOT_FOUND', 'Ce webhook est inconnu.');
        if (outcome.kind === 'endpoint_disabled') return sendApiError(reply, 409, 'WEBHOOK_DISABLED', 'Ce webhook est désactivé : remettez-le en service avant d’envoyer un test.');
        reply.header('location', `/api/webhooks/deliveries/${outcome.deliveryId}`);
        return reply.code(202).send({ status: 'queued' as const, delivery_id: outcome.deliveryId });
      },
    }),
    defineOperation({
      method: 'POST',
      path: '/api/webhooks/{id}/rotate-secret',
      operationId: 'changerSecretWebhook',
      summary: 'Changer le secret de signature (l’ancien signe encore pendant la période de transition)',
      description:
        'Corps : `{}`. Le nouveau secret n’est montré qu’une fois. Jusqu’à `previous_secret_valid_until` (24 h par défaut), chaque message porte deux signatures dans `webhook-signature` (séparées par une espace) : votre récepteur accepte les messages avec l’ancien comme avec le nouveau secret, passez de l’un à l’autre quand vous voulez.',
      tag: TAG,
      access: { kind: 'organisation', targetDescription: OWNED_BY, target: endpointTarget, hiddenAs: ENDPOINT_HIDDEN },
      params: idParams,
      body: emptyBody,
      rateLimit: { max: 10, timeWindow: '1 minute' },
      responses: { 200: { description: 'Le webhook et son nouveau secret, montré cette fois seulement.', schema: createdSchema }, 401: unauthorized, 404: notFound },
      async handler({ params }, request, reply) {
        const outcome = await webhooks.rotateSecret(params.id);
        if (outcome.kind === 'not_found') return sendApiError(reply, 404, 'WEBHOOK_NOT_FOUND', 'Ce webhook est inconnu.');
        request.log.info({ event: 'api.webhook_secret_rotated', endpointId: params.id }, 'webhook secret rotated');
        reply.header('cache-control', 'no-store');
        return { ...endpointJson(outcome.endpoint), secret: outcome.secret };
      },
    }),
    defineOperation({
      method: 'GET',
      path: '/api/webhooks/{id}/deliveries',
      operationId: 'listerLivraisons',
      summary: 'Les dernières livraisons d’un webhook, avec le code HTTP reçu',
      tag: TAG,
      access: { kind: 'organisation', targetDescription: OWNED_BY, target: endpointTarget, hiddenAs: ENDPOINT_HIDDEN },
      params: idParams,
      responses: { 200: { description: 'Les 100 dernières livraisons.', schema: z.object({ data: z.array(deliverySchema) }) }, 401: unauthorized, 404: notFound },
      async handler({ params }, _request, reply) {
        if (!(await findOr404(params.id))) return sendApiError(reply, 404, 'WEBHOOK_NOT_FOUND', 'Ce webhook est inconnu.');
        return { data: (await webhooks.listDeliveries(params.id, 100)).map(deliveryJson) };
      },
    }),
    defineOperation({
      method: 'GET',
      path: '/api/webhooks/deliveries/{delivery_id}',
      operationId: 'trouverLivraison',
      summary: 'Une livraison et le journal de ses tentatives',
      tag: TAG,
      access: { kind: 'organisation', targetDescription: 'Le propriétaire du webhook de la livraison.', target: deliveryTarget, hiddenAs: DELIVERY_HIDDEN },
      params: deliveryParams,
      responses: { 200: { description: 'La livraison.', schema: deliveryDetailSchema }, 401: unauthorized, 404: notFound },
      async handler({ params }, _request, reply) {
        const found = await webhooks.findDelivery(params.delivery_id);
        if (!found) return sendApiError(reply, 404, 'DELIVERY_NOT_FOUND', 'Cette livraison est inconnue.');
        return {
          ...deliveryJson(found),
          body: found.body,
          log: found.log.map((a) => ({ at: a.at.toISOString(), status_code: a.statusCode, error: a.error, duration_ms: a.durationMs })),
        };
      },
    }),
    defineOperation({
      method: 'POST',
      path: '/api/webhooks/deliveries/{delivery_id}/replay',
      operationId: 'rejouerLivraison',
      summary: 'Rejouer une livraison (même webhook-id, nouvelle fenêtre de réessai)',
      description: 'Corps : `{}`. Le webhook doit être actif.',
      tag: TAG,
      access: { kind: 'organisation', targetDescription: 'Le propriétaire du webhook de la livraison.', target: deliveryTarget, hiddenAs: DELIVERY_HIDDEN },
      params: deliveryParams,
      body: emptyBody,
      responses: { 202: { description: 'Remise en file.', schema: z.object({ status: z.literal('queued') }) }, 401: unauthorized, 404: notFound, 409: { description: 'Le webhook est désactivé.', schema: apiErrorSchema } },
      async handler({ params }, request, reply) {
        const outcome = await webhooks.replay(params.delivery_id);
        if (outcome.kind === 'not_found') return sendApiError(reply, 404, 'DELIVERY_NOT_FOUND', 'Cette livraison est inconnue.');
        if (outcome.kind === 'endpoint_disabled') return sendApiError(reply, 409, 'WEBHOOK_DISABLED', 'Ce webhook est désactivé : remettez-le en service avant de rejouer.');
        request.log.info({ event: 'api.webhook_replayed', deliveryId: params.delivery_id }, 'webhook delivery replayed');
        return reply.code(202).send({ status: 'queued' as const });
      },
    }),
  ];
}
