import { createHash } from 'node:crypto';
import { createPacer, type Pacer } from '../editeur/pacer.ts';
import type { RateLimitState } from '../integrations/api-particulier/client.ts';

/**
 * One pacer per API Particulier token in this process, shared by every function that uses the token (the guichet,
 * the Mise à jour annuelle): the 20 requests/second are the token's, not each caller's. A 429 pauses every caller
 * for its Retry-After; a second 429 in a row stops the work and says when it may resume, since 429s ignored get
 * the IP banned for 12 hours. (The guichet's branch owns this module; this is the same interface.)
 */
export interface TokenPacer extends Pacer {
  record429(retryAfterMs: number): { stop: false } | { stop: true; resumeAt: Date };
  /** An answer that is not a 429: the count of 429s in a row starts again; RateLimit-Remaining at 0 pauses. */
  recordAnswer(rateLimit?: RateLimitState | null): void;
  /** After a stop, until when the token must rest; null once it may be used again. */
  stoppedUntil(): Date | null;
}

export const API_PARTICULIER_RATE_PER_SECOND = 20;

export function createTokenPacer(options: { ratePerSecond?: number; now?: () => number } = {}): TokenPacer {
  const now = options.now ?? Date.now;
  const pacer = createPacer({ ratePerSecond: options.ratePerSecond ?? API_PARTICULIER_RATE_PER_SECOND, now });
  let inARow = 0;
  let restUntil = 0;
  return {
    ...pacer,
    record429(retryAfterMs) {
      const resumeAt = now() + Math.max(retryAfterMs, 1000);
      pacer.pauseUntil(resumeAt);
      inARow++;
      if (inARow < 2) return { stop: false };
      restUntil = Math.max(restUntil, pacer.pausedUntil());
      return { stop: true, resumeAt: new Date(restUntil) };
    },
    recordAnswer(rateLimit) {
      inARow = 0;
      // RateLimit-Reset is a whole second: the window ends at its start.
      if (rateLimit && rateLimit.remaining === 0) pacer.pauseUntil((Math.floor(now() / 1000) + rateLimit.resetSeconds) * 1000);
    },
    stoppedUntil() {
      return restUntil > now() ? new Date(restUntil) : null;
    },
  };
}

// Keyed by a digest so that the map never holds the token itself.
const pacers = new Map<string, TokenPacer>();

export function sharedPacerFor(token: string): TokenPacer {
  const key = createHash('sha256').update(token).digest('hex');
  let pacer = pacers.get(key);
  if (!pacer) {
    pacer = createTokenPacer();
    pacers.set(key, pacer);
  }
  return pacer;
}
