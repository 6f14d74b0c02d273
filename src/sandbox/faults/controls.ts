import type { HubeeCensus } from '../../integrations/hubee/stand-in/census.ts';
import type { FaultPlanInput } from './plan.ts';
import { createFaultPlan, type FaultPlan } from './registry.ts';

/** What the sandbox's tests steer and observe: the fault plan, and what the HubEE stand-in holds. */
export interface SandboxControls {
  faults: FaultPlan;
  /** Filled in by the HubEE stand-in when the sandbox runs it. */
  hubeeCensus: (() => HubeeCensus) | null;
}

export function createSandboxControls(faults: FaultPlan | FaultPlanInput = { rules: [] }): SandboxControls {
  return { faults: 'draw' in faults ? faults : createFaultPlan(faults), hubeeCensus: null };
}
