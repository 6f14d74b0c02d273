import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.ts';
import { STATUS_LABELS_FR } from '../../../domain/shipment-status.ts';
import type { MetricEventKind } from '../../../metrics/events.ts';
import { parsePeriod } from '../../../usecases/compute-figures.ts';
import { sendPage } from '../../routes/send-page.ts';
import type { AgentGuard } from '../access.ts';
import { FiguresPage } from '../views/FiguresPage.tsx';

const JOURNEY_STEPS: { kind: MetricEventKind; label: string }[] = [
  { kind: 'journey.started', label: 'Démarches commencées' },
  { kind: 'franceconnect.login_succeeded', label: 'Connexions FranceConnect réussies' },
  { kind: 'franceconnect.login_refused', label: 'Connexions FranceConnect refusées ou échouées' },
  { kind: 'qf.fetched', label: 'QF trouvés' },
  { kind: 'qf.not_found', label: 'QF introuvables' },
  { kind: 'qf.failed', label: 'QF en erreur' },
  { kind: 'transmission.recorded', label: 'Transmissions confirmées par les familles' },
  { kind: 'transmission.sent', label: 'Transmissions envoyées à HubEE' },
];

/** The commune's figures, from the same hourly counters and shipments as the operator's. */
export async function figuresRoutes(app: FastifyInstance, context: AppContext, guard: AgentGuard): Promise<void> {
  const { transmissions } = context.espace;
  app.get<{ Querystring: { du?: unknown; au?: unknown } }>('/espace/chiffres', async (request, reply) => {
    const agent = await guard(request, reply);
    if (!agent) return reply;
    const asked = parsePeriod(request.query.du, request.query.au);
    const period = asked ?? parsePeriod(undefined, undefined);
    if (!period) throw new Error('the default period is always valid');
    const siret = agent.collectivity.siret;
    const [totals, statuses, firstAction] = await Promise.all([
      transmissions.eventTotals(siret, period),
      transmissions.countByStatus(siret, period),
      transmissions.firstActionDelay(siret, period),
    ]);
    const total = (kind: string) => totals.filter((t) => t.kind === kind).reduce((sum, t) => sum + t.count, 0);
    return sendPage(
      reply.code(asked ? 200 : request.query.du === undefined && request.query.au === undefined ? 200 : 400),
      FiguresPage({
        frame: agent.frame,
        period,
        figures: {
          journey: JOURNEY_STEPS.map((s) => ({ label: s.label, value: total(s.kind) })),
          statuses: statuses.map((s) => ({ label: STATUS_LABELS_FR[s.status], value: s.count })),
          firstAction,
        },
        ...(asked || (request.query.du === undefined && request.query.au === undefined) ? {} : { error: 'Cette période n’est pas valide : voici les 30 derniers jours.' }),
      }),
    );
  });
}
