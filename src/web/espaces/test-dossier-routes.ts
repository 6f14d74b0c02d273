import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import type { OrganisationJournal } from '../../db/repositories/espace-journal.ts';
import { testDossierDestination, type HubeeEnvironment } from '../../domain/hubee-environment.ts';
import { TEST_DOSSIER_UNAVAILABLE_FR } from '../../usecases/send-test-dossier.ts';
import { sendTestDossierFor, testDossierTarget } from '../test-dossier.ts';

type Context = Pick<AppContext, 'shipments' | 'collectivities' | 'cipher' | 'config' | 'queue' | 'renderError'>;

/** What the espaces' forms need to know before the click: where a test dossier would go, or why none can. */
export function testDossierAvailability(config: Context['config']): { environment: HubeeEnvironment | null; unavailable: string | null } {
  const environment = testDossierTarget(config);
  return { environment, unavailable: environment === null ? TEST_DOSSIER_UNAVAILABLE_FR : null };
}

/** Who asks, for the journal of their espace. */
export interface TestDossierRequester {
  /** The commune the dossier goes to: already checked as one the requester acts for. */
  collectivitySiret: string;
  journal: OrganisationJournal;
  /** The organisation whose journal records it (the commune, or the éditeur). */
  journalSiret: string;
  actorEmail: string;
}

/**
 * The "Envoyer un dossier de test" button of both espaces, after their guard: sends it, journals it, and
 * redirects to the espace's page that says where it went; a refusal is a page saying why (nothing recorded).
 */
export async function answerTestDossierRequest(context: Context, request: FastifyRequest, reply: FastifyReply, requester: TestDossierRequester, sentPage: (reference: string) => string): Promise<FastifyReply> {
  const outcome = await sendTestDossierFor(context, requester.collectivitySiret);
  if (outcome.kind === 'unknown_collectivity') return context.renderError(request, reply, 404);
  if (outcome.kind === 'inactive_collectivity') return context.renderError(request, reply, 409, 'COLLECTIVITY_INACTIVE');
  if (outcome.kind === 'unavailable') return context.renderError(request, reply, 409, 'TEST_DOSSIER_UNAVAILABLE');
  await requester.journal.record({
    siret: requester.journalSiret,
    actorKind: 'agent',
    actor: requester.actorEmail,
    action: 'test_dossier_sent',
    target: outcome.reference,
    // The commune too when the journal is the éditeur's, and where it went: nothing personal.
    detail: `${requester.journalSiret === requester.collectivitySiret ? '' : `${requester.collectivitySiret} `}${testDossierDestination(outcome.environment)}`,
  });
  return reply.redirect(sentPage(outcome.reference), 303);
}

/**
 * The test dossier a page's `?test=` names, when it is one of these communes' test dossiers (a reference typed
 * into the address bar shows nothing of another's), with where it went as recorded on it.
 */
export async function sentTestDossier(context: Pick<Context, 'shipments'>, value: unknown, sirets: readonly string[]): Promise<{ reference: string; environment: HubeeEnvironment; collectivitySiret: string } | null> {
  if (typeof value !== 'string' || !/^[0-9A-F]{13}$/.test(value)) return null;
  const shipment = await context.shipments.find(value);
  if (!shipment?.isTest || !sirets.includes(shipment.collectivitySiret)) return null;
  return { reference: shipment.reference, environment: shipment.hubeeEnvironment, collectivitySiret: shipment.collectivitySiret };
}
