import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';

/** The stand-ins' prefixes: requests to them pay the injected latency; the sandbox's own pages and controls do not. */
const UPSTREAM_PREFIXES = ['/hubee', '/api-particulier', '/franceconnect', '/insee'] as const;

/** The network between us and the real systems, mimicked: a settable delay before each stand-in answers. */
export interface InjectedLatency {
  /** Milliseconds added to every request to a stand-in; 0 (the default) adds nothing. */
  ms: number;
}

/**
 * Delays every request to a stand-in by `latency.ms`, read per request so that it can change while the sandbox
 * runs (benchmarks). Register before the stand-ins so that the hook covers their routes, hijacked ones included.
 */
export function injectLatency(app: FastifyInstance, latency: InjectedLatency): void {
  app.addHook('onRequest', async (request) => {
    if (latency.ms <= 0) return;
    const path = request.url;
    if (UPSTREAM_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`) || path.startsWith(`${prefix}?`))) {
      await sleep(latency.ms);
    }
  });
}

export function parseLatency(body: unknown): { ok: true; ms: number } | { ok: false; error: string } {
  const ms = typeof body === 'object' && body !== null ? (body as { ms?: unknown }).ms : undefined;
  if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 0 || ms > 60_000) {
    return { ok: false, error: 'ms: an integer number of milliseconds between 0 and 60000' };
  }
  return { ok: true, ms };
}
