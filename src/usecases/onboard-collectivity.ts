import type { Logger } from 'pino';
import type { CollectivityRepository } from '../db/repositories/collectivities.ts';
import type { OnboardingRepository, OnboardingStep } from '../db/repositories/onboardings.ts';
import { normalizeSearchText } from '../domain/collectivity.ts';
import type { DatapassApplicant, DatapassEditor } from '../integrations/datapass/payload.ts';
import { HubeeError, organizationIdOf, type HubeeClient, type Subscription, type SubscriptionInput } from '../integrations/hubee/client.ts';
import type { InseeClient, SireneEstablishment } from '../integrations/insee/client.ts';
import type { PersonalDataCipher } from '../security/personal-data-cipher.ts';
import { retryDelaySeconds } from './transmit-shipment.ts';

/**
 * Sets a collectivity up from an approved DataPass habilitation (contracts/hubee.md §4.1, §4.2, §6.1):
 *   INSEE Sirene lookup → HubEE organization found or created → FormulaireQF subscription created (or found)
 *   then activated, in portal mode or delegated to the éditeur → the collectivity active in our database.
 * Every step can run again without harm, so a retry simply starts over. A failure that retrying may fix
 * (an upstream down) is retried with a growing delay; one it cannot (a SIRET INSEE does not know, a request
 * HubEE refuses) waits for the operator. Both stay visible in the onboardings table.
 */

export const FORMULAIRE_QF_PROCESS = 'FormulaireQF';

/** Encrypted in the onboardings table until the onboarding is done. */
export interface OnboardingPayload {
  applicant: DatapassApplicant;
  editor: DatapassEditor | null;
  /** Absent in payloads recorded before the espace collectivité. */
  contactEmails?: string[];
}

export function onboardingPayloadContext(habilitationId: number): string {
  return `onboarding:${habilitationId}`;
}

export interface OnboardingDeps {
  onboardings: OnboardingRepository;
  collectivities: CollectivityRepository;
  insee: Pick<InseeClient, 'lookupSiret'>;
  /** With ADMIN credentials. */
  hubee: Pick<HubeeClient, 'getOrganization' | 'createOrganization' | 'createSubscription' | 'listSubscriptions' | 'updateSubscription'>;
  cipher: PersonalDataCipher;
  logger: Logger;
  retryBaseSeconds: number;
  leaseSeconds?: number;
  now?: () => Date;
  /** Records the applicant and the contacts as the commune's first administrators of the espace collectivité. */
  firstAdministrators?: (siret: string, emails: string[]) => Promise<void>;
  /** Links the commune to the éditeur its habilitation names (espace éditeur), creating the éditeur if new. */
  linkEditeur?: (editeur: { siret: string; name: string; datapassId: string }, collectivitySiret: string) => Promise<void>;
}

export type OnboardingOutcome =
  | { kind: 'done'; habilitationId: number }
  | { kind: 'retry_scheduled'; habilitationId: number; step: OnboardingStep; inSeconds: number; reason: string }
  | { kind: 'failed'; habilitationId: number; step: OnboardingStep; reason: string }
  /** Not pending, or another worker holds it. */
  | { kind: 'not_claimed'; habilitationId: number };

