/**
 * Imitates API Particulier's 24-hour cache of QF answers (§2.1) just enough for its headers: `X-Response-Cached`
 * tells whether the answer came from the cache, `X-Cache-Expires-in` how many seconds it stays there (empty when
 * nothing was cached). `Cache-Control: no-cache` bypasses and refreshes it. Only successes are cached.
 */
export const CACHE_TTL_SECONDS = 24 * 60 * 60;

export type CacheHeaders = Record<'X-Response-Cached' | 'X-Cache-Expires-in', string>;

export const UNCACHED: CacheHeaders = { 'X-Response-Cached': 'false', 'X-Cache-Expires-in': '' };

export function createResponseCache(now: () => number = Date.now) {
  const expiries = new Map<string, number>();
  return {
    /** Records a success under `key` and returns the headers to send with it. */
    successHeaders(key: string, bypass: boolean): CacheHeaders {
      const at = now();
      const expiry = expiries.get(key);
      if (!bypass && expiry !== undefined && expiry > at) {
        return { 'X-Response-Cached': 'true', 'X-Cache-Expires-in': String(Math.ceil((expiry - at) / 1000)) };
      }
      expiries.set(key, at + CACHE_TTL_SECONDS * 1000);
      return { 'X-Response-Cached': 'false', 'X-Cache-Expires-in': String(CACHE_TTL_SECONDS) };
    },
  };
}
