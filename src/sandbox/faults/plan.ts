import { z } from 'zod';
import { HUBEE_STEPS, type HubeeStep } from '../hubee/steps.ts';

/**
 * What can go wrong, per system, in the words of the tests that ask for it:
 * - `error500` / `error502|503|504`: the system answers that status with its own error body, without doing anything;
 * - `timeout`: the request is held longer than the client waits, then dropped, without doing anything;
 * - `reset`: the connection is destroyed as soon as the request arrives, without doing anything;
 * - `succeed_late` (HubEE): the request is fully processed, but the answer leaves only after the client gave up.
 */
export const HUBEE_FAULT_KINDS = ['error500', 'timeout', 'reset', 'succeed_late'] as const;
export const API_PARTICULIER_FAULT_KINDS = ['error502', 'error503', 'error504', 'timeout'] as const;
export type HubeeFaultKind = (typeof HUBEE_FAULT_KINDS)[number];
export type ApiParticulierFaultKind = (typeof API_PARTICULIER_FAULT_KINDS)[number];

/** The step our client calls `markFolderCompleted`: a PATCH of the folder to HUBEE_COMPLETED. */
export type HubeeFaultStep = HubeeStep | 'completeFolder';

interface RuleCommon {
  /** How many matching requests fail; 1 by default. */
  times?: number | 'always';
  /** Each matching request fails with this probability (seeded: the same plan fails the same requests). */
  probability?: number;
  /** How long `timeout` holds and `succeed_late` delays; by default a second more than the app's client waits. */
  delayMs?: number;
}

export type HubeeFaultRule = RuleCommon & {
  system: 'hubee';
  /** Omitted: every API step (HubEE down). `completeFolder` matches only PATCHes to HUBEE_COMPLETED. */
  step?: HubeeFaultStep;
  kind: HubeeFaultKind;
};

export type ApiParticulierFaultRule = RuleCommon & { system: 'api-particulier'; kind: ApiParticulierFaultKind };

export type FaultRule = HubeeFaultRule | ApiParticulierFaultRule;

export interface FaultPlanInput {
  rules: FaultRule[];
  /** Seed of the random draws of `probability`; 1 by default. */
  seed?: number;
}

const common = {
  times: z.union([z.number().int().positive(), z.literal('always')]).optional(),
  probability: z.number().min(0).max(1).optional(),
  delayMs: z.number().int().nonnegative().max(600_000).optional(),
};

const ruleSchema = z.discriminatedUnion('system', [
  z.strictObject({
    system: z.literal('hubee'),
    step: z.enum([...HUBEE_STEPS, 'completeFolder']).optional(),
    kind: z.enum(HUBEE_FAULT_KINDS),
    ...common,
  }),
  z.strictObject({ system: z.literal('api-particulier'), kind: z.enum(API_PARTICULIER_FAULT_KINDS), ...common }),
]);

const planSchema = z.strictObject({ rules: z.array(ruleSchema).max(100), seed: z.number().int().optional() });

export type ParsedPlan = { ok: true; plan: FaultPlanInput } | { ok: false; error: string };

/** For the control endpoint: a plan sent as JSON, checked before anything changes. */
export function parseFaultPlan(body: unknown): ParsedPlan {
  const parsed = planSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}` };
  }
  return { ok: true, plan: parsed.data };
}
