/** A positive number from the environment (the runs are tuned with variables, e.g. CHAOS_JOURNEYS=200), or its default. */
export function numberSetting(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, not ${JSON.stringify(raw)}`);
  return value;
}

export function choiceSetting<T extends string>(name: string, choices: readonly T[], fallback: T): T {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(choices as readonly string[]).includes(raw)) throw new Error(`${name} must be one of ${choices.join(', ')}, not ${JSON.stringify(raw)}`);
  return raw as T;
}

/** Polls `check` every `everyMs` until it returns true or `timeoutMs` passes; resolves to whether it did. */
export async function waitUntil(check: () => Promise<boolean>, options: { timeoutMs: number; everyMs?: number; onTick?: () => void }): Promise<boolean> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    options.onTick?.();
    await new Promise((resolve) => setTimeout(resolve, options.everyMs ?? 1000));
  }
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
