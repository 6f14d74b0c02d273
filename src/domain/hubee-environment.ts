import type { AppEnv } from '../config/config.ts';

/**
 * Which HubEE a shipment goes to, recorded when it is created (migration 0014) and never derived later: the
 * configuration may change between its creation and its sending. A family's shipment always goes to production.
 */
export type HubeeEnvironment = 'production' | 'qualification';

export const HUBEE_ENVIRONMENTS: readonly HubeeEnvironment[] = ['production', 'qualification'];

/**
 * Where a test dossier goes, or null when it must be refused: the qualification environment when the service is
 * linked to it; otherwise, outside production, the one HubEE configured (the local sandbox, a test platform's
 * stand-in); never a commune's production HubEE, where it would reach the agents' real inbox.
 */
export function testDossierEnvironment(appEnv: AppEnv, qualificationConfigured: boolean): HubeeEnvironment | null {
  if (qualificationConfigured) return 'qualification';
  return appEnv === 'production' ? null : 'production';
}

/**
 * Where a test dossier went, as the API and the journals name it: a test dossier recorded for "production" exists
 * only outside production, where that is the service's own HubEE (the sandbox).
 */
export function testDossierDestination(environment: HubeeEnvironment): 'qualification' | 'bac_a_sable' {
  return environment === 'qualification' ? 'qualification' : 'bac_a_sable';
}
