import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.ts';
import type { ShipmentStatusColumn } from '../../../db/schema.ts';
import { STATUS_LABELS_FR } from '../../../domain/shipment-status.ts';
import { parsePeriod } from '../../../usecases/compute-figures.ts';
import { sendPage } from '../../routes/send-page.ts';
import type { AgentGuard } from '../access.ts';
import { formulaSafeCsv } from '../csv.ts';
import { answerTestDossierRequest, sentTestDossier, testDossierAvailability } from '../../espaces/test-dossier-routes.ts';
import { FILTER_STATUSES, firstActionSeconds, TransmissionsPage } from '../views/TransmissionsPage.tsx';

const PAGE_LIMIT = 200;
const CSV_LIMIT = 10_000;

type Query = { du?: unknown; au?: unknown; statut?: unknown; test?: unknown };

function readFilter(query: Query) {
  const period = parsePeriod(query.du, query.au);
  const status = typeof query.statut === 'string' && (FILTER_STATUSES as readonly string[]).includes(query.statut) ? (query.statut as ShipmentStatusColumn) : null;
  const badStatus = typeof query.statut === 'string' && query.statut !== '' && status === null;
  return { period, status, badStatus };
}

/** The commune's transmissions, filtered by period and status, and their CSV export. */
export async function transmissionRoutes(app: FastifyInstance, context: AppContext, guard: AgentGuard): Promise<void> {
  const { transmissions } = context.espace;

  app.get<{ Querystring: Query }>('/espace/transmissions', async (request, reply) => {
    const agent = await guard(request, reply);
    if (!agent) return reply;
    const filter = readFilter(request.query);
    const period = filter.period ?? parsePeriod(undefined, undefined);
    if (!period) throw new Error('the default period is always valid');
    const siret = agent.collectivity.siret;
    const [counts, list] = await Promise.all([
      transmissions.countByStatus(siret, period),
      transmissions.list(siret, { period, status: filter.status }, PAGE_LIMIT),
    ]);
    const csv = new URLSearchParams({ du: period.from, au: period.to, ...(filter.status ? { statut: filter.status } : {}) });
    const invalid = filter.period === null || filter.badStatus;
    const sentTest = await sentTestDossier(context, request.query.test, [siret]);
    return sendPage(
      reply.code(invalid ? 400 : 200),
      TransmissionsPage({
        frame: agent.frame,
        period,
        status: filter.status,
        counts,
        transmissions: list,
        limit: PAGE_LIMIT,
        csvUrl: `/espace/transmissions.csv?${csv.toString()}`,
        testDossier: { ...testDossierAvailability(context.config), sent: sentTest },
        ...(invalid ? { error: 'Ces critères ne sont pas valides (dates au format jj/mm/aaaa, la première avant la seconde, 13 mois au plus) : voici les 30 derniers jours.' } : {}),
      }),
    );
  });

  // Any agent of the commune may check its reception; journaled like every action in the espace.
  app.post('/espace/dossier-de-test', { preHandler: app.csrfProtection, config: { rateLimit: { max: 10, timeWindow: '1 minute' } } }, async (request, reply) => {
    const agent = await guard(request, reply);
    if (!agent) return reply;
    const siret = agent.collectivity.siret;
    return answerTestDossierRequest(
      context,
      request,
      reply,
      { collectivitySiret: siret, journal: context.espace.journal, journalSiret: siret, actorEmail: agent.session.user.email },
      (reference) => `/espace/transmissions?test=${reference}`,
    );
  });

  app.get<{ Querystring: Query }>('/espace/transmissions.csv', async (request, reply) => {
    const agent = await guard(request, reply);
    if (!agent) return reply;
    const filter = readFilter(request.query);
    if (!filter.period || filter.badStatus) return context.renderError(request, reply, 400);
    const list = await transmissions.list(agent.collectivity.siret, { period: filter.period, status: filter.status }, CSV_LIMIT);
    const csv = formulaSafeCsv(
      ['reference', 'external_id', 'etat', 'creee_le', 'transmise_le', 'etat_change_le', 'premiere_action_le', 'delai_premiere_action_secondes', 'historique', 'dossier_de_test', 'deja_transmise_le'],
      list.map((t) => [
        t.reference,
        t.externalId,
        STATUS_LABELS_FR[t.status],
        t.createdAt.toISOString(),
        t.sentAt?.toISOString(),
        t.statusUpdatedAt.toISOString(),
        t.firstCommuneStatusAt?.toISOString(),
        firstActionSeconds(t) === null ? null : Math.round(firstActionSeconds(t) ?? 0),
        t.history.map((h) => `${h.status}@${h.at.toISOString()}`).join(' '),
        t.isTest ? 'oui' : 'non',
        t.repeatsTransmissionOf?.toISOString(),
      ]),
    );
    return reply
      .type('text/csv; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="transmissions-${agent.collectivity.siret}-${filter.period.from}-${filter.period.to}.csv"`)
      .send(csv);
  });
}
