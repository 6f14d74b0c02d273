import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config/config.ts';
import type { Db } from './db/database.ts';
import { createCollectivityRepository, type CollectivityRepository } from './db/repositories/collectivities.ts';
import { createCollectivitySearch, type CollectivitySearch } from './usecases/collectivity-search.ts';
import { createJourneyStore, type JourneyStore } from './db/repositories/journey-store.ts';
import { createShipmentRepository, type ShipmentRepository } from './db/repositories/shipments.ts';
import { buildTeledossier } from './domain/formulaire-qf/teledossier.ts';
import { createApiParticulierClient, type ApiParticulierClient } from './integrations/api-particulier/client.ts';
import { createFranceConnectClient, type FranceConnectClient } from './integrations/franceconnect/client.ts';
import { createHubeeClient } from './integrations/hubee/client.ts';
import { createHubeeFolderPort } from './integrations/hubee/formulaire-qf-folder.ts';
import { createInseeClient, type InseeClient } from './integrations/insee/client.ts';
import type { JobQueue } from './jobs/queue.ts';
import { createMetrics, type Metrics } from './metrics/recorder.ts';
import { createPersonalDataCipher, type PersonalDataCipher } from './security/personal-data-cipher.ts';
import { transmitShipment, type TransmitOutcome } from './usecases/transmit-shipment.ts';
import type { Journey } from './usecases/journey.ts';

/** Everything the web layer and the jobs use, built once from the configuration: no module-level singletons. */
export interface AppContext {
  config: Config;
  logger: Logger;
  db: Db;
  queue: JobQueue;
  cipher: PersonalDataCipher;
  journeys: JourneyStore<Journey>;
  collectivities: CollectivityRepository;
  collectivitySearch: CollectivitySearch;
  shipments: ShipmentRepository;
  franceConnect: FranceConnectClient;
  apiParticulier: ApiParticulierClient;
  insee: InseeClient;
  /** Counted events for the operator's figures (nothing personal); recording never throws. */
  metrics: Metrics;
  transmit(reference: string): Promise<TransmitOutcome>;
  /** Set by the web layer: renders an error page (or JSON under /api). */
  renderError(request: FastifyRequest, reply: FastifyReply, status: number, code?: string): FastifyReply;
}

export const JOURNEY_TTL_SECONDS = 30 * 60;

export function createContext(deps: { config: Config; logger: Logger; db: Db; queue: JobQueue }): Omit<AppContext, 'renderError'> {
  const { config, logger, db, queue } = deps;
  const cipher = createPersonalDataCipher(config.secrets.personalDataKey);
  const shipments = createShipmentRepository(db);
  // The search index is rebuilt after any change made here, and within 30 s of a change made by another instance.
  let collectivitySearch: CollectivitySearch | null = null;
  const collectivities = createCollectivityRepository(db, { onChange: () => collectivitySearch?.invalidate() });
  collectivitySearch = createCollectivitySearch(() => collectivities.listActiveSummaries(), { maxAgeMs: 30_000 });
  const hubeeOsl = createHubeeClient({
    apiUrl: config.hubee.apiUrl,
    tokenUrl: config.hubee.tokenUrl,
    clientId: config.hubee.osl.clientId,
    clientSecret: config.hubee.osl.clientSecret,
    scope: 'OSL',
    timeoutMs: config.hubee.timeoutMs,
    partnerInfo: { editorName: 'DINUM', applicationName: 'Formulaire QF' },
  });
  const hubeeFolders = createHubeeFolderPort(hubeeOsl);
  const metrics = createMetrics({ db, logger });
  return {
    config,
    logger,
    db,
    queue,
    cipher,
    journeys: createJourneyStore<Journey>({ db, cipher, ttlSeconds: JOURNEY_TTL_SECONDS }),
    collectivities,
    collectivitySearch,
    shipments,
    franceConnect: createFranceConnectClient(config.franceConnect),
    apiParticulier: createApiParticulierClient(config.apiParticulier),
    insee: createInseeClient(config.insee),
    metrics,
    transmit: (reference) =>
      transmitShipment(
        { shipments, hubee: hubeeFolders, cipher, buildTeledossier, logger, metrics, retryBaseSeconds: config.shipments.retryBaseSeconds },
        reference,
      ),
  };
}
