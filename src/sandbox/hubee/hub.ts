import type { Config } from '../../config/config.ts';
import type { FaultPlan } from '../faults/registry.ts';
import type { HubeeState } from './model.ts';
import type { HubeeStore } from './store.ts';
import type { HubeeStep } from './steps.ts';

export { HUBEE_STEPS, type HubeeStep } from './steps.ts';

/** Knobs for tests and demos. Defaults are HubEE's documented behaviour. */
export interface HubeeStandInOptions {
  /** Access-token lifetime; HubEE's 2024 interface contract says 1 hour (contracts/hubee.md §1.4). */
  tokenLifetimeSeconds?: number;
  /** The stand-in's clock (ms since epoch), so tests can age tokens without waiting. */
  now?: () => number;
  /**
   * Fault injection (HubEE answering 500, hanging, resetting the connection, answering too late at a chosen step):
   * the plan is consulted on every request, matched on the route's `config.hubeeStep`. Defaults to the sandbox's
   * plan when there is one (src/sandbox/faults/).
   */
  faults?: FaultPlan;
  /**
   * Where it is mounted: `/hubee` by default; `/hubee-qualification` for HubEE's qualification environment, a
   * second stand-in with its own state, its own OSL credentials and no ADMIN client (what test dossiers reach).
   */
  prefix?: string;
  /** The app's clients it knows; by default the OSL and ADMIN pairs of the app's main HubEE configuration. */
  clients?: { osl: ClientPair; admin: ClientPair | null };
}

export interface ClientPair {
  clientId: string;
  clientSecret: string;
}

export const DEFAULT_TOKEN_LIFETIME_SECONDS = 3600;

/** What every module of the stand-in works with. */
export interface Hub {
  store: HubeeStore;
  state: HubeeState;
  config: Config;
  /** The mount point (`/hubee`, `/hubee-qualification`), for the links of the portal. */
  prefix: string;
  /** The app's OSL and ADMIN clients (no ADMIN in the qualification stand-in). */
  clients: { osl: ClientPair; admin: ClientPair | null };
  tokenLifetimeSeconds: number;
  /** Folders deleted since start (in memory only): what the census counts as `deleted`. */
  deletedFolders: { folderId: string; externalId: string; processCode: string }[];
  nowMs(): number;
  nowIso(): string;
}

export function createHub(store: HubeeStore, config: Config, options: HubeeStandInOptions): Hub {
  const nowMs = options.now ?? Date.now;
  return {
    store,
    state: store.state,
    config,
    prefix: options.prefix ?? '/hubee',
    clients: options.clients ?? { osl: config.hubee.osl, admin: config.hubee.admin },
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS,
    deletedFolders: [],
    nowMs,
    nowIso: () => new Date(nowMs()).toISOString(),
  };
}


declare module 'fastify' {
  interface FastifyContextConfig {
    /** The HubEE stand-in's name for the API step a route implements: what fault rules match (HubeeStandInOptions.faults). */
    hubeeStep?: HubeeStep;
  }
}

export function step(name: HubeeStep): { config: { hubeeStep: HubeeStep } } {
  return { config: { hubeeStep: name } };
}
