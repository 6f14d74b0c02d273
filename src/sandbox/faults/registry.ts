import type { ApiParticulierFaultKind, FaultPlanInput, FaultRule, HubeeFaultKind } from './plan.ts';
import type { HubeeStep } from '../hubee/steps.ts';

/** The request a stand-in asks about. `completes` marks the PATCH of a folder to HUBEE_COMPLETED. */
export type FaultTarget = { system: 'hubee'; step: HubeeStep; completes: boolean } | { system: 'api-particulier' };

/** The fault to play on one request; `delayMs` null means the stand-in's default (a second beyond its client's wait). */
export type Fault =
  | { system: 'hubee'; kind: HubeeFaultKind; delayMs: number | null }
  | { system: 'api-particulier'; kind: ApiParticulierFaultKind; delayMs: number | null };

export interface RuleState {
  rule: FaultRule;
  /** How many requests it failed so far. */
  fired: number;
  remaining: number | 'always';
}

/**
 * The registry the stand-ins consult on every request. Rules are tried in order; the first one that matches,
 * still has times left and wins its (seeded) draw decides the request's fault.
 */
export interface FaultPlan {
  /** Replaces the current plan; the random draws start again from the plan's seed. */
  set(plan: FaultPlanInput): void;
  clear(): void;
  draw(target: FaultTarget): Fault | null;
  state(): RuleState[];
}

export function createFaultPlan(initial: FaultPlanInput = { rules: [] }): FaultPlan {
  let rules: RuleState[] = [];
  let random = seededRandom(1);
  const set = (plan: FaultPlanInput) => {
    rules = plan.rules.map((rule) => ({ rule, fired: 0, remaining: rule.times ?? 1 }));
    random = seededRandom(plan.seed ?? 1);
  };
  set(initial);

  return {
    set,
    clear: () => set({ rules: [] }),
    draw(target) {
      for (const entry of rules) {
        if (entry.remaining !== 'always' && entry.remaining <= 0) continue;
        if (!matches(entry.rule, target)) continue;
        if (entry.rule.probability !== undefined && random() >= entry.rule.probability) continue;
        entry.fired += 1;
        if (entry.remaining !== 'always') entry.remaining -= 1;
        return toFault(entry.rule);
      }
      return null;
    },
    state: () => rules.map((entry) => ({ ...entry })),
  };
}

function matches(rule: FaultRule, target: FaultTarget): boolean {
  if (rule.system !== target.system) return false;
  if (rule.system === 'api-particulier' || target.system === 'api-particulier') return true;
  if (rule.step === undefined) return true;
  if (rule.step === 'completeFolder') return target.step === 'patchFolder' && target.completes;
  return rule.step === target.step;
}

function toFault(rule: FaultRule): Fault {
  const delayMs = rule.delayMs ?? null;
  return rule.system === 'hubee' ? { system: 'hubee', kind: rule.kind, delayMs } : { system: 'api-particulier', kind: rule.kind, delayMs };
}

/** mulberry32: small, fast, and the same sequence for the same seed on every run. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
