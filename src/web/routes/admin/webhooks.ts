import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.ts';
import type { WebhookService } from '../../../webhooks/index.ts';
import { WebhooksAdminPage } from '../../views/admin/WebhooksAdminPage.tsx';
import { collectivityNamesBySiret } from '../../../db/repositories/collectivity-names-by-siret.ts';
import { sendPage } from '../send-page.ts';
import { noticeOf, noticeParams } from './notices.ts';
import type { OperatorAction } from './operator-access.ts';
import type { OperatorFrame } from '../../views/admin/AdminLayout.tsx';

/**
 * The back office's webhooks page (inside the operators' guarded /admin scope; every change journaled): every endpoint with its state
 * and latest deliveries, creation, enabling and disabling, and replay of a delivery.
 */
export async function webhookAdminRoutes(
  admin: FastifyInstance,
  context: Pick<AppContext, 'webhooks' | 'renderError' | 'db'>,
  operator: (request: FastifyRequest, reply: FastifyReply) => OperatorFrame,
  journal: OperatorAction,
): Promise<void> {
  const { webhooks } = context;
  const limits = { config: { rateLimit: { max: 120, timeWindow: '1 minute' } } };

  const render = async (request: FastifyRequest, reply: FastifyReply, extra: { error?: string; created?: { id: string; secret: string } } = {}) => {
    const endpoints = await withDeliveries(webhooks);
    const names = await collectivityNamesBySiret(
      context.db,
      endpoints.flatMap(({ endpoint }) => (endpoint.owner.kind === 'collectivity' ? [endpoint.owner.siret] : [])),
    );
    return sendPage(
      reply,
      WebhooksAdminPage({
        operator: operator(request, reply),
        endpoints,
        names,
        csrfToken: reply.generateCsrf(),
        notice: noticeOf(request),
        error: extra.error ?? null,
        created: extra.created ?? null,
      }),
    );
  };

  admin.get('/admin/webhooks', limits, async (request, reply) => render(request, reply));

  admin.post<{ Body: { siret?: unknown; editeur?: unknown; url?: unknown; events?: unknown } }>('/admin/webhooks', { ...limits, preHandler: admin.csrfProtection }, async (request, reply) => {
    const body = request.body ?? {};
    const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
    const siret = text(body.siret);
    const editeur = text(body.editeur);
    const events = (Array.isArray(body.events) ? body.events : [body.events]).filter((e): e is string => typeof e === 'string');
    if ((siret === '') === (editeur === '')) return render(request, reply.code(422), { error: 'Donnez soit le SIRET de la collectivité, soit le nom de l’éditeur.' });
    const result = await webhooks.register({
      owner: siret !== '' ? { kind: 'collectivity', siret } : { kind: 'editeur', name: editeur },
      url: text(body.url).slice(0, 2000),
      events,
    });
    if (!result.ok) return render(request, reply.code(422), { error: result.error.message });
    await journal(request, { action: 'webhook_created', siret: siret || null, target: result.endpoint.id, detail: siret ? null : `éditeur ${editeur}` });
    request.log.info({ event: 'admin.webhook_created', endpointId: result.endpoint.id }, 'webhook endpoint created by an operator');
    return render(request, reply, { created: { id: result.endpoint.id, secret: result.secret } });
  });

  admin.post<{ Params: { id: string; action: string } }>('/admin/webhooks/:id/:action', { ...limits, preHandler: admin.csrfProtection }, async (request, reply) => {
    const { id, action } = request.params;
    if (!/^[0-9a-f-]{36}$/.test(id) || (action !== 'activer' && action !== 'desactiver')) return context.renderError(request, reply, 400);
    const result = await webhooks.update(id, { status: action === 'activer' ? 'active' : 'disabled' });
    if (!result.ok) return context.renderError(request, reply, 404);
    await journal(request, { action: 'webhook_status_changed', target: id, detail: result.endpoint.status });
    request.log.info({ event: 'admin.webhook_status', endpointId: id, status: result.endpoint.status }, 'webhook endpoint changed by an operator');
    return reply.redirect(`/admin/webhooks?${new URLSearchParams(noticeParams(action === 'activer' ? 'webhook-remis-en-service' : 'webhook-desactive'))}`, 303);
  });

  admin.post<{ Params: { deliveryId: string } }>('/admin/webhooks/livraisons/:deliveryId/rejouer', { ...limits, preHandler: admin.csrfProtection }, async (request, reply) => {
    const { deliveryId } = request.params;
    if (!/^msg_[0-9a-f]{32}$/.test(deliveryId)) return context.renderError(request, reply, 400);
    const outcome = await webhooks.replay(deliveryId);
    if (outcome.kind === 'not_found') return context.renderError(request, reply, 404);
    await journal(request, { action: 'webhook_delivery_replayed', target: deliveryId, detail: outcome.kind });
    request.log.info({ event: 'admin.webhook_replayed', deliveryId, outcome: outcome.kind }, 'webhook delivery replayed by an operator');
    const notice = outcome.kind === 'queued' ? noticeParams('livraison-remise-en-file', deliveryId) : noticeParams('rejeu-webhook-desactive');
    return reply.redirect(`/admin/webhooks?${new URLSearchParams(notice)}`, 303);
  });
}

async function withDeliveries(webhooks: WebhookService) {
  const endpoints = await webhooks.listEndpoints();
  return Promise.all(endpoints.map(async (endpoint) => ({ endpoint, deliveries: await webhooks.listDeliveries(endpoint.id, 20) })));
}
