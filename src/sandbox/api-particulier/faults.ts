import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config/config.ts';
import { injectFaults } from '../faults/inject.ts';
import type { Fault, FaultPlan } from '../faults/registry.ts';
import { providerTimeout, providerUnavailable, providerUnknownError, type ErrorAnswer } from './error-bodies.ts';
import { UNCACHED } from './response-cache.ts';

/** Plays the sandbox's fault plan on every API Particulier route of `scope`, with API Particulier's own error bodies. */
export function injectApiParticulierFaults(scope: FastifyInstance, plan: FaultPlan, config: Config): void {
  injectFaults(scope, {
    plan,
    targetOf: () => ({ system: 'api-particulier' }),
    errorAnswer: (fault) => {
      const answer = answerFor(fault);
      if (answer === null) return null;
      return { status: answer.status, body: answer.body, headers: { ...UNCACHED, ...answer.headers } };
    },
    defaultDelayMs: () => config.apiParticulier.timeoutMs + 1000,
  });
}

function answerFor(fault: Fault): ErrorAnswer | null {
  if (fault.system !== 'api-particulier') return null;
  switch (fault.kind) {
    case 'error502':
      return providerUnknownError();
    case 'error503':
      return providerUnavailable(503);
    case 'error504':
      return providerTimeout();
    case 'timeout':
      return null;
  }
}
