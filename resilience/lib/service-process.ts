import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The service as `npm start` runs it (`node --import tsx src/main.ts`), in a child process we may kill. */
export interface ServiceProcess {
  pid: number;
  /** What it wrote on stdout and stderr (the tail), for when something goes wrong. */
  output(): string;
  /** SIGKILL: no shutdown, no flush, as a power cut or the OOM killer would. */
  kill(): Promise<void>;
  /** SIGTERM (the orderly stop), SIGKILL if it lingers. */
  stop(): Promise<void>;
}

export async function startServiceProcess(env: Record<string, string>, options: { readyTimeoutMs?: number } = {}): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: REPOSITORY_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-50_000);
  };
  child.stderr!.on('data', keep);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the service was not ready after ${options.readyTimeoutMs ?? 120_000} ms:\n${output}`)), options.readyTimeoutMs ?? 120_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      keep(chunk);
      // main.ts prints its addresses once the app listens.
      if (output.includes('est prêt')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the service exited (${code ?? signal}) before being ready:\n${output}`));
    });
  });
  return {
    pid: child.pid!,
    output: () => output,
    kill: () => ended(child, 'SIGKILL'),
    stop: () => ended(child, 'SIGTERM'),
  };
}

async function ended(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(killer);
}

/** A gauge or counter of the service's /metrics (Prometheus text), summed over the samples matching `labels`. */
export async function metricValue(appUrl: string, apiToken: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  const response = await fetch(`${appUrl}/metrics`, { headers: { authorization: `Bearer ${apiToken}` }, signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`/metrics answered ${response.status}`);
  let total = 0;
  for (const line of (await response.text()).split('\n')) {
    if (!line.startsWith(name) || (line[name.length] !== ' ' && line[name.length] !== '{')) continue;
    if (Object.entries(labels).some(([key, value]) => !line.includes(`${key}="${value}"`))) continue;
    total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}
