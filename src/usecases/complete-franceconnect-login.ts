import type { Logger } from 'pino';
import { hasUsableQuotientFamilial } from '../domain/quotient-familial.ts';
import { generateShipmentReference } from '../domain/shipment-reference.ts';
import type { ApiParticulierClient, ApiParticulierError } from '../integrations/api-particulier/client.ts';
import type { FranceConnectClient, FranceConnectLoginError } from '../integrations/franceconnect/client.ts';
import type { Metrics } from '../metrics/recorder.ts';
import { firstNameOf, type Journey, type QfProblem } from './journey.ts';

type LoginJourney = Extract<Journey, { stage: 'login' }>;

export type LoginProblem = FranceConnectLoginError['kind'];

export type CompleteLoginOutcome =
  | { kind: 'review'; journey: Extract<Journey, { stage: 'review' }> }
  | { kind: 'qf_error'; journey: Extract<Journey, { stage: 'qf_error' }>; error: ApiParticulierError }
  | { kind: 'login_error'; problem: LoginProblem };

/**
 * Back from FranceConnect: check everything it sent, then ask API Particulier for the QF at once, since the
 * access token lives 60 seconds. The QF goes to the collectivity's SIRET (`recipient`).
 */
export async function completeFranceConnectLogin(
  deps: { franceConnect: FranceConnectClient; apiParticulier: ApiParticulierClient; logger: Logger; metrics: Pick<Metrics, 'record'> },
  journey: LoginJourney,
  callbackUrl: URL,
): Promise<CompleteLoginOutcome> {
  const login = await deps.franceConnect.completeLogin(callbackUrl, { state: journey.state, nonce: journey.nonce });
  const siret = journey.origin.siret;
  if (!login.ok) {
    deps.metrics.record({ kind: 'franceconnect.login_refused', siret, code: login.error.kind });
    if (login.error.kind === 'unreachable') deps.metrics.record({ kind: 'upstream.failed', code: 'franceconnect' });
    deps.logger.info({ event: 'franceconnect.login_failed', problem: login.error.kind }, 'FranceConnect login refused');
    return { kind: 'login_error', problem: login.error.kind };
  }
  deps.logger.info({ event: 'franceconnect.login' }, 'FranceConnect login');
  deps.metrics.record({ kind: 'franceconnect.login_succeeded', siret });
  const qf = await deps.apiParticulier.fetchQuotientFamilialWithFranceConnect({ accessToken: login.accessToken, recipient: journey.origin.siret });
  if (!qf.ok) {
    const problem = qfProblemOf(qf.error);
    const code = qf.error.code ?? (qf.error.status === null ? qf.error.kind : String(qf.error.status));
    deps.metrics.record({ kind: qf.error.kind === 'not_found' ? 'qf.not_found' : 'qf.failed', siret, code });
    if (problem === 'provider_unavailable' || problem === 'timeout' || problem === 'unexpected') deps.metrics.record({ kind: 'upstream.failed', code: 'api_particulier' });
    deps.logger.info(
      { event: 'qf.failed', problem, status: qf.error.status, code: qf.error.code, upstreamRequestId: qf.error.requestId },
      'QF not obtained',
    );
    return { kind: 'qf_error', journey: { stage: 'qf_error', origin: journey.origin, idToken: login.idToken, problem, firstName: firstNameOf(login.identity) }, error: qf.error };
  }
  if (!hasUsableQuotientFamilial(qf.data)) {
    // Odd values are transmitted as received; an answer without any QF value would give the commune nothing.
    deps.metrics.record({ kind: 'qf.failed', siret, code: 'qf_unusable' });
    deps.logger.info({ event: 'qf.failed', problem: 'qf_unusable', upstreamRequestId: qf.requestId }, 'QF answer without a usable value');
    const error: ApiParticulierError = { kind: 'unexpected', reason: 'malformed_body', status: 200, code: null, title: null, detail: null, requestId: qf.requestId };
    return { kind: 'qf_error', journey: { stage: 'qf_error', origin: journey.origin, idToken: login.idToken, problem: 'qf_unusable' }, error };
  }
  deps.logger.info({ event: 'qf.fetched', upstreamRequestId: qf.requestId }, 'QF fetched');
  deps.metrics.record({ kind: 'qf.fetched', siret });
  return {
    kind: 'review',
    journey: {
      stage: 'review',
      origin: journey.origin,
      idToken: login.idToken,
      reference: generateShipmentReference(),
      identity: login.identity,
      quotientFamilial: qf.data,
    },
  };
}

/** Each failure the citizen can meet, with its own explanation (the codes come from the contract, §3). */
export function qfProblemOf(error: ApiParticulierError): QfProblem {
  // A 200 whose body we cannot read: the family is told the answer was unusable, not that something unknown broke.
  if (error.kind === 'unexpected' && error.reason === 'malformed_body') return 'qf_unusable';
  switch (error.kind) {
    case 'not_found':
      if (error.code === '35003') return 'not_found';
      if (error.code === '23003') return 'dossier_absent_cnaf';
      if (error.code === '10003') return 'dossier_absent_msa';
      return 'not_found_other';
    case 'provider_unavailable':
    case 'provider_timeout':
    case 'unreachable':
      return 'provider_unavailable';
    case 'rate_limited':
      return 'rate_limited';
    case 'timeout':
      return 'timeout';
    default:
      return 'unexpected';
  }
}
