/**
 * API Particulier's per-token limit (§4: 20 requests/second per token), counted the way siade's Rack::Attack
 * does: a fixed window aligned on multiples of the period, `RateLimit-Reset` = end of the window as a Unix
 * timestamp, `Retry-After` = seconds left (at least 1 so that a client never retries at once).
 */
export interface RateLimitOptions {
  limit: number;
  windowMs: number;
}

export const CONTRACT_RATE_LIMIT: RateLimitOptions = { limit: 20, windowMs: 1000 };

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Unix timestamp (seconds) at which the window ends. */
  resetAt: number;
  retryAfterSeconds: number;
}

export function createRateLimiter(options: RateLimitOptions, now: () => number = Date.now) {
  const counts = new Map<string, { window: number; count: number }>();
  return {
    hit(key: string): RateLimitDecision {
      const at = now();
      const window = Math.floor(at / options.windowMs);
      const entry = counts.get(key);
      const count = entry && entry.window === window ? entry.count + 1 : 1;
      counts.set(key, { window, count });
      if (counts.size > 10_000) forgetOldWindows(counts, window);
      const windowEnd = (window + 1) * options.windowMs;
      return {
        allowed: count <= options.limit,
        limit: options.limit,
        remaining: Math.max(options.limit - count, 0),
        resetAt: Math.ceil(windowEnd / 1000),
        retryAfterSeconds: Math.max(Math.ceil((windowEnd - at) / 1000), 1),
      };
    },
  };
}

/** Keeps the map small when a test or a benchmark sends many distinct tokens. */
function forgetOldWindows(counts: Map<string, { window: number }>, current: number): void {
  for (const [key, entry] of counts) if (entry.window !== current) counts.delete(key);
}
