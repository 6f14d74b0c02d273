import type { Config } from '../../../config/config.ts';
import type { HubeeState } from './model.ts';
import type { HubeeStore } from './store.ts';

/** Knobs for tests and demos. Defaults are HubEE's documented behaviour. */
export interface HubeeStandInOptions {
  /** Access-token lifetime; HubEE's 2024 interface contract says 1 hour (contracts/hubee.md §1.4). */
  tokenLifetimeSeconds?: number;
  /** The stand-in's clock (ms since epoch), so tests can age tokens without waiting. */
  now?: () => number;
  /**
   * Reserved for fault injection (HubEE answering 500, hanging, resetting the connection at a chosen step).
   * Every route declares its step name in `routeOptions.config.hubeeStep`, so a future `onRequest` hook can match
   * on it without touching the handlers.
   */
  faults?: never;
}

export const DEFAULT_TOKEN_LIFETIME_SECONDS = 3600;

/** What every module of the stand-in works with. */
export interface Hub {
  store: HubeeStore;
  state: HubeeState;
  config: Config;
  tokenLifetimeSeconds: number;
  nowMs(): number;
  nowIso(): string;
}

export function createHub(store: HubeeStore, config: Config, options: HubeeStandInOptions): Hub {
  const nowMs = options.now ?? Date.now;
  return {
    store,
    state: store.state,
    config,
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS,
    nowMs,
    nowIso: () => new Date(nowMs()).toISOString(),
  };
}

/** Names the API step a route implements: the key a fault hook will match on. */
export type HubeeStep =
  | 'token'
  | 'createFolder'
  | 'getFolder'
  | 'patchFolder'
  | 'deleteFolder'
  | 'uploadAttachment'
  | 'getCase'
  | 'patchCase'
  | 'downloadCaseAttachment'
  | 'createEvent'
  | 'getEvent'
  | 'patchEvent'
  | 'deleteEvent'
  | 'listNotifications'
  | 'deleteNotification'
  | 'listOrganizations'
  | 'getOrganization'
  | 'createOrganization'
  | 'putOrganization'
  | 'listSubscriptions'
  | 'getSubscription'
  | 'createSubscription'
  | 'putSubscription'
  | 'portal';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The HubEE stand-in's name for the API step a route implements (see HubeeStandInOptions.faults). */
    hubeeStep?: HubeeStep;
  }
}

export function step(name: HubeeStep): { config: { hubeeStep: HubeeStep } } {
  return { config: { hubeeStep: name } };
}
