import { createHash } from 'node:crypto';
import { createPacer, type Pacer } from '../editeur/pacer.ts';
import type { RateLimitState } from '../integrations/api-particulier/client.ts';

/**
 * One pacer per API Particulier token in the process, shared by everything that calls with that token (the
 * guichet, the mise à jour annuelle, the CLI): API Particulier counts 20 requests/second per token (§4), not per
 * page or per job. On top of the spacing, the rule that keeps the IP from a 12-hour ban: a 429 pauses every caller
 * for its Retry-After, and a second 429 in a row stops the work until that pause ends.
 */
export type RateLimitVerdict = { stop: false } | { stop: true; resumeAt: Date };

export interface TokenPacer extends Pacer {
  /** A 429 came back: everyone waits `retryAfterMs`; the second one in a row stops the work. */
  record429(retryAfterMs: number): RateLimitVerdict;
  /** An answer that is not a 429: the count of 429s in a row starts again; RateLimit-Remaining at 0 pauses. */
  recordAnswer(rateLimit?: RateLimitState | null): void;
  /** When the work was stopped by a second 429 and may not start again yet, the time it may. */
  stoppedUntil(): Date | null;
}

export const API_PARTICULIER_RATE_PER_SECOND = 20;
/** When a 429 comes without Retry-After: a minute, API Particulier's window for its longer limits. */
export const DEFAULT_RETRY_AFTER_MS = 60_000;

export function createTokenPacer(options: { ratePerSecond?: number; now?: () => number; sleep?: (ms: number) => Promise<void> } = {}): TokenPacer {
  const now = options.now ?? Date.now;
  const pacer = createPacer({ ratePerSecond: options.ratePerSecond ?? API_PARTICULIER_RATE_PER_SECOND, now, ...(options.sleep ? { sleep: options.sleep } : {}) });
  let consecutive429 = 0;
  let stopUntil = 0;
  return {
    ...pacer,
    record429(retryAfterMs) {
      const resumeAt = now() + Math.max(retryAfterMs, 1000);
      pacer.pauseUntil(resumeAt);
      consecutive429++;
      if (consecutive429 < 2) return { stop: false };
      stopUntil = Math.max(stopUntil, pacer.pausedUntil());
      return { stop: true, resumeAt: new Date(stopUntil) };
    },
    recordAnswer(rateLimit) {
      consecutive429 = 0;
      // RateLimit-Reset is a whole number of seconds: the window ends at the start of that second.
      if (rateLimit && rateLimit.remaining === 0) pacer.pauseUntil((Math.floor(now() / 1000) + rateLimit.resetSeconds) * 1000);
    },
    stoppedUntil() {
      return stopUntil > now() ? new Date(stopUntil) : null;
    },
  };
}

const pacers = new Map<string, TokenPacer>();

/** The process's pacer for this token, keyed by the token's hash so that no map holds a token in clear. */
export function sharedPacerFor(token: string): TokenPacer {
  const key = createHash('sha256').update(token, 'utf8').digest('base64url');
  let pacer = pacers.get(key);
  if (!pacer) {
    pacer = createTokenPacer();
    pacers.set(key, pacer);
  }
  return pacer;
}
