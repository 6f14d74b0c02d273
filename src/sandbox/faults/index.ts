/**
 * Fault injection in the local stand-ins, for tests only: a plan of rules the HubEE and API Particulier
 * stand-ins consult on every request, set in-process (buildSandbox's `faults`) or over HTTP (`/__faults`); and a
 * latency added to every stand-in request (buildSandbox's `latencyMs`, or `PUT /__faults/latency`), for benchmarks.
 * The app's own code knows nothing of it.
 */
export { faultControlClient, type FaultControlClient } from './client.ts';
export { createSandboxControls, type SandboxControls } from './controls.ts';
export { FAULT_CONTROL_PREFIX, registerFaultControl } from './control-endpoint.ts';
export { injectLatency, type InjectedLatency } from './latency.ts';
export * from './plan.ts';
export { createFaultPlan, type Fault, type FaultPlan, type FaultTarget, type RuleState } from './registry.ts';
