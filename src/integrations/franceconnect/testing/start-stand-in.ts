import Fastify from 'fastify';
import type { Config } from '../../../config/config.ts';
import { testConfig } from '../../../../test/support/config.ts';
import { freePort } from '../../../../test/support/ports.ts';
import { createFranceConnectStandIn, type FranceConnectStandInOptions } from '../../../sandbox/franceconnect/index.ts';

/**
 * The FranceConnect stand-in alone with non-default options (shorter lifetimes), for the few tests that cannot
 * use the sandbox's default one. Everything else should use test/support/sandbox.ts.
 */
export async function startFranceConnectStandIn(
  options: FranceConnectStandInOptions,
): Promise<{ config: Config; close(): Promise<void> }> {
  const port = await freePort();
  const config = testConfig(port);
  const app = Fastify({ logger: false });
  await createFranceConnectStandIn(options)(app, { publicUrl: config.sandbox.publicUrl, dataDir: null, config });
  await app.listen({ host: '127.0.0.1', port });
  return { config, close: () => app.close() };
}
