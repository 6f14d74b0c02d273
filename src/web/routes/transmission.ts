import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { recordTransmission } from '../../usecases/record-transmission.ts';
import type { JourneyAccess } from '../journey/cookie.ts';
import { firstNameOf, journeyFirstName, type Journey } from '../../usecases/journey.ts';
import { buildRecapitulatifPdf } from '../../domain/recapitulatif/recapitulatif-pdf.ts';
import { readQuotientFamilial } from '../../domain/quotient-familial.ts';
import { ConfirmationPage } from '../views/pages/ConfirmationPage.tsx';
import { LoginErrorPage } from '../views/pages/LoginErrorPage.tsx';
import { QfErrorPage } from '../views/pages/QfErrorPage.tsx';
import { ReviewPage } from '../views/pages/ReviewPage.tsx';
import { sendPage } from './send-page.ts';

/** How long "Transmettre" waits for the first attempt before showing the confirmation anyway. */
const INLINE_TRANSMISSION_BUDGET_MS = 8000;
export const RECAPITULATIF_PATH = '/confirmation/recapitulatif.pdf';

/** Review, "Transmettre", confirmation: the end of the citizen's journey. */
export async function transmissionRoutes(app: FastifyInstance, context: AppContext, journeys: JourneyAccess): Promise<void> {
  /** Loads the journey or answers with the page that says why there is none. */
  const requireJourney = async (request: FastifyRequest, reply: FastifyReply): Promise<{ id: string; journey: Journey } | null> => {
    const loaded = await journeys.load(request);
    if (loaded.id !== null) return loaded;
    await sendPage(reply.code(400), LoginErrorPage({ kind: loaded.missing }));
    return null;
  };
  const session = (reply: FastifyReply, journey: Journey) => ({ loggedIn: true, logoutCsrfToken: reply.generateCsrf(), firstName: journeyFirstName(journey) });
  const collectivityName = async (siret: string) => (await context.collectivityNames.nameOf(siret)) ?? 'votre collectivité';

  app.get('/verification', async (request, reply) => {
    const loaded = await requireJourney(request, reply);
    if (!loaded) return reply;
    const { journey } = loaded;
    switch (journey.stage) {
      case 'review':
        return sendPage(
          reply,
          ReviewPage({
            collectivityName: await collectivityName(journey.origin.siret),
            identity: journey.identity,
            qf: journey.quotientFamilial,
            csrfToken: reply.generateCsrf(),
            firstName: journeyFirstName(journey),
          }),
        );
      case 'transmitted':
        return reply.redirect('/confirmation', 303);
      case 'qf_error':
        return sendPage(
          reply.code(400),
          QfErrorPage({ kind: journey.problem, collectivityName: await collectivityName(journey.origin.siret), restartUrl: `/collectivites/${journey.origin.siret}`, session: session(reply, journey) }),
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
      {
        shipments: context.shipments,
        collectivities: context.collectivities,
        knownCollectivity: (siret) => context.activeCollectivities.get(siret),
        cipher: context.cipher,
        fingerprint: context.familyFingerprint,
        retryWindowHours: context.config.shipments.retryWindowHours,
        leaseSeconds: context.config.shipments.leaseSeconds,
      },
      journey,
    );
    if (recorded.kind === 'collectivity_gone') return context.renderError(request, reply, 409, 'COLLECTIVITY_INACTIVE');
    request.log.info({ event: 'shipment.recorded', reference: recorded.reference, siret: journey.origin.siret }, 'shipment recorded');
    context.metrics.record({ kind: 'transmission.recorded', siret: journey.origin.siret });

    // A first attempt right away, so that the family usually leaves with a folder already in HubEE; past the budget
    // the attempt goes on in the background (it holds the shipment's lease) and the queue covers any failure.
    // The shipment was recorded with this first attempt's lease; a second click's request did not record it, and
    // claims it like any sender.
    const attempt = (recorded.claimed ? context.transmitClaimed(recorded.claimed) : context.transmit(recorded.reference)).catch((error: unknown) => {
      request.log.warn({ event: 'shipment.inline_failed', reference: recorded.reference, reason: error instanceof Error ? error.message : 'unknown' }, 'inline transmission failed; the queue will retry');
      return null;
    });
    const outcome = await Promise.race([attempt, new Promise<null>((resolve) => setTimeout(() => resolve(null), INLINE_TRANSMISSION_BUDGET_MS).unref())]);

    // The identity and the QF leave the journey now: the encrypted shipment is their only copy until HubEE has it.
    // Only what the récapitulatif states stays, as long as the journey lives (30 minutes at most). Saved once the
    // first attempt is over (or past its budget), so that the confirmation knows without asking whether HubEE has it.
    const understood = readQuotientFamilial(journey.quotientFamilial);
    await journeys.save(reply, loaded.id, {
      stage: 'transmitted',
      origin: journey.origin,
      idToken: journey.idToken,
      reference: recorded.reference,
      firstName: firstNameOf(journey.identity),
      ...(outcome?.kind === 'sent' ? { handedToHubee: true } : {}),
      recap: {
        collectivityName: recorded.collectivityName,
        transmittedAt: recorded.transmittedAt.toISOString(),
        applicant: `${journey.identity.given_name} ${journey.identity.family_name}`,
        quotientFamilial: understood.qf,
        children: (understood.enfants ?? []).map((child) => [child.prenoms, child.nomUsage ?? child.nomNaissance].filter((part) => part !== null).join(' ')),
      },
    });
    return reply.redirect('/confirmation', 303);
  });

  app.get('/confirmation', async (request, reply) => {
    const loaded = await requireJourney(request, reply);
    if (!loaded) return reply;
    const { journey } = loaded;
    if (journey.stage !== 'transmitted') return reply.redirect('/verification', 303);
    // Queued until HubEE has the folder: known from the journey when the first attempt sent it, else asked.
    const queued = journey.handedToHubee ? false : (await context.shipments.find(journey.reference))?.status === 'pending';
    return sendPage(
      reply,
      ConfirmationPage({
        collectivityName: await collectivityName(journey.origin.siret),
        reference: journey.reference,
        followUpUrl: `/suivi/${journey.reference}`,
        redirectUri: journey.origin.redirectUri ?? undefined,
        queued,
        recapitulatifUrl: journey.recap ? RECAPITULATIF_PATH : undefined,
        session: session(reply, journey),
      }),
    );
  });

  // Made on request from the journey, the only place that still holds what was sent once HubEE has the folder.
  app.get(RECAPITULATIF_PATH, async (request, reply) => {
    const loaded = await requireJourney(request, reply);
    if (!loaded) return reply;
    const { journey } = loaded;
    if (journey.stage !== 'transmitted' || !journey.recap) return reply.redirect('/verification', 303);
    const pdf = await buildRecapitulatifPdf({
      reference: journey.reference,
      collectivityName: journey.recap.collectivityName,
      transmittedAt: new Date(journey.recap.transmittedAt),
      applicant: journey.recap.applicant,
      quotientFamilial: journey.recap.quotientFamilial ?? null,
      children: journey.recap.children,
      followUpUrl: `${context.config.http.publicUrl}/suivi/${journey.reference}`,
    });
    return reply
      .type('application/pdf')
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="recapitulatif-${journey.reference}.pdf"`)
      .send(pdf);
  });
}
