import { createRecentLookups } from './recent-lookups.ts';

/**
 * A collectivity's name as the citizen's pages show it (review, confirmation), kept in memory: profiled under load,
 * the query for it was half of the review page's database round trips. Like the chooser's index, an entry is
 * dropped when this instance changes a collectivity and is at most `maxAgeMs` old after another instance did (a
 * renamed commune may show its former name that long). Unknown SIRETs are remembered too, as null.
 */
export interface CollectivityNames {
  nameOf(siret: string): Promise<string | null>;
  invalidate(): void;
}

export function createCollectivityNames(
  find: (siret: string) => Promise<{ name: string } | null>,
  options: { maxAgeMs: number; maxEntries?: number; now?: () => number },
): CollectivityNames {
  const names = createRecentLookups(async (siret) => (await find(siret))?.name ?? null, options);
  return { nameOf: (siret) => names.get(siret), invalidate: () => names.invalidate() };
}
