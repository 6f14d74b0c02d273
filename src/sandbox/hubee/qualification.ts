import { LOCAL_SECRET_PREFIX, type Config } from '../../config/config.ts';
import type { StandIn } from '../stand-in.ts';
import { createHubeeStandIn } from './index.ts';

/** Where the stand-in of HubEE's qualification environment is mounted on the sandbox. */
export const HUBEE_QUALIFICATION_PREFIX = '/hubee-qualification';

/** The OSL pair it accepts when the app's configuration names none (published here: never a real secret). */
export const LOCAL_QUALIFICATION_OSL = {
  clientId: 'formulaire-qf-osl-qualification',
  clientSecret: `${LOCAL_SECRET_PREFIX}hubee-qualification-osl-do-not-use-in-production-0123456789`,
} as const;

/** The four variables that link the app to the qualification stand-in of the sandbox at `sandboxUrl`. */
export function qualificationStandInEnv(sandboxUrl: string): Record<string, string> {
  return {
    HUBEE_QUALIFICATION_API_URL: `${sandboxUrl}${HUBEE_QUALIFICATION_PREFIX}`,
    HUBEE_QUALIFICATION_TOKEN_URL: `${sandboxUrl}${HUBEE_QUALIFICATION_PREFIX}/oauth2/token`,
    HUBEE_QUALIFICATION_OSL_CLIENT_ID: LOCAL_QUALIFICATION_OSL.clientId,
    HUBEE_QUALIFICATION_OSL_CLIENT_SECRET: LOCAL_QUALIFICATION_OSL.clientSecret,
  };
}

/** The OSL pair of the qualification stand-in: the app's own when it is configured, the local one otherwise. */
export function qualificationOsl(config: Pick<Config, 'hubee'>): { clientId: string; clientSecret: string } {
  return config.hubee.qualification?.osl ?? LOCAL_QUALIFICATION_OSL;
}

/**
 * A second HubEE, standing for its qualification environment: the same stand-in with its own state (its own
 * folders, cases and notifications), the same communes' subscriptions, our OSL under other credentials, and no
 * ADMIN client (onboarding happens in production only). Test dossiers reach it when the app is configured so.
 */
export const hubeeQualificationStandIn: StandIn = (app, context) =>
  createHubeeStandIn({ prefix: HUBEE_QUALIFICATION_PREFIX, clients: { osl: qualificationOsl(context.config), admin: null } })(app, context);
