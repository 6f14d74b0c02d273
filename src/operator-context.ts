import type { Config } from './config/config.ts';
import type { AllowedOperator } from './config/operators.ts';
import type { Db } from './db/database.ts';
import { createSessionStore, type SessionStore } from './db/repositories/espace-sessions.ts';
import { createProConnectClient, type ProConnectClient } from './integrations/proconnect/client.ts';
import type { PersonalDataCipher } from './security/personal-data-cipher.ts';

/** What a signed-in operator's session holds (encrypted in espace_sessions, kind `operator`). */
export interface OperatorSessionData {
  sub: string;
  email: string;
  name: string;
  /** Kept for the logout through ProConnect (id_token_hint). */
  idToken: string;
}

/** The back office's part of the application context: its ProConnect callbacks, its sessions, its allowlist. */
export interface OperatorContext {
  proConnect: ProConnectClient;
  sessions: SessionStore<OperatorSessionData>;
  allowlist: readonly AllowedOperator[];
}

export function createOperatorContext(deps: { config: Config; db: Db; cipher: PersonalDataCipher; now?: () => Date }): OperatorContext {
  const { config, db, cipher } = deps;
  const { admin, ...proConnect } = config.proConnect;
  return {
    // The same ProConnect client as the espace's, sending the operator back to /admin's own callbacks.
    proConnect: createProConnectClient({ ...proConnect, admin, redirectUri: admin.redirectUri, postLogoutRedirectUri: admin.postLogoutRedirectUri }),
    sessions: createSessionStore<OperatorSessionData>({ db, cipher, kind: 'operator', ...(deps.now ? { now: deps.now } : {}) }),
    allowlist: config.operators,
  };
}
