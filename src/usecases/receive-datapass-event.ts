import type { Logger } from 'pino';
import type { CollectivityRepository } from '../db/repositories/collectivities.ts';
import type { DatapassEventLog, OnboardingRepository } from '../db/repositories/onboardings.ts';
import { ENDING_EVENTS, parseApproval, type DatapassEvent, type PayloadIssue } from '../integrations/datapass/payload.ts';
import type { PersonalDataCipher } from '../security/personal-data-cipher.ts';
import { onboardingPayloadContext, type OnboardingPayload } from './onboard-collectivity.ts';

/**
 * What a DataPass delivery does (contracts/hubee.md §6): `approve` of a Formulaire QF habilitation starts the
 * onboarding (the work happens in a job), an event that ends the habilitation deactivates the collectivity,
 * anything else is only recorded. The same delivery twice changes nothing.
 */
export interface ReceiveDatapassDeps {
  events: DatapassEventLog;
  onboardings: OnboardingRepository;
  collectivities: CollectivityRepository;
  cipher: PersonalDataCipher;
  logger: Logger;
  /** Asks for the onboarding to run now (the job queue). */
  startOnboarding(habilitationId: number): Promise<void>;
}

export type DatapassOutcome =
  | { kind: 'duplicate' }
  | { kind: 'onboarding'; state: 'created' | 'restarted' | 'unchanged' }
  | { kind: 'deactivated'; siret: string | null }
  | { kind: 'recorded' }
  | { kind: 'invalid'; issues: PayloadIssue[] };

export async function receiveDatapassEvent(
  deps: ReceiveDatapassDeps,
  input: { bodyDigest: string; event: DatapassEvent; data: Record<string, unknown> },
): Promise<DatapassOutcome> {
  const { event } = input;
  const approval = event.event === 'approve' && event.formulaireQf ? parseApproval(event, input.data) : null;
  // Refused before anything is written: DataPass sees the 400 and the operator its log.
  if (approval && !approval.ok) return { kind: 'invalid', issues: approval.error };

  const fresh = await deps.events.record({
    bodyDigest: input.bodyDigest,
    event: event.event,
    modelType: event.modelType,
    habilitationId: event.habilitationId,
    organizationSiret: event.organizationSiret,
    firedAt: event.firedAt,
    outcome: 'received',
  });
  if (!fresh) return { kind: 'duplicate' };
  const log = deps.logger.child({ datapassEvent: event.event, habilitationId: event.habilitationId });

  let outcome: DatapassOutcome;
  if (approval?.ok) {
    const { value } = approval;
    const payload: OnboardingPayload = { applicant: value.applicant, editor: value.editor, contactEmails: value.contactEmails };
    const state = await deps.onboardings.recordApproval({
      habilitationId: value.habilitationId,
      siret: value.siret,
      editor: value.editor?.id ?? null,
      payload: deps.cipher.encrypt(payload, onboardingPayloadContext(value.habilitationId)),
    });
    // Also when unchanged: a pending onboarding whose job was lost gets one again (the queue drops duplicates).
    await deps.startOnboarding(value.habilitationId);
    outcome = { kind: 'onboarding', state };
  } else if (event.formulaireQf && (ENDING_EVENTS as readonly string[]).includes(event.event)) {
    // A habilitation we never onboarded (a collectivity set up before this service) is known by its payload.
    const siret = (await deps.onboardings.end(event.habilitationId)) ?? event.organizationSiret;
    const stillAllowed = siret !== null && (await deps.onboardings.hasOpenHabilitation(siret, event.habilitationId));
    const deactivated = siret !== null && !stillAllowed && (await deps.collectivities.setStatus(siret, 'inactive'));
    outcome = { kind: 'deactivated', siret: deactivated ? siret : null };
  } else {
    outcome = { kind: 'recorded' };
  }
  await deps.events.setOutcome(input.bodyDigest, outcomeLabel(outcome));
  log.info({ event: 'datapass.received', outcome: outcomeLabel(outcome) }, 'DataPass event received');
  return outcome;
}

function outcomeLabel(outcome: DatapassOutcome): string {
  switch (outcome.kind) {
    case 'onboarding':
      return `onboarding_${outcome.state}`;
    case 'deactivated':
      return outcome.siret ? 'deactivated' : 'ended_unknown';
    default:
      return outcome.kind;
  }
}
