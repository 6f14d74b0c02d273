import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from '../config/config.ts';
import { apiParticulierStandIn } from './api-particulier/index.ts';
import { franceConnectStandIn } from './franceconnect/index.ts';
import { hubeeStandIn } from './hubee/index.ts';
import { hubeeQualificationStandIn } from './hubee/qualification.ts';
import { inseeStandIn } from './insee/index.ts';
import { proConnectStandIn } from './proconnect/index.ts';
import { demoPortal } from './demo-portal.ts';
import { createSandboxControls, injectLatency, registerFaultControl, type FaultPlan, type FaultPlanInput } from './faults/index.ts';
import { sandboxHomePage } from './home-page.ts';
import type { StandIn, StandInContext } from './stand-in.ts';

export const STAND_INS = {
  franceconnect: franceConnectStandIn,
  'api-particulier': apiParticulierStandIn,
  hubee: hubeeStandIn,
  'hubee-qualification': hubeeQualificationStandIn,
  insee: inseeStandIn,
  proconnect: proConnectStandIn,
} satisfies Record<string, StandIn>;

export type StandInName = keyof typeof STAND_INS;

export interface SandboxOptions {
  config: Config;
  /** Which stand-ins to run; all by default. */
  only?: readonly StandInName[];
  logger?: boolean;
  /** The fault plan the stand-ins play from the start (tests); empty by default, changed at `/__faults`. */
  faults?: FaultPlan | FaultPlanInput;
  /** Milliseconds added to every request to a stand-in, as the network would (benchmarks); 0 by default, changed at `/__faults/latency`. */
  latencyMs?: number;
  /** Serve over TLS (tests of the production build, whose clients refuse plain-HTTP upstreams). */
  https?: { key: string; cert: string };
  /** The real services' per-IP limits (see StandInContext); on unless a benchmark turns them off. */
  perIpLimits?: boolean;
  /** The test-only `/__faults` controls; on for tests and `npm start`, off for `formulaire-qf sandbox` unless asked. */
  faultControl?: boolean;
}

/** The local stand-ins of the external systems, on one HTTP server (port 3001 by default). */
export async function buildSandbox(options: SandboxOptions): Promise<FastifyInstance> {
  const { config } = options;
  if (config.env === 'production') throw new Error('The stand-ins never run in production');
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 20 * 1024 * 1024, ...(options.https ? { https: options.https } : {}) }) as unknown as FastifyInstance;
  const controls = createSandboxControls(options.faults, options.latencyMs);
  // Before the stand-ins, so that it covers every one of their routes.
  injectLatency(app, controls.latency);
  const context: StandInContext = {
    publicUrl: config.sandbox.publicUrl,
    dataDir: config.sandbox.dataDir,
    config,
    controls,
    perIpLimits: options.perIpLimits ?? true,
  };
  const names = options.only ?? (Object.keys(STAND_INS) as StandInName[]);
  for (const name of names) await STAND_INS[name](app, context);
  await demoPortal(app, context);
  // Test-only controls: never in production (refused above, and again by registerFaultControl).
  if (options.faultControl ?? true) registerFaultControl(app, controls, config);
  app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(sandboxHomePage(context, names)));
  return app;
}
