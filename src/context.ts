import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Config, HubeeEndpoint } from './config/config.ts';
import type { HubeeEnvironment } from './domain/hubee-environment.ts';
import type { Db } from './db/database.ts';
import { createCollectivityRepository, type CollectivityRecord, type CollectivityRepository } from './db/repositories/collectivities.ts';
import { createCollectivitySearch, type CollectivitySearch } from './usecases/collectivity-search.ts';
import { createCollectivityNames, type CollectivityNames } from './usecases/collectivity-names.ts';
import { createRecentLookups, type RecentLookups } from './usecases/recent-lookups.ts';
import { createJourneyStore, type JourneyStore } from './db/repositories/journey-store.ts';
import { createShipmentRepository, type ClaimedShipment, type ShipmentRepository } from './db/repositories/shipments.ts';
import { buildTeledossier } from './domain/formulaire-qf/teledossier.ts';
import { createApiParticulierClient, type ApiParticulierClient } from './integrations/api-particulier/client.ts';
import { createFranceConnectClient, type FranceConnectClient } from './integrations/franceconnect/client.ts';
import { createHubeeClient } from './integrations/hubee/client.ts';
import { createHubeeFolderPort } from './integrations/hubee/formulaire-qf-folder.ts';
import { createInseeClient, type InseeClient } from './integrations/insee/client.ts';
import type { JobQueue } from './jobs/queue.ts';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { createFollowUpClaims } from './db/repositories/hubee-follow-up-claims.ts';
import { createDatapassEventLog, createOnboardingRepository, type OnboardingRepository } from './db/repositories/onboardings.ts';
import { enqueueOnboarding, ONBOARDING_QUEUE } from './jobs/onboarding.ts';
import { onboardCollectivity, type OnboardingOutcome } from './usecases/onboard-collectivity.ts';
import { processHubeeNotifications, sumFollowUps, type FollowUpSummary, type ShipmentStatusChangedHook } from './usecases/process-hubee-notifications.ts';
import { receiveDatapassEvent, type DatapassOutcome } from './usecases/receive-datapass-event.ts';
import type { DatapassEvent } from './integrations/datapass/payload.ts';
import { createMetrics, type Metrics } from './metrics/recorder.ts';
import { createFailedAuthLimiter, type FailedAuthLimiter } from './security/failed-auth-limiter.ts';
import { createPersonalDataCipher, type PersonalDataCipher } from './security/personal-data-cipher.ts';
import { createFamilyFingerprinter, type FamilyFingerprinter } from './security/family-fingerprint.ts';
import { transmitClaimedShipment, transmitShipment, type TransmitDeps, type TransmitOutcome } from './usecases/transmit-shipment.ts';
import type { Journey } from './usecases/journey.ts';
import { createWebhooks, type WebhookService } from './webhooks/index.ts';
import { initErrorReporting, type ErrorReporter } from './observability/error-reporting.ts';
import { WorkGivenUp } from './jobs/reported-failures.ts';
import { TRANSMIT_QUEUE } from './jobs/workers.ts';
import { createEspaceContext, type EspaceContext } from './espace-context.ts';
import { createOperatorContext, type OperatorContext } from './operator-context.ts';
import { addAdministrators } from './usecases/manage-agents.ts';
import { createMiseAJour, type MiseAJour } from './usecases/mise-a-jour/mise-a-jour.ts';

/** Everything the web layer and the jobs use, built once from the configuration: no module-level singletons. */
export interface AppContext {
  config: Config;
  logger: Logger;
  db: Db;
  queue: JobQueue;
  cipher: PersonalDataCipher;
  /** Recognises a family transmitting again to the same commune, keeping nothing of who it is. */
  familyFingerprint: FamilyFingerprinter;
  journeys: JourneyStore<Journey>;
  collectivities: CollectivityRepository;
  collectivitySearch: CollectivitySearch;
  /** Names for the citizen's pages, from memory (no query per page). */
  collectivityNames: CollectivityNames;
  /**
   * The active collectivity of a SIRET, from memory, for the pages that start a journey (the collectivity's page and
   * the FranceConnect button): each read it again, a query each. At most 30 s stale after another instance's change
   * (immediately fresh after this one's), as the chooser's index already is: a commune deactivated elsewhere can still
   * have a login started there that long, and a return link its administrators just removed can still be accepted
   * that long. Both are acceptable because nothing leaves for the commune on these pages: "Transmettre" checks the
   * collectivity in the statement that records the shipment, never from here (record-transmission.ts).
   */
  activeCollectivities: RecentLookups<CollectivityRecord>;
  shipments: ShipmentRepository;
  franceConnect: FranceConnectClient;
  apiParticulier: ApiParticulierClient;
  insee: InseeClient;
  /** Counted events for the operator's figures (nothing personal); recording never throws. */
  metrics: Metrics;
  transmit(reference: string): Promise<TransmitOutcome>;
  /** The same, on a shipment this process holds already ("Transmettre" records it with its first lease). */
  transmitClaimed(claimed: ClaimedShipment): Promise<TransmitOutcome>;
  /** One run of the HubEE follow-up (the job calls it every HUBEE_POLL_SECONDS). */
  followUpHubee(): Promise<FollowUpSummary>;
  /** Registers a hook called after the follow-up stored a new shipment status (the éditeur webhooks). */
  onShipmentStatusChanged(hook: ShipmentStatusChangedHook): void;
  onboardings: OnboardingRepository;
  onboard(habilitationId: number): Promise<OnboardingOutcome>;
  receiveDatapass(input: { bodyDigest: string; event: DatapassEvent; data: Record<string, unknown> }): Promise<DatapassOutcome>;
  /** Outgoing webhooks to collectivities and éditeurs (transmission sent, status changed). */
  webhooks: WebhookService;
  /** Sentry when SENTRY_DSN is set, a no-op otherwise: 5xx, failed jobs, work given up. */
  errors: ErrorReporter;
  /** The espace collectivité: ProConnect, agents, their journal and sessions, what communes show families. */
  espace: EspaceContext;
  /** The back office: operators signed in with ProConnect, on the allowlist of OPERATORS. */
  operators: OperatorContext;
  /** The espace's Mise à jour annuelle: batches of families whose QF a job refreshes with the commune's token. */
  miseAJour: MiseAJour;
  /** Failed authentications, one limiter per way in (a new sign-in adds its own with createFailedAuthLimiter). */
  authLimiters: { admin: FailedAuthLimiter; apiToken: FailedAuthLimiter };
  /** Set by the web layer: renders an error page (or JSON under /api). */
  renderError(request: FastifyRequest, reply: FastifyReply, status: number, code?: string): FastifyReply;
}

