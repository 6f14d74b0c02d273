import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config/config.ts';
import { franceConnectStandInIssuer, rotateFranceConnectSigningKeys } from '../franceconnect/index.ts';
import type { SandboxControls } from './controls.ts';
import { parseLatency } from './latency.ts';
import { parseFaultPlan } from './plan.ts';

export const FAULT_CONTROL_PREFIX = '/__faults';

/**
 * The test-only control endpoint of the sandbox:
 * - `POST /__faults` (a FaultPlanInput as JSON) replaces the plan; `GET` shows it with what each rule did;
 *   `DELETE` clears it;
 * - `POST /__faults/franceconnect/rotate-keys` gives the FranceConnect stand-in new signing keys;
 * - `GET /__faults/hubee/census` counts the FormulaireQF folders HubEE holds (HubeeCensus);
 * - `PUT /__faults/latency` (`{"ms": 50}`) sets the latency added to every stand-in request; `GET` shows it.
 */
export function registerFaultControl(app: FastifyInstance, controls: SandboxControls, config: Config): void {
  // The sandbox refuses production already; this endpoint must never be the one thing that slips through.
  if (config.env === 'production') throw new Error('The fault controls never run in production');

  app.post(FAULT_CONTROL_PREFIX, async (request, reply) => {
    const parsed = parseFaultPlan(request.body);
    if (!parsed.ok) return reply.code(400).send({ error: parsed.error });
    controls.faults.set(parsed.plan);
    return reply.code(204).send();
  });
  app.get(FAULT_CONTROL_PREFIX, async () => ({ rules: controls.faults.state() }));
  app.delete(FAULT_CONTROL_PREFIX, async (_request, reply) => {
    controls.faults.clear();
    return reply.code(204).send();
  });

  app.post(`${FAULT_CONTROL_PREFIX}/franceconnect/rotate-keys`, async (_request, reply) => {
    try {
      await rotateFranceConnectSigningKeys(franceConnectStandInIssuer(config.sandbox.publicUrl));
    } catch {
      return reply.code(404).send({ error: 'The FranceConnect stand-in is not running' });
    }
    return reply.code(204).send();
  });

  app.put(`${FAULT_CONTROL_PREFIX}/latency`, async (request, reply) => {
    const parsed = parseLatency(request.body);
    if (!parsed.ok) return reply.code(400).send({ error: parsed.error });
    controls.latency.ms = parsed.ms;
    return reply.code(204).send();
  });
  app.get(`${FAULT_CONTROL_PREFIX}/latency`, async () => ({ ms: controls.latency.ms }));

  app.get(`${FAULT_CONTROL_PREFIX}/hubee/census`, async (_request, reply) => {
    if (!controls.hubeeCensus) return reply.code(404).send({ error: 'The HubEE stand-in is not running' });
    return controls.hubeeCensus();
  });
}
