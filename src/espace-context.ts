import type { Db } from './db/database.ts';
import { createApiKeyRepository, type ApiKeyRepository } from './db/repositories/api-keys.ts';
import { createCollectivityAgents, createEditeurMembers, type CollectivityAgents, type OrganisationMembers } from './db/repositories/collectivity-agents.ts';
import { createEditeurRepository, type EditeurRepository } from './db/repositories/editeurs.ts';
import { createCommuneTransmissions, type CommuneTransmissions } from './db/repositories/commune-transmissions.ts';
import { createEspaceJournal, type EspaceJournal } from './db/repositories/espace-journal.ts';
import { createSessionStore, type SessionStore } from './db/repositories/espace-sessions.ts';
import { createFamilyInfoRepository, type FamilyInfo, type FamilyInfoRepository } from './db/repositories/family-info.ts';
import { familyInfoShownToFamilies } from './usecases/family-info-shown.ts';
import type { RecentLookups } from './usecases/recent-lookups.ts';
import type { Config } from './config/config.ts';
import { createProConnectClient, type ProConnectClient } from './integrations/proconnect/client.ts';
import type { ProConnectUser } from './integrations/proconnect/user.ts';
import { createCommuneApiParticulierTokens, type CommuneApiParticulierTokens } from './usecases/commune-api-particulier-token.ts';
import { createLookupHasher } from './security/lookup-hash.ts';
import type { PersonalDataCipher } from './security/personal-data-cipher.ts';

/** What a signed-in agent's session holds (encrypted in espace_sessions). */
export interface EspaceSessionData {
  user: ProConnectUser;
  /** Kept for the logout through ProConnect (contract §8.8). */
  idToken: string;
}

/** The espace collectivité's part of the application context. */
export interface EspaceContext {
  proConnect: ProConnectClient;
  agents: CollectivityAgents;
  journal: EspaceJournal;
  sessions: SessionStore<EspaceSessionData>;
  familyInfo: FamilyInfoRepository;
  /** The same, as the families' pages show it: from memory, at most 30 s old (usecases/family-info-shown.ts). */
  familyInfoShownToFamilies: RecentLookups<FamilyInfo>;
  transmissions: CommuneTransmissions;
  /** Éditeurs, their client communes, their members and their own journal (issue 14). */
  editeurs: EditeurRepository;
  editeurMembers: OrganisationMembers;
  editeurJournal: EspaceJournal;
  /** API keys of communes and éditeurs. */
  apiKeys: ApiKeyRepository;
  /** Each commune's API Particulier token, sealed (issue 13). */
  apiParticulierTokens: CommuneApiParticulierTokens;
}

export function createEspaceContext(deps: { config: Config; db: Db; cipher: PersonalDataCipher; now?: () => Date }): EspaceContext {
  const { config, db, cipher } = deps;
  const familyInfo = familyInfoShownToFamilies(createFamilyInfoRepository(db), { maxAgeMs: 30_000 });
  return {
    proConnect: createProConnectClient(config.proConnect),
    agents: createCollectivityAgents({ db, cipher, hash: createLookupHasher(config.secrets.personalDataKey) }),
    journal: createEspaceJournal({ db, cipher }),
    sessions: createSessionStore<EspaceSessionData>({ db, cipher, kind: 'agent', ...(deps.now ? { now: deps.now } : {}) }),
    familyInfo: familyInfo.repository,
    familyInfoShownToFamilies: familyInfo.shown,
    transmissions: createCommuneTransmissions(db),
    editeurs: createEditeurRepository(db),
    editeurMembers: createEditeurMembers({ db, cipher, hash: createLookupHasher(config.secrets.personalDataKey) }),
    editeurJournal: createEspaceJournal({ db, cipher }, 'editeur'),
    apiKeys: createApiKeyRepository(db),
    apiParticulierTokens: createCommuneApiParticulierTokens({ db, cipher }),
  };
}
