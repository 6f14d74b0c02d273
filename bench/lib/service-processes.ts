import { readdirSync, readFileSync } from 'node:fs';

/**
 * The service is more than the app's process: its database server runs in processes of its own (the embedded
 * PostgreSQL server is a child tree of the app; on the machine's PostgreSQL, one backend per connection of the
 * app's pool). These helpers find them in /proc (Linux) and add up their CPU and memory, so that "service CPU"
 * and "service RSS" mean the app and its database together, and the stand-ins' and the load driver's apart.
 */

interface ProcStat {
  pid: number;
  ppid: number;
  cpuSeconds: number;
}

function readStat(pid: number): ProcStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (2nd field) may hold spaces and parentheses: the fields that follow start after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { pid, ppid: Number(fields[1]), cpuSeconds: (Number(fields[11]) + Number(fields[12])) / 100 };
  } catch {
    return null;
  }
}

function allPids(): number[] {
  return readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number);
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
  } catch {
    return '';
  }
}

/** Every process below `root` (children, their children…), not `root` itself. */
export function descendantsOf(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const pid of allPids()) {
    const stat = readStat(pid);
    if (!stat) continue;
    const list = children.get(stat.ppid) ?? [];
    list.push(pid);
    children.set(stat.ppid, list);
  }
  const found: number[] = [];
  const queue = [...(children.get(root) ?? [])];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    found.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}

/**
 * The backends of a shared PostgreSQL server that serve one database (their title is `postgres: … <user>
 * <database> <client> <state>`). The server's background processes (WAL writer, checkpointer…) serve every
 * database of the machine, other people's included: left out, and said so in the reports.
 */
export function backendsOfDatabase(database: string): number[] {
  return allPids().filter((pid) => {
    const title = commandLine(pid);
    return title.startsWith('postgres: ') && title.split(' ').includes(database);
  });
}

/** The database server's processes for an app: its embedded server (its child tree), or its backends on a shared server. */
export function databaseProcessesOf(app: { pid: number; database: { kind: 'embedded' } | { kind: 'postgres'; name: string } }): () => number[] {
  return app.database.kind === 'embedded' ? () => descendantsOf(app.pid) : () => backendsOfDatabase((app.database as { name: string }).name);
}

/**
 * CPU seconds used by a changing set of processes between start and stop: sampled every `everyMs` (a backend
 * may start during the measurement: all its CPU counts; one that ends loses at most its last interval).
 */
export function cpuMeter(pids: () => number[], everyMs = 200): { seconds(): number; stop(): number } {
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  let starting = true;
  const sample = () => {
    for (const pid of pids()) {
      const stat = readStat(pid);
      if (!stat) continue;
      if (!first.has(pid)) first.set(pid, starting ? stat.cpuSeconds : 0);
      last.set(pid, stat.cpuSeconds);
    }
  };
  sample();
  starting = false;
  const timer = setInterval(sample, everyMs);
  timer.unref();
  const total = () => [...last].reduce((sum, [pid, seconds]) => sum + seconds - (first.get(pid) ?? 0), 0);
  return {
    seconds: () => {
      sample();
      return total();
    },
    stop: () => {
      clearInterval(timer);
      sample();
      return total();
    },
  };
}

/** The CPU seconds of one process since `before` (process.cpuUsage's, for the load driver itself). */
export function ownCpuSeconds(before: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1e6;
}

/** Resident (RSS) and proportional (PSS: shared pages split among their users) memory of processes, in MiB. */
export function memoryOf(pids: readonly number[]): { rssMiB: number; pssMiB: number } {
  let rss = 0;
  let pss = 0;
  for (const pid of pids) {
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      rss += Number(/^Rss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0);
      pss += Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0);
    } catch {
      // Gone, or not ours to read.
    }
  }
  return { rssMiB: Math.round((rss / 1024) * 10) / 10, pssMiB: Math.round((pss / 1024) * 10) / 10 };
}

/**
 * RSS per kind of database process (`postgres: checkpointer`, `postgres: io worker 0`, a backend's user and
 * database…), to say where a server's memory goes. The title's client address and state are left out.
 */
export function memoryByTitle(pids: readonly number[]): Record<string, { count: number; rssMiB: number }> {
  const byTitle: Record<string, { count: number; rssMiB: number }> = {};
  for (const pid of pids) {
    const title = commandLine(pid);
    const kind = title.startsWith('postgres: ')
      ? title.replace(/^postgres: (\d+\/\w+: )?/, '').replace(/ \d+\.\d+\.\d+\.\d+\(\d+\).*$/, '').replace(/ \d+$/, '').trim() || 'postgres'
      : title.split(' ')[0]!.split('/').pop() ?? '?';
    const entry = (byTitle[kind] ??= { count: 0, rssMiB: 0 });
    entry.count++;
    entry.rssMiB = Math.round((entry.rssMiB + memoryOf([pid]).rssMiB) * 10) / 10;
  }
  return byTitle;
}

/** How busy the whole machine's CPUs were (0..1 of all cores, everyone's processes), from /proc/stat. */
export function machineBusyMeter(): { stop(): number } {
  const read = () => {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
    return { idle, total };
  };
  const before = read();
  return {
    stop: () => {
      const after = read();
      const total = after.total - before.total;
      return total > 0 ? 1 - (after.idle - before.idle) / total : Number.NaN;
    },
  };
}
