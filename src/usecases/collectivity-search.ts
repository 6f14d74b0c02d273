import { buildCollectivitySearchIndex, type CollectivitySearchIndex, type IndexedCollectivity, type SearchAnswer } from '../domain/collectivity-search-index.ts';

/**
 * The chooser's search, answered from an in-memory index of the active collectivities. The index is rebuilt when
 * this instance changes a collectivity, and at most `maxAgeMs` after another instance did.
 */
export interface CollectivitySearch {
  search(query: string, limit: number): Promise<SearchAnswer>;
  invalidate(): void;
}

export function createCollectivitySearch(load: () => Promise<IndexedCollectivity[]>, options: { maxAgeMs: number; now?: () => number }): CollectivitySearch {
  const now = options.now ?? Date.now;
  let current: { index: Promise<CollectivitySearchIndex>; builtAt: number } | null = null;
  const index = (): Promise<CollectivitySearchIndex> => {
    if (!current || now() - current.builtAt > options.maxAgeMs) {
      const building = load().then(buildCollectivitySearchIndex);
      const entry = { index: building, builtAt: now() };
      current = entry;
      // A failed load must not stick: the next search tries again.
      building.catch(() => {
        if (current === entry) current = null;
      });
    }
    return current.index;
  };
  return {
    async search(query, limit) {
      return (await index()).search(query, limit);
    },
    invalidate() {
      current = null;
    },
  };
}
