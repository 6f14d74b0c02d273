import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../../test/support/ports.ts';
import { freshPostgresDatabase } from './databases.ts';
import { databaseProcessesOf } from './service-processes.ts';

export const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The Node options `npm start` gives the service (package.json's start script: `node <options> --import tsx …`): the
 * benchmarks run the app with the same ones, so that its memory and CPU are those of the real command.
 */
export const START_NODE_OPTIONS: readonly string[] = (() => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } };
  const words = pkg.scripts.start.split(/\s+/);
  const end = words.indexOf('--import');
  if (words[0] !== 'node' || end < 0) throw new Error(`package.json's start script is not "node <options> --import tsx …": ${pkg.scripts.start}`);
  return words.slice(1, end);
})();

export interface ChildService {
  pid: number;
  /** The JSON line the child printed once ready. */
  hello: Record<string, unknown>;
  /** Everything it wrote on stderr (its logs at LOG_LEVEL=warn), for when it fails. */
  stderr(): string;
  stop(): Promise<void>;
}

/**
 * Runs `node <npm start's options> [nodeArgs] --import tsx <script>` from the repository's root and waits for the first JSON line it
 * prints on stdout (e.g. `--cpu-prof --cpu-prof-dir=…` as nodeArgs: the profile is written when it stops).
 */
export async function startChild(script: string, env: Record<string, string>, options: { nodeArgs?: string[]; timeoutMs?: number } = {}): Promise<ChildService> {
  const child = spawn(process.execPath, [...START_NODE_OPTIONS, ...(options.nodeArgs ?? []), '--import', 'tsx', script], {
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
  // Open to the `postgres` system user the embedded server runs as under root: otherwise its cluster goes to
  // /var/lib/formulaire-qf (see src/db/embedded-postgres.ts) and would outlive the directory.
  chmodSync(path, 0o755);
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export type DatabaseKind = 'embedded' | 'postgres';

export interface Stack {
  database: DatabaseKind;
  topology: Topology;
  sandbox: ChildService;
  app: ChildService;
  /** The database server's processes serving this app now (see service-processes.ts). */
  databasePids(): number[];
  /** The app and its database server's processes. */
  servicePids(): number[];
  /**
   * Profiles the app (CPU, sampled by V8) while `work` runs, when started with `profileDir`: the profile is
   * written there as `node --cpu-prof` would name it. Resolves once it is written.
   */
  profiled<T>(work: () => Promise<T>): Promise<T>;
  stop(): Promise<void>;
}

/**
 * The stand-ins in their own process with the injected latency, and the app in another, wired together, on a fresh
 * database: the embedded server in a fresh DATA_DIR (as `npm start` with no DATABASE_URL), or a fresh database on
 * the machine's PostgreSQL (BENCH_POSTGRES_URL). `profileDir`: where `profiled` writes the app's profiles.
 */
export async function startStack(options: { latencyMs: number; database?: DatabaseKind; appEnv?: Record<string, string>; appNodeArgs?: string[]; profileDir?: string }): Promise<Stack> {
  const kind = options.database ?? 'embedded';
  const dataDir = freshDataDir();
  const postgres = kind === 'postgres' ? await freshPostgresDatabase() : null;
  const topology = await benchTopology({
    DATA_DIR: dataDir.path,
    ...(postgres ? { DATABASE_URL: postgres.url } : {}),
    ...(options.profileDir ? { BENCH_PROFILE_DIR: options.profileDir } : {}),
    ...options.appEnv,
  });
  const cleanUp = async () => {
    dataDir.remove();
    await postgres?.drop();
  };
  let sandbox: ChildService;
  try {
    sandbox = await startChild('bench/support/sandbox-main.ts', { ...topology.env, BENCH_LATENCY_MS: String(options.latencyMs) });
  } catch (error) {
    await cleanUp();
    throw error;
  }
  let app: ChildService;
  try {
    app = await startChild('bench/support/app-main.ts', topology.env, { nodeArgs: options.appNodeArgs ?? [] });
  } catch (error) {
    await sandbox.stop();
    await cleanUp();
    throw error;
  }
  const databasePids = databaseProcessesOf({ pid: app.pid, database: postgres ? { kind: 'postgres', name: new URL(postgres.url).pathname.slice(1) } : { kind: 'embedded' } });
  return {
    database: kind,
    topology,
    sandbox,
    app,
    databasePids,
    servicePids: () => [app.pid, ...databasePids()],
    async profiled(work) {
      const directory = options.profileDir;
      if (!directory) throw new Error('startStack: no profileDir');
      const before = new Set(readdirSync(directory));
      process.kill(app.pid, 'SIGUSR2');
      // Let the profiler start before the load does.
      await sleep(200);
      const result = await work();
      process.kill(app.pid, 'SIGUSR2');
      for (let waited = 0; waited < 20_000; waited += 100) {
        if (readdirSync(directory).some((f) => !before.has(f) && f.endsWith('.cpuprofile'))) break;
        await sleep(100);
      }
      // Written in one call, but give the file system a moment after it appears.
      await sleep(200);
      return result;
    },
    async stop() {
      await app.stop();
      await sandbox.stop();
      await cleanUp();
    },
  };
}
