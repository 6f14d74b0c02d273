import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { AppContext } from '../../../context.ts';
import { createCollectivityDirectory } from '../../../db/repositories/collectivity-directory.ts';
import { createFiguresRepository } from '../../../db/repositories/figures.ts';
import { createJobQueueState } from '../../../db/repositories/job-queue-state.ts';
import { createOperatorShipments } from '../../../db/repositories/operator-shipments.ts';
import { createOperatorAlerts } from '../../../db/repositories/operator-alerts.ts';
import { collectivityNamesBySiret } from '../../../db/repositories/collectivity-names-by-siret.ts';
import { normalizeSearchText } from '../../../domain/collectivity.ts';
import { TRANSMIT_QUEUE } from '../../../jobs/workers.ts';
import { HttpRequestMetrics } from '../../../metrics/http-requests.ts';
import { PROMETHEUS_CONTENT_TYPE, renderPrometheus } from '../../../metrics/prometheus.ts';
import { serviceFamilies } from '../../../metrics/service-metrics.ts';
import { computeFigures, parsePeriod } from '../../../usecases/compute-figures.ts';
import { FiguresPage } from '../../views/admin/FiguresPage.tsx';
import { CollectivitiesAdminPage, OnboardingsAdminPage, QueueAdminPage, ShipmentsAdminPage } from '../../views/admin/OperationsPages.tsx';
import { recordFailedAuth, throttledFor } from '../../../security/failed-auth-limiter.ts';
import { API_TOKEN_ACCOUNT, bearerTokenOf, sameSecret } from '../api/bearer.ts';
import { answerLikeTheApp } from '../api/errors.ts';
import { sendPage } from '../send-page.ts';
import { operatorCookies, operatorFrame, operatorGuard, operatorJournal } from './operator-access.ts';
import { operatorSignInRoutes } from './sign-in.ts';
import { OperatorJournalPage } from '../../views/admin/OperatorJournalPage.tsx';
import { noticeOf, noticeParams } from './notices.ts';
import { webhookAdminRoutes } from './webhooks.ts';
import { agentAdminRoutes } from './agents.ts';
import { editeurAdminRoutes } from './editeurs.ts';

/** The citizen's pages whose views the figures count, by route pattern. */
const COUNTED_PAGES: Record<string, 'home' | 'chooser' | 'collectivity'> = { '/': 'home', '/collectivites': 'chooser', '/collectivites/:siret': 'collectivity' };

const PAGE_SIZE = 50;

/**
 * The operator's side: request metrics and page views (a hook on every route, so registered first), `/metrics`
 * for Prometheus (behind the API token), and the back office under `/admin`, behind the operators' ProConnect
 * sign-in: the sign-in's own routes first, then every other page in a scope whose guard checks the session, the
 * allowlist and the role.
 */
