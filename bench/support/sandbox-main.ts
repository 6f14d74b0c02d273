/**
 * The stand-ins alone, in a process of their own (they play the network and the upstreams: their CPU must not
 * be counted as ours). Configured from the environment like the app; BENCH_LATENCY_MS is injected on every
 * upstream request. Prints one JSON line when listening.
 */
import { loadConfig } from '../../src/config/config.ts';
import { buildSandbox } from '../../src/sandbox/server.ts';

const config = loadConfig({ ...process.env, DATA_DIR: ':memory:' });
// One load generator's IP stands for many users: the real services' per-IP limits would only measure themselves.
const sandbox = await buildSandbox({ config, latencyMs: Number(process.env.BENCH_LATENCY_MS ?? 0), perIpLimits: false });
await sandbox.listen({ host: '127.0.0.1', port: config.sandbox.port });
process.stdout.write(`${JSON.stringify({ listening: config.sandbox.publicUrl })}\n`);
const stop = async () => {
  await sandbox.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
