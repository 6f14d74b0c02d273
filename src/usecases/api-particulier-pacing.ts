import { createHash } from 'node:crypto';
import { createPacer, type Pacer } from '../editeur/pacer.ts';

/**
 * One pacer per API Particulier token in this process, shared by every function that uses the token (the guichet,
 * the Mise à jour annuelle): the 20 requests/second are the token's, not each caller's. A 429 pauses every caller
 * for its Retry-After; a second 429 within RATE_LIMIT_MEMORY_MS stops the work and says when it may resume, since
 * 429s ignored get the IP banned for 12 hours.
 */
export interface TokenPacer extends Pacer {
  record429(retryAfterMs: number): { stop: false } | { stop: true; resumeAt: Date };
}

export const TOKEN_RATE_PER_SECOND = 20;
/** Two 429s this close together mean the pace is wrong, not a passing burst of another client of the token. */
const RATE_LIMIT_MEMORY_MS = 10 * 60 * 1000;

export function createTokenPacer(options: { ratePerSecond?: number; now?: () => number } = {}): TokenPacer {
  const now = options.now ?? Date.now;
  const pacer = createPacer({ ratePerSecond: options.ratePerSecond ?? TOKEN_RATE_PER_SECOND, now });
  let last429: number | null = null;
  return {
    ...pacer,
    record429(retryAfterMs) {
      const at = now();
      const resumeAt = at + Math.max(retryAfterMs, 1000);
      pacer.pauseUntil(resumeAt);
      const second = last429 !== null && at - last429 < RATE_LIMIT_MEMORY_MS;
      last429 = at;
      return second ? { stop: true, resumeAt: new Date(resumeAt) } : { stop: false };
    },
  };
}

// Keyed by a digest so that the map never holds the token itself as a key that a heap dump lists.
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
