import { cpus, freemem, loadavg, release, totalmem, type as osType } from 'node:os';
import { readFileSync } from 'node:fs';

/** What the figures were measured on: they mean little without it. */
export interface MachineDescription {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  freeMemoryGiB: number;
  os: string;
  node: string;
  /** 1, 5 and 15 minute load averages. */
  loadAverage: [number, number, number];
}

export function describeMachine(): MachineDescription {
  const processors = cpus();
  return {
    cpuModel: processors[0]?.model.trim() ?? 'unknown',
    cores: processors.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    freeMemoryGiB: Math.round((freemem() / 2 ** 30) * 10) / 10,
    os: `${osType()} ${release()}`,
    node: process.version,
    loadAverage: currentLoad(),
  };
}

export function currentLoad(): [number, number, number] {
  const [one = 0, five = 0, fifteen = 0] = loadavg();
  return [Math.round(one * 100) / 100, Math.round(five * 100) / 100, Math.round(fifteen * 100) / 100];
}

/** Resident set size of a process in MiB, from /proc (Linux); null elsewhere or once it is gone. */
export function rssMiB(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kib ? Math.round((Number(kib) / 1024) * 10) / 10 : null;
  } catch {
    return null;
  }
}

/** User + system CPU seconds a process has used so far, from /proc (Linux); 0 elsewhere. */
export function processCpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}
