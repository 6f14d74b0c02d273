import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../test/support/ports.ts';

export const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ChildService {
  pid: number;
  /** The JSON line the child printed once ready. */
  hello: Record<string, unknown>;
  /** Everything it wrote on stderr (its logs at LOG_LEVEL=warn), for when it fails. */
  stderr(): string;
  stop(): Promise<void>;
}

/**
 * Runs `node [nodeArgs] --import tsx <script>` from the repository's root and waits for the first JSON line it
 * prints on stdout (e.g. `--cpu-prof --cpu-prof-dir=…` as nodeArgs: the profile is written when it stops).
 */
export async function startChild(script: string, env: Record<string, string>, options: { nodeArgs?: string[]; timeoutMs?: number } = {}): Promise<ChildService> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', script], {
    cwd: REPOSITORY_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    errors = (errors + chunk.toString('utf8')).slice(-20_000);
  });
  const hello = await new Promise<Record<string, unknown>>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${script} not ready after ${options.timeoutMs ?? 120_000} ms:\n${errors}`)), options.timeoutMs ?? 120_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const line = out.split('\n').find((l) => l.trim().startsWith('{'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line) as Record<string, unknown>);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${code}) before being ready:\n${errors}`));
    });
  });
  child.stdout!.resume();
  return { pid: child.pid!, hello, stderr: () => errors, stop: () => stopChild(child) };
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(killer);
}

/** Addresses for one app and its stand-ins on free loopback ports, as the environment both are configured from. */
export interface Topology {
  appUrl: string;
  sandboxUrl: string;
  env: Record<string, string>;
}

export async function benchTopology(extra: Record<string, string> = {}): Promise<Topology> {
  const [appPort, sandboxPort] = [await freePort(), await freePort()];
  const appUrl = `http://127.0.0.1:${appPort}`;
  const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
  return {
    appUrl,
    sandboxUrl,
    env: {
      APP_ENV: 'local',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(appPort),
      APP_URL: appUrl,
      SANDBOX_HOST: '127.0.0.1',
      SANDBOX_PORT: String(sandboxPort),
      SANDBOX_URL: sandboxUrl,
      FRANCECONNECT_ISSUER: `${sandboxUrl}/franceconnect/api/v2`,
      FRANCECONNECT_REDIRECT_URI: `${appUrl}/auth/franceconnect/callback`,
      FRANCECONNECT_POST_LOGOUT_REDIRECT_URI: `${appUrl}/auth/franceconnect/logout-callback`,
      API_PARTICULIER_URL: `${sandboxUrl}/api-particulier`,
      HUBEE_API_URL: `${sandboxUrl}/hubee`,
      HUBEE_TOKEN_URL: `${sandboxUrl}/hubee/oauth2/token`,
      INSEE_API_URL: `${sandboxUrl}/insee`,
      RATE_LIMIT_PER_MINUTE: '1000000',
      ...extra,
    },
  };
}

/** A fresh directory for an embedded database; removed by `remove`. */
export function freshDataDir(): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'fqf-bench-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** The stand-ins in their own process with the injected latency, and the app in another, wired together. */
export async function startStack(options: { latencyMs: number; appEnv?: Record<string, string>; appNodeArgs?: string[] }): Promise<{
  topology: Topology;
  sandbox: ChildService;
  app: ChildService;
  stop(): Promise<void>;
}> {
  const dataDir = freshDataDir();
  const topology = await benchTopology({ DATA_DIR: dataDir.path, ...options.appEnv });
  const sandbox = await startChild('bench/support/sandbox-main.ts', { ...topology.env, BENCH_LATENCY_MS: String(options.latencyMs) });
  let app: ChildService;
  try {
    app = await startChild('bench/support/app-main.ts', topology.env, { nodeArgs: options.appNodeArgs ?? [] });
  } catch (error) {
    await sandbox.stop();
    dataDir.remove();
    throw error;
  }
  return {
    topology,
    sandbox,
    app,
    async stop() {
      await app.stop();
      await sandbox.stop();
      dataDir.remove();
    },
  };
}

