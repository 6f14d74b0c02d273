import type { Config } from '../../src/config/config.ts';
import { buildSandbox, type StandInName } from '../../src/sandbox/server.ts';
import { testConfig } from './config.ts';
import { freePort } from './ports.ts';

export interface RunningSandbox {
  config: Config;
  url: string;
  close(): Promise<void>;
}

/** Starts the chosen stand-ins on a free loopback port, with a test configuration pointing at them. */
export async function startSandbox(
  options: { only?: readonly StandInName[]; env?: Record<string, string> } = {},
): Promise<RunningSandbox> {
  const port = await freePort();
  const config = testConfig(port, options.env);
  const app = await buildSandbox({ config, ...(options.only ? { only: options.only } : {}) });
  await app.listen({ host: '127.0.0.1', port });
  return { config, url: config.sandbox.publicUrl, close: () => app.close() };
}