export const JOURNEY_TTL_SECONDS = 30 * 60;

/** `now`: the clock of the agents' and operators' sessions and of the citizens' journeys (tests move it instead of waiting). */
export function createContext(deps: { config: Config; logger: Logger; db: Db; queue: JobQueue; now?: () => Date }): Omit<AppContext, 'renderError'> {
  const { config, logger, db, queue } = deps;
  const cipher = createPersonalDataCipher(config.secrets.personalDataKey);
  const shipments = createShipmentRepository(db);
  // The search index and the names are rebuilt after any change made here, and within 30 s of a change made by
  // another instance.
  let collectivitySearch: CollectivitySearch | null = null;
  let collectivityNames: CollectivityNames | null = null;
  let activeCollectivities: RecentLookups<CollectivityRecord> | null = null;
  const collectivities = createCollectivityRepository(db, {
    onChange: () => {
      collectivitySearch?.invalidate();
      collectivityNames?.invalidate();
      activeCollectivities?.invalidate();
    },
  });
  collectivitySearch = createCollectivitySearch(() => collectivities.listActiveSummaries(), { maxAgeMs: 30_000, hideTestCollectivities: config.env === 'production' });
  collectivityNames = createCollectivityNames((siret) => collectivities.findBySiret(siret), { maxAgeMs: 30_000 });
  activeCollectivities = createRecentLookups((siret) => collectivities.findActiveBySiret(siret), { maxAgeMs: 30_000 });
  // Our OSL in each HubEE environment: production always, qualification (test dossiers) when configured. One
  // client, one folder port and one follow-up per environment, the same code for both.
  const oslIn = (endpoint: HubeeEndpoint) =>
    createHubeeClient({
      apiUrl: endpoint.apiUrl,
      tokenUrl: endpoint.tokenUrl,
      clientId: endpoint.osl.clientId,
      clientSecret: endpoint.osl.clientSecret,
      scope: 'OSL',
      timeoutMs: config.hubee.timeoutMs,
      createFolderTimeoutMs: config.hubee.createFolderTimeoutMs,
      uploadTimeoutMs: config.hubee.uploadTimeoutMs,
      partnerInfo: { editorName: 'DINUM', applicationName: 'Formulaire QF' },
    });
  const hubeeOsl = oslIn(config.hubee);
  const qualificationOsl = config.hubee.qualification ? oslIn(config.hubee.qualification) : null;
  const hubeeFolders = createHubeeFolderPort(hubeeOsl);
  const qualificationFolders = qualificationOsl ? createHubeeFolderPort(qualificationOsl) : null;
  const followedEnvironments: { environment: HubeeEnvironment; hubee: typeof hubeeOsl }[] = [
    { environment: 'production', hubee: hubeeOsl },
    ...(qualificationOsl ? [{ environment: 'qualification' as const, hubee: qualificationOsl }] : []),
  ];
  const metrics = createMetrics({ db, logger });
  const hubeeAdmin = createHubeeClient({
    apiUrl: config.hubee.apiUrl,
    tokenUrl: config.hubee.tokenUrl,
    clientId: config.hubee.admin.clientId,
    clientSecret: config.hubee.admin.clientSecret,
    scope: 'ADMIN',
    timeoutMs: config.hubee.timeoutMs,
    partnerInfo: { editorName: 'DINUM', applicationName: 'Formulaire QF' },
  });
  const insee = createInseeClient(config.insee);
  const followUpClaims = createFollowUpClaims(db);
  const followUpOwner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const statusHooks: ShipmentStatusChangedHook[] = [];
  const webhooks = createWebhooks({ config, logger, db, queue, collectivities, cipher });
  statusHooks.push(async (change) => {
    await webhooks.publishStatusChanged(change.reference, change.status);
  });
  const onboardings = createOnboardingRepository(db);
  const datapassEvents = createDatapassEventLog(db);
  const errors = initErrorReporting(config.errorReporting);
  const clock = deps.now ? { now: deps.now } : {};
  const espace = createEspaceContext({ config, db, cipher, ...clock });
  const apiParticulier = createApiParticulierClient(config.apiParticulier);
  const miseAJour = createMiseAJour({ db, cipher, queue, apiParticulier, journal: espace.journal, tokens: espace.apiParticulierTokens });
  const transmitDeps: TransmitDeps = {
    shipments,
    hubee: hubeeFolders,
    qualificationHubee: qualificationFolders,
    cipher,
    buildTeledossier,
    logger,
    metrics,
    retryBaseSeconds: config.shipments.retryBaseSeconds,
    leaseSeconds: config.shipments.leaseSeconds,
    onSent: (reference) => webhooks.publishTransmissionSent(reference),
  };
  // Whoever made the attempt (the queue, the sweep or "Transmettre" itself), a transmission given up is reported.
  const reportedTransmission = async (attempt: Promise<TransmitOutcome>) => {
    const outcome = await attempt;
    if (outcome.kind === 'failed') errors.jobFailed(new WorkGivenUp('transmission', outcome.reason), { queue: TRANSMIT_QUEUE, outcome: 'failed' });
    return outcome;
  };
  return {
    config,
    logger,
    db,
    queue,
    cipher,
    familyFingerprint: createFamilyFingerprinter(config.secrets.personalDataKey),
    journeys: createJourneyStore<Journey>({ db, cipher, ttlSeconds: JOURNEY_TTL_SECONDS, memoryEntries: config.journeys.memoryEntries, ...clock }),
    collectivities,
    collectivitySearch,
    collectivityNames,
    activeCollectivities,
    shipments,
    franceConnect: createFranceConnectClient(config.franceConnect),
    apiParticulier,
    insee,
    metrics,
    errors,
    transmit: (reference) => reportedTransmission(transmitShipment(transmitDeps, reference)),
    transmitClaimed: (claimed) => reportedTransmission(transmitClaimedShipment(transmitDeps, claimed)),
    followUpHubee: async () => {
      // Finished claims only guard against a notification read twice in a row; a week is plenty.
      await followUpClaims.purgeFinished(7);
      // One environment after the other: a HubEE that fails leaves the other's statuses to flow.
      const summaries: FollowUpSummary[] = [];
      let failure: unknown = null;
      for (const { environment, hubee } of followedEnvironments) {
        try {
          summaries.push(
            await processHubeeNotifications({
              hubee,
              environment,
              shipments,
              claims: followUpClaims,
              logger,
              owner: followUpOwner,
              batchSize: config.hubeeFollowUp.batchSize,
              onShipmentStatusChanged: async (change) => {
                for (const hook of statusHooks) await hook(change);
              },
            }),
          );
        } catch (error) {
          failure ??= error;
        }
      }
      if (failure !== null) throw failure;
      return sumFollowUps(summaries);
    },
    onShipmentStatusChanged: (hook) => {
      statusHooks.push(hook);
    },
    webhooks,
    espace,
    operators: createOperatorContext({ config, db, cipher, ...clock }),
    miseAJour,
    authLimiters: { admin: createFailedAuthLimiter('admin', config.authFailures), apiToken: createFailedAuthLimiter('api-token', config.authFailures) },
    onboardings,
    onboard: async (habilitationId) => {
      const outcome = await onboardCollectivity(
        {
          onboardings, collectivities, insee, hubee: hubeeAdmin, cipher, logger, retryBaseSeconds: config.onboarding.retryBaseSeconds,
          firstAdministrators: async (siret, emails) => {
            await addAdministrators(espace, siret, { kind: 'datapass', name: null }, emails);
          },
          linkEditeur: async (editeur, collectivitySiret) => {
            await espace.editeurs.ensure(editeur);
            if (await espace.editeurs.linkClient(editeur.siret, collectivitySiret, 'datapass')) {
              await espace.editeurJournal.record({ siret: editeur.siret, actorKind: 'datapass', actor: null, action: 'client_linked', detail: collectivitySiret });
            }
          },
        },
        habilitationId,
      );
      if (outcome.kind === 'failed') errors.jobFailed(new WorkGivenUp(`onboarding (${outcome.step})`, outcome.reason), { queue: ONBOARDING_QUEUE, outcome: 'failed' });
      return outcome;
    },
    receiveDatapass: (input) =>
      receiveDatapassEvent(
        { events: datapassEvents, onboardings, collectivities, cipher, logger, startOnboarding: (id) => enqueueOnboarding(queue, id) },
        input,
      ),
  };
}