/** A failure of one step; `permanent` when trying again cannot help. */
class StepFailure extends Error {
  constructor(
    readonly step: OnboardingStep,
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

export async function onboardCollectivity(deps: OnboardingDeps, habilitationId: number): Promise<OnboardingOutcome> {
  const { onboardings, logger } = deps;
  const claimed = await onboardings.claim(habilitationId, deps.leaseSeconds ?? 120);
  if (!claimed) return { kind: 'not_claimed', habilitationId };
  const log = logger.child({ habilitationId, siret: claimed.siret, attempt: claimed.attempts });
  const payload = deps.cipher.decrypt<OnboardingPayload>(claimed.payload, onboardingPayloadContext(habilitationId));
  let step: OnboardingStep = 'insee';
  const enter = async (next: OnboardingStep) => {
    step = next;
    await onboardings.recordStep(habilitationId, next);
  };

  try {
    await enter('insee');
    const establishment = await lookUp(deps, claimed.siret, 'insee');
    const editorEstablishment = payload.editor ? await lookUp(deps, payload.editor.siret, 'insee') : null;
    const editorCog = editorEstablishment?.codeCog ?? null;

    await enter('hubee_organization');
    await ensureOrganization(deps, establishment, payload.applicant.email);

    await enter('hubee_subscription');
    const subscription = await ensureActiveSubscription(deps, habilitationId, establishment, payload, editorCog);

    await enter('collectivity');
    const existing = await deps.collectivities.findBySiret(establishment.siret);
    const name = existing?.name ?? displayName(establishment.name);
    await deps.collectivities.upsert(
      {
        siret: establishment.siret,
        codeCog: establishment.codeCog,
        name,
        departement: establishment.departement,
        codePostal: establishment.codePostal,
        status: 'active',
        editor: payload.editor?.id ?? null,
        allowedRedirectPrefixes: existing?.allowedRedirectPrefixes ?? [],
      },
      normalizeSearchText(name),
    );
    if (payload.editor && editorEstablishment) {
      await deps.linkEditeur?.({ siret: payload.editor.siret, name: displayName(editorEstablishment.name), datapassId: payload.editor.id }, establishment.siret);
    }
    // Before markDone: the payload (and with it the e-mails) is erased once the onboarding is done.
    await deps.firstAdministrators?.(establishment.siret, [payload.applicant.email, ...(payload.contactEmails ?? [])]);
    if (!(await onboardings.markDone(habilitationId, subscription.id))) {
      // Revoked while we worked: the revocation wins.
      await deps.collectivities.setStatus(establishment.siret, 'inactive');
      log.info({ event: 'onboarding.ended_meanwhile' }, 'habilitation ended during its onboarding');
      return { kind: 'not_claimed', habilitationId };
    }
    log.info({ event: 'onboarding.done', accessMode: payload.editor ? 'API' : 'PORTAIL' }, 'collectivity onboarded');
    return { kind: 'done', habilitationId };
  } catch (error) {
    const failure = error instanceof StepFailure ? error : asStepFailure(step, error);
    const reason = `${failure.step}: ${failure.message}`.slice(0, 500);
    if (failure.permanent) {
      await onboardings.markFailed(habilitationId, reason);
      log.warn({ event: 'onboarding.failed', step: failure.step, reason }, 'onboarding needs the operator');
      return { kind: 'failed', habilitationId, step: failure.step, reason };
    }
    const inSeconds = retryDelaySeconds(claimed.attempts, deps.retryBaseSeconds);
    await onboardings.scheduleRetry(habilitationId, inSeconds, reason);
    log.warn({ event: 'onboarding.retry', step: failure.step, reason, inSeconds }, 'onboarding step failed, will retry');
    return { kind: 'retry_scheduled', habilitationId, step: failure.step, inSeconds, reason };
  }
}

async function lookUp(deps: OnboardingDeps, siret: string, step: OnboardingStep): Promise<SireneEstablishment> {
  const result = await deps.insee.lookupSiret(siret);
  if (result.ok) {
    if (!/^[0-9AB]{5}$/.test(result.establishment.codeCog) || result.establishment.codePostal === '') {
      throw new StepFailure(step, `INSEE Sirene gives no commune code or postal code for ${siret}`, true);
    }
    return result.establishment;
  }
  const permanent = result.error.kind === 'not_found' || result.error.kind === 'invalid';
  const what = result.error.kind === 'not_found' ? `SIRET ${siret} unknown to INSEE Sirene` : `INSEE Sirene: ${result.error.kind} (${result.error.status ?? 'no answer'})`;
  throw new StepFailure(step, what, permanent);
}

/** `SI-{siret}-{cog}` exists afterwards; "already exists" (another run, or HubEE's own setup) is fine. */
async function ensureOrganization(deps: OnboardingDeps, establishment: SireneEstablishment, email: string): Promise<void> {
  const identifier = { type: 'SI', companyRegister: establishment.siret, branchCode: establishment.codeCog };
  try {
    await deps.hubee.getOrganization(organizationIdOf(identifier));
    return;
  } catch (error) {
    if (!(error instanceof HubeeError && error.kind === 'not_found')) throw error;
  }
  try {
    await deps.hubee.createOrganization({
      ...identifier,
      name: establishment.name.slice(0, 100),
      country: 'France',
      postalCode: establishment.codePostal,
      territory: establishment.departement,
      email,
      status: 'Actif',
    });
  } catch (error) {
    if (!(error instanceof HubeeError && error.kind === 'conflict')) throw error;
  }
}

/** The FormulaireQF subscription of the organization, created if needed, then active in the right mode. */
async function ensureActiveSubscription(
  deps: OnboardingDeps,
  habilitationId: number,
  establishment: SireneEstablishment,
  payload: OnboardingPayload,
  editorCog: string | null,
): Promise<Subscription> {
  const { hubee } = deps;
  const now = (deps.now ?? (() => new Date()))().toISOString();
  const subscriber = { type: 'SI', companyRegister: establishment.siret, branchCode: establishment.codeCog };
  const { applicant } = payload;
  let subscription: Subscription;
  try {
    subscription = await hubee.createSubscription({
      datapassId: habilitationId,
      notificationFrequency: 'Unitaire',
      processCode: FORMULAIRE_QF_PROCESS,
      subscriber,
      email: applicant.email,
      status: 'Inactif',
      localAdministrator: {
        email: applicant.email,
        firstName: applicant.given_name ?? null,
        lastName: applicant.family_name ?? null,
        function: applicant.job_title ?? null,
        phoneNumber: hubeePhone(applicant.phone_number),
      },
      validateDateTime: now,
      updateDateTime: now,
    });
  } catch (error) {
    if (!(error instanceof HubeeError && error.kind === 'conflict')) throw error;
    const found = await hubee.listSubscriptions({ companyRegister: establishment.siret, processCode: FORMULAIRE_QF_PROCESS });
    const existing = found.find((s) => s.subscriber.branchCode === establishment.codeCog) ?? found[0];
    if (!existing) throw new StepFailure('hubee_subscription', 'HubEE says the subscription exists but lists none', false);
    subscription = existing;
  }

  const wanted = payload.editor
    ? { accessMode: 'API', delegationActor: { type: 'EDT', companyRegister: payload.editor.siret, branchCode: editorCog } }
    : { accessMode: 'PORTAIL', delegationActor: { type: null, companyRegister: null, branchCode: null } };
  const current = subscription.delegationActor ?? { type: null, companyRegister: null, branchCode: null };
  const alreadyRight =
    subscription.status === 'Actif' &&
    subscription.accessMode === wanted.accessMode &&
    current.type === wanted.delegationActor.type &&
    current.companyRegister === wanted.delegationActor.companyRegister &&
    current.branchCode === wanted.delegationActor.branchCode;
  if (alreadyRight) return subscription;

  const update: SubscriptionInput = {
    datapassId: subscription.datapassId,
    processCode: subscription.processCode,
    subscriber: { type: subscription.subscriber.type, companyRegister: subscription.subscriber.companyRegister, branchCode: subscription.subscriber.branchCode },
    notificationFrequency: 'Unitaire',
    validateDateTime: subscription.validateDateTime,
    rejectDateTime: subscription.rejectDateTime,
    endDateTime: subscription.endDateTime,
    rejectionReason: subscription.rejectionReason,
    email: subscription.email,
    localAdministrator: subscription.localAdministrator,
    status: 'Actif',
    activateDateTime: subscription.status === 'Actif' && subscription.activateDateTime ? subscription.activateDateTime : now,
    updateDateTime: now,
    ...wanted,
  };
  return hubee.updateSubscription(subscription.id, update);
}

/** HubEE's phone pattern is digits only, with an optional leading +; anything else is left out. */
function hubeePhone(value: string | null | undefined): string | null {
  const cleaned = (value ?? '').replace(/[\s.\-()]/g, '');
  return /^\+?[0-9]{10,20}$/.test(cleaned) ? cleaned : null;
}

function asStepFailure(step: OnboardingStep, error: unknown): StepFailure {
  if (error instanceof HubeeError) {
    // Refusals need someone to look (our request or HubEE's referential is wrong); the rest is HubEE being away.
    const permanent = error.kind === 'bad_request' || error.kind === 'forbidden';
    return new StepFailure(step, error.message, permanent);
  }
  return new StepFailure(step, error instanceof Error ? error.message : 'unknown error', false);
}

const LOWER_WORDS = new Set(['de', 'du', 'des', 'la', 'le', 'les', 'sur', 'sous', 'en', 'et', 'aux', 'au', 'lès', 'lez']);

/** "COMMUNE DE SAINT-DENIS-LES-BAINS" → "Commune de Saint-Denis-les-Bains": Sirene names are in capitals. */
export function displayName(sireneName: string): string {
  const words = sireneName.trim().toLowerCase().split(/\s+/);
  return words
    .map((word, index) =>
      word
        .split('-')
        .map((part, partIndex) => {
          if ((index > 0 || partIndex > 0) && LOWER_WORDS.has(part)) return part;
          const elided = /^([ld]')(.+)$/.exec(part);
          if (elided && (index > 0 || partIndex > 0)) return `${elided[1]}${capitalize(elided[2] ?? '')}`;
          return capitalize(part);
        })
        .join('-'),
    )
    .join(' ');
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
