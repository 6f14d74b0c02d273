import { HUBEE_STEPS, type HubeeStep } from '../../src/sandbox/hubee/hub.ts';
import { HUBEE_FAULT_KINDS, type FaultPlanInput, type HubeeFaultRule } from '../../src/sandbox/faults/index.ts';

/**
 * Which faults the chaos run plays:
 * - `all`: every kind at every step, each `timeout` and `succeed_late` outlasting our client's wait for that step,
 *   createFolder included: a folder HubEE creates after we gave up cannot be found again (HubEE v1 has no search),
 *   so this mix may leave "unreachable" incomplete folders, counted apart;
 * - `creation-answered`: the same, except that a late createFolder answers within our wait (production waits 30 s
 *   for it, far beyond HubEE's usual answer): the mix under which "0 orphan folders" is claimed.
 */
export const CHAOS_MIXES = ['all', 'creation-answered'] as const;
export type ChaosMix = (typeof CHAOS_MIXES)[number];

/** How long our HubEE client waits, per kind of call (the service's HUBEE_*_TIMEOUT_MS). */
export interface HubeeWaits {
  timeoutMs: number;
  createFolderTimeoutMs: number;
  uploadTimeoutMs: number;
}

/** The steps our service calls (the portal is the agents' web page, not an API call). */
const API_STEPS = HUBEE_STEPS.filter((step) => step !== 'portal');

/**
 * A seeded plan under which each HubEE API call fails with `probability`, the four kinds equally likely. One group
 * of four rules per step, so that a call draws only in its own group: rule i of a group fires with
 * (p/4) / (1 − i·p/4), which makes each kind p/4 of the calls once the earlier rules of the group have passed.
 */
export function chaosPlan(options: { probability: number; seed: number; mix: ChaosMix; waits: HubeeWaits }): FaultPlanInput {
  const share = options.probability / HUBEE_FAULT_KINDS.length;
  const rules: HubeeFaultRule[] = [];
  for (const step of API_STEPS) {
    const wait = waitFor(step, options.waits);
    HUBEE_FAULT_KINDS.forEach((kind, index) => {
      const answeredInTime = kind === 'succeed_late' && step === 'createFolder' && options.mix === 'creation-answered';
      rules.push({
        system: 'hubee',
        step,
        kind,
        times: 'always',
        probability: share / (1 - index * share),
        ...(kind === 'timeout' || kind === 'succeed_late' ? { delayMs: answeredInTime ? Math.round(wait / 2) : wait + 1000 } : {}),
      });
    });
  }
  return { rules, seed: options.seed };
}

function waitFor(step: HubeeStep, waits: HubeeWaits): number {
  if (step === 'createFolder') return waits.createFolderTimeoutMs;
  if (step === 'uploadAttachment') return waits.uploadTimeoutMs;
  return waits.timeoutMs;
}
