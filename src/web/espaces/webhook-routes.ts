import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import type { WebhookEndpoint } from '../../webhooks/index.ts';
import { sendPage } from '../routes/send-page.ts';
import type { Space, SpaceMember } from './space.ts';
import { DeliveriesSection, WebhooksSection, type WebhooksSectionProps } from './WebhooksSection.tsx';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DELIVERY = /^msg_[0-9a-f]{32}$/;

const NOTICES: Record<string, { type: 'success'; text: string }> = {
  etat: { type: 'success', text: 'L’état du webhook est changé.' },
  test: { type: 'success', text: 'Événement de test envoyé : suivez-le dans les livraisons du webhook.' },
};

const listOf = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' ? [value] : []);

/**
 * The webhooks pages of a space (administrators only): the endpoints of its communes, registration for one or
 * several communes at once (each its own secret, shown once), disable and enable, a test event, a new secret (the
 * old one signing too during the grace period), the delivery log and replay.
 * An endpoint of a commune the member does not act for is "unknown".
 */
export async function webhookPageRoutes<M extends SpaceMember>(app: FastifyInstance, context: AppContext, space: Space<M>): Promise<void> {
  const { webhooks } = context;
  const base = `${space.basePath}/webhooks`;
  const ownedBy = (member: SpaceMember) => (e: WebhookEndpoint) => {
    const { owner } = e;
    return owner.kind === 'collectivity' && member.communes.some((c) => c.siret === owner.siret);
  };
  const endpointsOf = async (member: SpaceMember) => (await webhooks.listEndpoints()).filter(ownedBy(member));
  const render = async (member: M, extra: Partial<WebhooksSectionProps> = {}, isError = false) =>
    space.page(member, {
      title: 'Webhooks',
      section: 'webhooks',
      isError,
      children: WebhooksSection({ basePath: space.basePath, csrfToken: member.csrfToken, communes: member.communes, endpoints: await endpointsOf(member), ...extra }),
    });
  const journal = (member: SpaceMember, action: 'webhook_created' | 'webhook_status_changed' | 'webhook_test_sent' | 'webhook_secret_rotated', detail: string) =>
    member.journal.record({ siret: member.owner.siret, actorKind: 'agent', actor: member.actorEmail, action, detail });
  /** The member's endpoint of this id, or null when a 404 was sent. */
  const ownEndpoint = async (request: FastifyRequest, reply: FastifyReply, member: SpaceMember, id: string) => {
    const found = UUID.test(id) ? await webhooks.findEndpoint(id) : null;
    if (found && ownedBy(member)(found)) return found;
    await context.renderError(request, reply, 404);
    return null;
  };

  app.get<{ Querystring: { fait?: unknown } }>(base, async (request, reply) => {
    const member = await space.guard(request, reply, { administrator: true });
    if (!member) return reply;
    const notice = NOTICES[String(request.query.fait)];
    return sendPage(reply, await render(member, notice ? { notice } : {}));
  });

  app.post<{ Body: { url?: unknown; communes?: unknown; evenements?: unknown } | undefined }>(base, { preHandler: app.csrfProtection }, async (request, reply) => {
    const member = await space.guard(request, reply, { administrator: true });
    if (!member) return reply;
    const url = typeof request.body?.url === 'string' ? request.body.url.trim().slice(0, 2000) : '';
    const chosen = listOf(request.body?.communes);
    const events = listOf(request.body?.evenements);
    const communes = member.communes.filter((c) => chosen.includes(c.siret));
    if (communes.length === 0 || communes.length !== new Set(chosen).size) {
      return sendPage(reply.code(400), await render(member, { communesError: 'Choisissez au moins une de vos communes.', urlValue: url }, true));
    }
    const created: { commune: string; url: string; secret: string }[] = [];
    for (const commune of communes) {
      const result = await webhooks.register({ owner: { kind: 'collectivity', siret: commune.siret }, url, events });
      if (!result.ok) {
        const text = result.error.code === 'INVALID_EVENTS' ? 'Choisissez au moins un événement.' : result.error.message;
        return sendPage(reply.code(400), await render(member, { urlError: text, urlValue: url, ...(created.length > 0 ? { created } : {}) }, true));
      }
      await journal(member, 'webhook_created', `${commune.siret} ${result.endpoint.id}`);
      created.push({ commune: commune.name, url: result.endpoint.url, secret: result.secret });
    }
    return sendPage(reply, await render(member, { created }));
  });

  for (const [action, status] of [['desactiver', 'disabled'], ['activer', 'active']] as const) {
    app.post<{ Params: { id: string } }>(`${base}/:id/${action}`, { preHandler: app.csrfProtection }, async (request, reply) => {
      const member = await space.guard(request, reply, { administrator: true });
      if (!member) return reply;
      const endpoint = await ownEndpoint(request, reply, member, request.params.id);
      if (!endpoint) return reply;
      await webhooks.update(endpoint.id, { status });
      await journal(member, 'webhook_status_changed', `${endpoint.id} ${status}`);
      return reply.redirect(`${base}?fait=etat`, 303);
    });
  }

  app.post<{ Params: { id: string } }>(`${base}/:id/tester`, { preHandler: app.csrfProtection }, async (request, reply) => {
    const member = await space.guard(request, reply, { administrator: true });
    if (!member) return reply;
    const endpoint = await ownEndpoint(request, reply, member, request.params.id);
    if (!endpoint) return reply;
    const outcome = await webhooks.sendTestEvent(endpoint.id);
    if (outcome.kind === 'endpoint_disabled') return context.renderError(request, reply, 409, 'WEBHOOK_DISABLED');
    if (outcome.kind === 'not_found') return context.renderError(request, reply, 404);
    await journal(member, 'webhook_test_sent', endpoint.id);
    return reply.redirect(`${base}?fait=test`, 303);
  });

  app.post<{ Params: { id: string } }>(`${base}/:id/changer-secret`, { preHandler: app.csrfProtection }, async (request, reply) => {
    const member = await space.guard(request, reply, { administrator: true });
    if (!member) return reply;
    const endpoint = await ownEndpoint(request, reply, member, request.params.id);
    if (!endpoint) return reply;
    const outcome = await webhooks.rotateSecret(endpoint.id);
    if (outcome.kind === 'not_found') return context.renderError(request, reply, 404);
    await journal(member, 'webhook_secret_rotated', endpoint.id);
    const { owner } = endpoint;
    const commune = owner.kind === 'collectivity' ? (member.communes.find((c) => c.siret === owner.siret)?.name ?? owner.siret) : owner.name;
    reply.header('cache-control', 'no-store');
    return sendPage(reply, await render(member, { rotated: { commune, url: outcome.endpoint.url, secret: outcome.secret, previousSecretUntil: outcome.previousSecretUntil } }));
  });

  app.get<{ Params: { id: string }; Querystring: { fait?: unknown } }>(`${base}/:id/livraisons`, async (request, reply) => {
    const member = await space.guard(request, reply, { administrator: true });
    if (!member) return reply;
    const endpoint = await ownEndpoint(request, reply, member, request.params.id);
    if (!endpoint) return reply;
    const deliveries = await webhooks.listDeliveries(endpoint.id, 100);
    const notice = request.query.fait === 'rejouee' ? 'La livraison est remise en file.' : undefined;
    return sendPage(
      reply,
      space.page(member, { title: 'Livraisons du webhook', section: 'webhooks', children: DeliveriesSection({ basePath: space.basePath, csrfToken: member.csrfToken, endpoint, deliveries, ...(notice ? { notice } : {}) }) }),
    );
  });

  app.post<{ Params: { deliveryId: string } }>(`${base}/livraisons/:deliveryId/rejouer`, { preHandler: app.csrfProtection }, async (request, reply) => {
    const member = await space.guard(request, reply, { administrator: true });
    if (!member) return reply;
    const delivery = DELIVERY.test(request.params.deliveryId) ? await webhooks.findDelivery(request.params.deliveryId) : null;
    const endpoint = delivery ? await ownEndpoint(request, reply, member, delivery.endpointId) : null;
    if (!delivery) return context.renderError(request, reply, 404);
    if (!endpoint) return reply;
    const outcome = await webhooks.replay(delivery.id);
    if (outcome.kind === 'endpoint_disabled') return context.renderError(request, reply, 409, 'WEBHOOK_DISABLED');
    return reply.redirect(`${base}/${endpoint.id}/livraisons?fait=rejouee`, 303);
  });
}
