import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { recordTransmission } from '../../usecases/record-transmission.ts';
import type { JourneyAccess } from '../journey/cookie.ts';
import type { Journey } from '../../usecases/journey.ts';
import { ConfirmationPage } from '../views/pages/ConfirmationPage.tsx';
import { LoginErrorPage } from '../views/pages/LoginErrorPage.tsx';
import { QfErrorPage } from '../views/pages/QfErrorPage.tsx';
import { ReviewPage } from '../views/pages/ReviewPage.tsx';
import { sendPage } from './send-page.ts';

/** How long "Transmettre" waits for the first attempt before showing the confirmation anyway. */
const INLINE_TRANSMISSION_BUDGET_MS = 8000;

/** Review, "Transmettre", confirmation: the end of the citizen's journey. */
export async function transmissionRoutes(app: FastifyInstance, context: AppContext, journeys: JourneyAccess): Promise<void> {
  /** Loads the journey or answers with the page that says why there is none. */
  const requireJourney = async (request: FastifyRequest, reply: FastifyReply): Promise<{ id: string; journey: Journey } | null> => {
    const loaded = await journeys.load(request);
    if (loaded.id !== null) return loaded;
    await sendPage(reply.code(400), LoginErrorPage({ kind: loaded.missing === 'no_cookie' ? 'cookies' : 'expired' }));
    return null;
  };
  const session = (reply: FastifyReply) => ({ loggedIn: true, logoutCsrfToken: reply.generateCsrf() });
  const collectivityName = async (siret: string) => (await context.collectivityNames.nameOf(siret)) ?? 'votre collectivité';

  app.get('/verification', async (request, reply) => {
    const loaded = await requireJourney(request, reply);
    if (!loaded) return reply;
    const { journey } = loaded;
    switch (journey.stage) {
      case 'review':
        return sendPage(
          reply,
          ReviewPage({ collectivityName: await collectivityName(journey.origin.siret), identity: journey.identity, qf: journey.quotientFamilial, csrfToken: reply.generateCsrf() }),
        );
      case 'transmitted':
        return reply.redirect('/confirmation', 303);
      case 'qf_error':
        return sendPage(
          reply.code(400),
          QfErrorPage({ kind: journey.problem, collectivityName: await collectivityName(journey.origin.siret), retryUrl: `/collectivites/${journey.origin.siret}`, session: session(reply) }),
        );
      case 'login':
        return sendPage(reply.code(400), LoginErrorPage({ kind: 'expired', restartUrl: `/collectivites/${journey.origin.siret}` }));
    }
  });

  app.post('/transmission', { preHandler: app.csrfProtection }, async (request, reply) => {
    const loaded = await requireJourney(request, reply);
    if (!loaded) return reply;
    const { journey } = loaded;
    if (journey.stage === 'transmitted') return reply.redirect('/confirmation', 303);
    if (journey.stage !== 'review') return reply.redirect('/verification', 303);

    const recorded = await recordTransmission(
      { shipments: context.shipments, collectivities: context.collectivities, cipher: context.cipher, retryWindowHours: context.config.shipments.retryWindowHours },
      journey,
    );
    if (recorded.kind === 'collectivity_gone') return context.renderError(request, reply, 409, 'COLLECTIVITY_INACTIVE');
    request.log.info({ event: 'shipment.recorded', reference: recorded.reference, siret: journey.origin.siret }, 'shipment recorded');
    context.metrics.record({ kind: 'transmission.recorded', siret: journey.origin.siret });

    // The identity and the QF leave the journey now: the encrypted shipment is their only copy until HubEE has it.
    await journeys.save(reply, loaded.id, { stage: 'transmitted', origin: journey.origin, idToken: journey.idToken, reference: recorded.reference });
    // A first attempt right away, so that the family usually leaves with a folder already in HubEE; past the budget
    // the attempt goes on in the background (it holds the shipment's lease) and the queue covers any failure.
    const attempt = context.transmit(recorded.reference).catch((error: unknown) => {
      request.log.warn({ event: 'shipment.inline_failed', reference: recorded.reference, reason: error instanceof Error ? error.message : 'unknown' }, 'inline transmission failed; the queue will retry');
    });
    await Promise.race([attempt, new Promise((resolve) => setTimeout(resolve, INLINE_TRANSMISSION_BUDGET_MS).unref())]);
    return reply.redirect('/confirmation', 303);
  });

  app.get('/confirmation', async (request, reply) => {
    const loaded = await requireJourney(request, reply);
    if (!loaded) return reply;
    const { journey } = loaded;
    if (journey.stage !== 'transmitted') return reply.redirect('/verification', 303);
    const shipment = await context.shipments.find(journey.reference);
    const queued = shipment?.status === 'pending';
    return sendPage(
      reply,
      ConfirmationPage({
        collectivityName: await collectivityName(journey.origin.siret),
        reference: journey.reference,
        followUpUrl: `/suivi/${journey.reference}`,
        redirectUri: journey.origin.redirectUri ?? undefined,
        queued,
        session: session(reply),
      }),
    );
  });
}
