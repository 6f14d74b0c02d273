import { postalCodesOf } from '../domain/places/communes.ts';
import { HUBEE_TEST_SIRETS } from '../domain/siret.ts';
import { buildCollectivitySearchIndex, type CollectivitySearchIndex, type IndexedCollectivity, type SearchAnswer } from '../domain/collectivity-search-index.ts';

/**
 * The chooser's search, answered from an in-memory index of the active collectivities. The index is rebuilt when
 * this instance changes a collectivity, and at most `maxAgeMs` after another instance did.
 */
export interface CollectivitySearch {
  search(query: string, limit: number): Promise<SearchAnswer>;
  invalidate(): void;
}

/** What the search is built from: a collectivity, with its COG code when known (for all its postal codes). */
export type SearchSource = IndexedCollectivity & { codeCog?: string };

export interface CollectivitySearchOptions {
  maxAgeMs: number;
  now?: () => number;
  /** In production, HubEE's test organisations are never offered to families. */
  hideTestCollectivities?: boolean;
}

export function createCollectivitySearch(loadSources: () => Promise<SearchSource[]>, options: CollectivitySearchOptions): CollectivitySearch {
  const now = options.now ?? Date.now;
  const load = async (): Promise<IndexedCollectivity[]> =>
    (await loadSources())
      .filter((source) => !(options.hideTestCollectivities && HUBEE_TEST_SIRETS.includes(source.siret)))
      .map(({ codeCog, ...entry }) => (codeCog ? { ...entry, postalCodes: postalCodesOf(codeCog) } : entry));
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