export async function operatorRoutes(app: FastifyInstance, context: AppContext): Promise<void> {
  const requests = new HttpRequestMetrics();
  const cookies = operatorCookies(context);
  const figures = createFiguresRepository(context.db);
  const directory = createCollectivityDirectory(context.db, { onChange: () => context.collectivitySearch.invalidate() });
  const stuck = createOperatorShipments(context.db);
  const queueState = createJobQueueState(context.db);
  const alerts = createOperatorAlerts(context.db);
  const { onboardings } = context;

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url;
    requests.observe({ method: request.method, route, statusCode: reply.statusCode, seconds: reply.elapsedTime / 1000 });
    const page = route === undefined ? undefined : COUNTED_PAGES[route];
    if (page && request.method === 'GET' && reply.statusCode === 200) {
      context.metrics.record({ kind: 'page.viewed', code: page, siret: (request.params as { siret?: string }).siret ?? null });
    }
  });

  app.get('/metrics', { config: { rateLimit: { max: 120, timeWindow: '1 minute' } } }, async (request, reply) => {
    const token = bearerTokenOf(request);
    const limiter = context.authLimiters.apiToken;
    if (token !== null && throttledFor(limiter, request, reply, API_TOKEN_ACCOUNT) > 0) return reply.code(429).type('text/plain; charset=utf-8').send('too many failed authentications\n');
    if (token === null || !sameSecret(token, context.config.secrets.apiToken)) {
      if (token !== null) recordFailedAuth(limiter, request, API_TOKEN_ACCOUNT);
      return reply.code(401).header('www-authenticate', 'Bearer').type('text/plain; charset=utf-8').send('authentication required (Authorization: Bearer <API_TOKEN>)\n');
    }
    const [shipments, queue] = await Promise.all([
      context.db.kysely
        .selectFrom('shipments')
        .select(['status', sql<number>`count(*)::int`.as('count')])
        .where('status', 'in', ['pending', 'failed'])
        .groupBy('status')
        .execute(),
      queueState.counts().catch(() => []),
    ]);
    const body = renderPrometheus([...requests.families(), ...serviceFamilies({ totals: context.metrics.processTotals(), shipmentsByStatus: shipments, queue })]);
    return reply.type(PROMETHEUS_CONTENT_TYPE).header('cache-control', 'no-store').send(body);
  });

  await operatorSignInRoutes(app, context, cookies);

  await app.register(async (admin) => {
    admin.setErrorHandler(answerLikeTheApp(context));
    admin.addHook('onRequest', operatorGuard(context, cookies));
    const limits = { config: { rateLimit: { max: 120, timeWindow: '1 minute' } } };
    const operator = operatorFrame;
    const notice = noticeOf;
    const journal = operatorJournal(context);

    admin.get<{ Querystring: { du?: unknown; au?: unknown } }>('/admin', limits, async (request, reply) => {
      const period = parsePeriod(request.query.du, request.query.au);
      const shown = period ?? parsePeriod(undefined, undefined)!;
      // The counters of the last minutes are still in memory: written first, so that "the last hour" includes them.
      await context.metrics.flush();
      const [found, current] = await Promise.all([period ? computeFigures(figures, period) : null, alerts.current()]);
      // A commune where journeys started but nothing was sent has no name from the shipments: look it up.
      const unnamed = await collectivityNamesBySiret(context.db, found?.byCollectivity.filter((c) => c.name === null).map((c) => c.siret) ?? []);
      const computed = found && { ...found, byCollectivity: found.byCollectivity.map((c) => ({ ...c, name: c.name ?? unnamed.get(c.siret) ?? null })) };
      return sendPage(reply.code(period ? 200 : 400), FiguresPage({ figures: computed, alerts: current, from: period ? shown.from : String(request.query.du ?? '').slice(0, 10), to: period ? shown.to : String(request.query.au ?? '').slice(0, 10), operator: operator(request, reply), invalidPeriod: period === null }));
    });

    admin.get<{ Querystring: { q?: unknown; statut?: unknown; page?: unknown } }>('/admin/collectivites', limits, async (request, reply) => {
      const query = typeof request.query.q === 'string' ? request.query.q.slice(0, 100) : '';
      const status = request.query.statut === 'active' || request.query.statut === 'inactive' ? request.query.statut : null;
      const page = Math.max(1, Math.min(10_000, Number.parseInt(String(request.query.page ?? '1'), 10) || 1));
      const found = await directory.search({ normalizedQuery: normalizeSearchText(query), status, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
      return sendPage(reply, CollectivitiesAdminPage({ operator: operator(request, reply), query, status, ...found, page, pageSize: PAGE_SIZE, csrfToken: reply.generateCsrf(), notice: notice(request) }));
    });

    admin.post<{ Params: { siret: string }; Body: { etat?: unknown; retour?: unknown } }>(
      '/admin/collectivites/:siret/etat',
      { ...limits, preHandler: admin.csrfProtection },
      async (request, reply) => {
        const { siret } = request.params;
        const status = request.body?.etat === 'active' || request.body?.etat === 'inactive' ? request.body.etat : null;
        if (!/^[0-9]{14}$/.test(siret) || status === null) return context.renderError(request, reply, 400);
        const changed = await context.collectivities.setStatus(siret, status);
        if (!changed) return context.renderError(request, reply, 404);
        await journal(request, { action: 'collectivity_status_changed', siret, detail: status });
        request.log.info({ event: 'admin.collectivity_status', siret, status }, 'collectivity status changed by an operator');
        const back = new URLSearchParams(typeof request.body?.retour === 'string' ? request.body.retour.slice(0, 300) : '');
        for (const [name, value] of Object.entries(noticeParams(status === 'active' ? 'collectivite-activee' : 'collectivite-desactivee', siret))) back.set(name, value);
        return reply.redirect(`/admin/collectivites?${back}`, 303);
      },
    );

    admin.get('/admin/transmissions', limits, async (request, reply) => {
      const shipments = await stuck.listStuck(200);
      return sendPage(reply, ShipmentsAdminPage({ operator: operator(request, reply), shipments, csrfToken: reply.generateCsrf(), notice: notice(request) }));
    });

    admin.post<{ Params: { reference: string } }>('/admin/transmissions/:reference/relancer', { ...limits, preHandler: admin.csrfProtection }, async (request, reply) => {
      const { reference } = request.params;
      if (!/^[0-9A-F]{13}$/.test(reference)) return context.renderError(request, reply, 400);
      const due = await stuck.makeDueNow(reference);
      if (due) await context.queue.send(TRANSMIT_QUEUE, { reference }, { singletonKey: reference, retryLimit: 0 });
      await journal(request, { action: 'shipment_retried', target: reference, detail: due ? 'remise en file' : 'plus en attente' });
      request.log.info({ event: 'admin.shipment_retry', reference, queued: due }, 'transmission retried by an operator');
      return reply.redirect(`/admin/transmissions?${new URLSearchParams(noticeParams(due ? 'transmission-relancee' : 'transmission-plus-en-attente', reference))}`, 303);
    });

    admin.get('/admin/raccordements', limits, async (request, reply) => {
      const list = await onboardings.listOnboardings({ limit: 200 });
      const names = await collectivityNamesBySiret(context.db, list.map((o) => o.siret));
      return sendPage(reply, OnboardingsAdminPage({ operator: operator(request, reply), onboardings: list, names, csrfToken: reply.generateCsrf(), notice: notice(request) }));
    });

    admin.post<{ Params: { id: string } }>('/admin/raccordements/:id/relancer', { ...limits, preHandler: admin.csrfProtection }, async (request, reply) => {
      const id = Number.parseInt(request.params.id, 10);
      if (!/^[0-9]{1,12}$/.test(request.params.id) || !Number.isSafeInteger(id)) return context.renderError(request, reply, 400);
      const retried = await onboardings.retry(id);
      await journal(request, { action: 'onboarding_retried', target: String(id), detail: retried ? 'relancé' : 'pas en échec' });
      request.log.info({ event: 'admin.onboarding_retry', habilitationId: id, retried }, 'onboarding retried by an operator');
      return reply.redirect(`/admin/raccordements?${new URLSearchParams(noticeParams(retried ? 'raccordement-relance' : 'raccordement-pas-en-echec', String(id)))}`, 303);
    });

    await webhookAdminRoutes(admin, context, operator, journal);
    await agentAdminRoutes(admin, context, operator);
    await editeurAdminRoutes(admin, context, operator);

    admin.get('/admin/journal', limits, async (request, reply) => {
      return sendPage(reply, OperatorJournalPage({ operator: operator(request, reply), entries: await context.espace.journal.listOperators(200) }));
    });

    admin.get('/admin/file-de-travaux', limits, async (request, reply) => {
      const [counts, failures] = await Promise.all([queueState.counts(), queueState.latestFailures(50)]);
      return sendPage(reply, QueueAdminPage({ operator: operator(request, reply), counts, failures }));
    });
  });
}
