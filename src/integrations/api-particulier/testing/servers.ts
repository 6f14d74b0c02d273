import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import Fastify from 'fastify';
import { freePort } from '../../../../test/support/ports.ts';
import { testConfig } from '../../../../test/support/config.ts';
import type { Config } from '../../../config/config.ts';
import { createFranceConnectStandIn, type FranceConnectStandInOptions } from '../../../sandbox/franceconnect/index.ts';
import { createApiParticulierStandIn, type ApiParticulierStandInOptions } from '../../../sandbox/api-particulier/index.ts';

/**
 * Test servers for the API Particulier client: the stand-in alone with chosen options (e.g. a rate limit a long
 * test file does not trip over), and tiny servers that misbehave in ways the stand-in never does.
 */
export interface RunningServer {
  /** What our client is configured with: `${url}/api-particulier` for the stand-in. */
  baseUrl: string;
  config: Config;
  close(): Promise<void>;
}

export async function startStandIn(
  options: ApiParticulierStandInOptions & { franceConnect?: FranceConnectStandInOptions } = {},
): Promise<RunningServer> {
  const port = await freePort();
  const config = testConfig(port);
  const app = Fastify({ logger: false });
  const context = { publicUrl: config.sandbox.publicUrl, dataDir: null, config };
  if (options.franceConnect) await createFranceConnectStandIn(options.franceConnect)(app, context);
  await createApiParticulierStandIn(options)(app, context);
  await app.listen({ host: '127.0.0.1', port });
  return { baseUrl: config.apiParticulier.baseUrl, config, close: () => app.close() };
}

/** A server answering every request with `handler`, e.g. one that never answers or sends a broken body. */
export async function startRawServer(handler: (request: IncomingMessage, response: ServerResponse) => void) {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
