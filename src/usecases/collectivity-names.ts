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
  const now = options.now ?? Date.now;
  // About 35,000 collectivities could ever sign up; the bound keeps a flood of made-up SIRETs from growing it.
  const maxEntries = options.maxEntries ?? 50_000;
  const entries = new Map<string, { name: Promise<string | null>; at: number }>();
  return {
    nameOf(siret) {
      const cached = entries.get(siret);
      if (cached && now() - cached.at <= options.maxAgeMs) return cached.name;
      if (entries.size >= maxEntries) entries.clear();
      const name = find(siret).then((found) => found?.name ?? null);
      const entry = { name, at: now() };
      entries.set(siret, entry);
      // A failed query must not stick: the next page asks the database again.
      name.catch(() => {
        if (entries.get(siret) === entry) entries.delete(siret);
      });
      return name;
    },
    invalidate() {
      entries.clear();
    },
  };
}
