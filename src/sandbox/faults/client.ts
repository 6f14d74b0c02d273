import type { HubeeCensus } from '../hubee/census.ts';
import { FAULT_CONTROL_PREFIX } from './control-endpoint.ts';
import type { FaultPlanInput } from './plan.ts';
import type { RuleState } from './registry.ts';

/** The control endpoint over HTTP, for tests driving a sandbox they did not build (e.g. the whole service). */
export interface FaultControlClient {
  set(plan: FaultPlanInput): Promise<void>;
  clear(): Promise<void>;
  state(): Promise<RuleState[]>;
  rotateFranceConnectKeys(): Promise<void>;
  hubeeCensus(): Promise<HubeeCensus>;
  /** Milliseconds added to every stand-in request from now on (0: none). */
  setLatency(ms: number): Promise<void>;
}

export function faultControlClient(sandboxUrl: string): FaultControlClient {
  const base = `${sandboxUrl.replace(/\/+$/, '')}${FAULT_CONTROL_PREFIX}`;
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${base}${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(5000),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${FAULT_CONTROL_PREFIX}${path}: ${response.status} ${text}`);
    return text ? (JSON.parse(text) as unknown) : undefined;
  };
  return {
    set: async (plan) => void (await call('POST', '', plan)),
    clear: async () => void (await call('DELETE', '')),
    state: async () => ((await call('GET', '')) as { rules: RuleState[] }).rules,
    rotateFranceConnectKeys: async () => void (await call('POST', '/franceconnect/rotate-keys')),
    hubeeCensus: async () => (await call('GET', '/hubee/census')) as HubeeCensus,
    setLatency: async (ms) => void (await call('PUT', '/latency', { ms })),
  };
}
