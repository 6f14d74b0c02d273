/**
 * A fixed-window rate limit counted the way siade's Rack::Attack does: a window aligned on multiples of the
 * period, `RateLimit-Reset` = end of the window as a Unix timestamp, `Retry-After` = seconds left (at least 1 so
 * that a client never retries at once). Used for API Particulier's limits and FranceConnect's /checktoken.
 */
export interface RateLimitOptions {
  limit: number;
  windowMs: number;
}

/** API Particulier: 20 requests per second per token (contracts/api-particulier-qf.md §4). */
export const CONTRACT_RATE_LIMIT: RateLimitOptions = { limit: 20, windowMs: 1000 };

/** API Particulier: 1000 requests per minute per IP, every token together (contracts/api-particulier-qf.md §4). */
export const CONTRACT_IP_RATE_LIMIT: RateLimitOptions = { limit: 1000, windowMs: 60_000 };

/** Several windows at once (e.g. 30 a minute and 600 an hour): the first that refuses decides. */
export function createCombinedRateLimiter(options: readonly RateLimitOptions[], now: () => number = Date.now) {
  const limiters = options.map((o) => createRateLimiter(o, now));
  return {
    hit(key: string): RateLimitDecision {
      const decisions = limiters.map((l) => l.hit(key));
      return decisions.find((d) => !d.allowed) ?? decisions[0]!;
    },
  };
}

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
