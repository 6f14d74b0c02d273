/**
 * Answers of a lookup by key kept in memory for a bounded time, for what several pages of one journey read again and
 * again. Staleness is bounded, never unbounded: an entry is dropped when this instance invalidates (after any change
 * it makes) and is at most `maxAgeMs` old after another instance changed the data. Absent answers (null) are kept
 * too; a failed lookup is not. Concurrent reads of one key share one query.
 */
export interface RecentLookups<T> {
  get(key: string): Promise<T | null>;
  invalidate(): void;
}

export function createRecentLookups<T>(
  find: (key: string) => Promise<T | null>,
  options: { maxAgeMs: number; maxEntries?: number; now?: () => number },
): RecentLookups<T> {
  const now = options.now ?? Date.now;
  // About 35,000 collectivities could ever sign up; the bound keeps a flood of made-up keys from growing it.
  const maxEntries = options.maxEntries ?? 50_000;
  const entries = new Map<string, { value: Promise<T | null>; at: number }>();
  return {
    get(key) {
      const cached = entries.get(key);
      if (cached && now() - cached.at <= options.maxAgeMs) return cached.value;
      if (entries.size >= maxEntries) entries.clear();
      const value = find(key);
      const entry = { value, at: now() };
      entries.set(key, entry);
      // A failed query must not stick: the next page asks the database again.
      value.catch(() => {
        if (entries.get(key) === entry) entries.delete(key);
      });
      return value;
    },
    invalidate() {
      entries.clear();
    },
  };
}
