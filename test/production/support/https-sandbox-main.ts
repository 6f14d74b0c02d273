import { readFileSync } from 'node:fs';
import { loadConfig } from '../../../src/config/config.ts';
import { buildSandbox } from '../../../src/sandbox/server.ts';

/**
 * The stand-ins over TLS in a process of their own, for the test of the production build: the environment gives
 * the app's public URL and secrets (the stand-ins register the app as their client with them), TLS_KEY/TLS_CERT
 * the files of the test's self-signed certificate. Prints "ready" once listening.
 */
const config = loadConfig({ ...process.env, APP_ENV: 'test', DATA_DIR: ':memory:', SANDBOX_ENABLED: 'true' });
const app = await buildSandbox({
  config,
  https: { key: readFileSync(process.env.TLS_KEY!, 'utf8'), cert: readFileSync(process.env.TLS_CERT!, 'utf8') },
});
await app.listen({ host: '127.0.0.1', port: config.sandbox.port });
process.stdout.write('ready\n');
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
