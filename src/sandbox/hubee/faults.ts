import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../../config/config.ts';
import { injectFaults } from '../faults/inject.ts';
import type { FaultPlan } from '../faults/registry.ts';
import { errorBody } from './errors.ts';

/**
 * Plays a fault plan on the HubEE routes of `scope`, matched on each route's `config.hubeeStep`. A 500 carries
 * HubEE's documented body (contracts/hubee.md §5: `Internal Server Error`).
 */
export function injectHubeeFaults(scope: FastifyInstance, plan: FaultPlan, config: Config): void {
  injectFaults(scope, {
    plan,
    targetOf: (request) => {
      const step = request.routeOptions.config.hubeeStep;
      if (step === undefined) return null;
      return { system: 'hubee', step, completes: step === 'patchFolder' && asksCompletion(request) };
    },
    errorAnswer: (fault) => (fault.kind === 'error500' ? { status: 500, body: errorBody(500, 'Internal Server Error') } : null),
    // Beyond our client's wait: uploads wait max(timeout, 60 s) by default (client.ts), every other call `timeoutMs`.
    defaultDelayMs: (request) =>
      (request.routeOptions.config.hubeeStep === 'uploadAttachment' ? Math.max(config.hubee.timeoutMs, 60_000) : config.hubee.timeoutMs) + 1000,
  });
}

function asksCompletion(request: FastifyRequest): boolean {
  const body: unknown = request.body;
  return typeof body === 'object' && body !== null && (body as { globalStatus?: unknown }).globalStatus === 'HUBEE_COMPLETED';
}
