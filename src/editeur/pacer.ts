/**
 * Keeps every worker of a run under API Particulier's limit of 20 requests/second per token (§4): calls are
 * spaced evenly, a few percent wider than the limit allows, so that no one-second window of the server can count
 * more than the limit even with some network jitter. Any worker can pause all of them (a 429 with Retry-After,
 * or RateLimit-Remaining at 0 until RateLimit-Reset).
 */
export interface Pacer {
  /** Resolves when the caller may send its request. */
  acquire(): Promise<void>;
  pauseUntil(epochMs: number): void;
  pausedUntil(): number;
}

export const SAFETY_MARGIN = 1.03;

export function createPacer(options: { ratePerSecond: number; now?: () => number; sleep?: (ms: number) => Promise<void> }): Pacer {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const interval = (1000 / options.ratePerSecond) * SAFETY_MARGIN;
  let nextSlot = 0;
  let pause = 0;
  return {
    async acquire() {
      for (;;) {
        const at = now();
        const slot = Math.max(at, nextSlot, pause);
        nextSlot = slot + interval;
        if (slot > at) await sleep(slot - at);
        const woke = now();
        // A pause that started while this caller slept wins: take a new slot after it. So does a late wake-up (a
        // busy event loop): sends must stay within half an interval of their slot or they could bunch up.
        if (pause <= woke && woke - slot <= interval / 2) return;
      }
    },
    pauseUntil(epochMs) {
      if (epochMs > pause) pause = epochMs;
      if (nextSlot < pause) nextSlot = pause;
    },
    pausedUntil: () => pause,
  };
}
