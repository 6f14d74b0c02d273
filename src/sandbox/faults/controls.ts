import type { HubeeCensus } from '../hubee/census.ts';
import type { InjectedLatency } from './latency.ts';
import type { FaultPlanInput } from './plan.ts';
import { createFaultPlan, type FaultPlan } from './registry.ts';

/** What the sandbox's tests steer and observe: the fault plan, the injected latency, and what the HubEE stand-in holds. */
export interface SandboxControls {
  faults: FaultPlan;
  /** Added to every request to a stand-in (benchmarks mimic the network with it); 0 by default. */
  latency: InjectedLatency;
  /** Filled in by the HubEE stand-in when the sandbox runs it. */
  hubeeCensus: (() => HubeeCensus) | null;
}

export function createSandboxControls(faults: FaultPlan | FaultPlanInput = { rules: [] }, latencyMs = 0): SandboxControls {
  return { faults: 'draw' in faults ? faults : createFaultPlan(faults), latency: { ms: latencyMs }, hubeeCensus: null };
}
