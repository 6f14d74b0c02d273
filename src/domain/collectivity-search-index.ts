import { normalizeSearchText } from './collectivity.ts';

/**
 * An in-memory index of the active collectivities, built for the chooser: every word of the query must start a
 * word of the name (in any order), or the query is a postal code prefix or a département. About 35,000 entries
 * take a few megabytes and answer in well under a millisecond, where a SQL `LIKE '% word%'` scans the table.
 */
export interface IndexedCollectivity {
  siret: string;
  name: string;
  codePostal: string;
  departement: string;
}

export interface SearchAnswer {
  results: IndexedCollectivity[];
  total: number;
}

export interface CollectivitySearchIndex {
  readonly size: number;
  search(query: string, limit: number): SearchAnswer;
}

export function buildCollectivitySearchIndex(entries: readonly IndexedCollectivity[]): CollectivitySearchIndex {
  // Alphabetical by normalized name, so that the ids of a match are in display order.
  const items = entries
    .map((entry) => ({ entry, normalized: normalizeSearchText(entry.name) }))
    .sort((a, b) => (a.normalized < b.normalized ? -1 : a.normalized > b.normalized ? 1 : a.entry.siret < b.entry.siret ? -1 : 1));
  const words: { word: string; id: number }[] = [];
  items.forEach((item, id) => {
    for (const word of new Set(item.normalized.split(' '))) if (word) words.push({ word, id });
  });
  words.sort((a, b) => (a.word < b.word ? -1 : a.word > b.word ? 1 : a.id - b.id));
  const wordKeys = words.map((w) => w.word);
  const byPostal = items.map((item, id) => ({ code: item.entry.codePostal, id })).sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : a.id - b.id));
  const postalKeys = byPostal.map((p) => p.code);
  const byDepartement = new Map<string, number[]>();
  items.forEach((item, id) => {
    const list = byDepartement.get(item.entry.departement.toUpperCase()) ?? [];
    list.push(id);
    byDepartement.set(item.entry.departement.toUpperCase(), list);
  });

  /** Ids whose key starts with `prefix`, found by binary search in a sorted key list. */
  const prefixRange = (keys: readonly string[], prefix: string): [number, number] => {
    const from = lowerBound(keys, prefix);
    const to = lowerBound(keys, `${prefix}\uffff`);
    return [from, to];
  };

  return {
    size: items.length,
    search(query, limit) {
      const normalized = normalizeSearchText(query);
      if (normalized === '') return { results: [], total: 0 };
      let ids: number[];
      if (/^[0-9]{1,5}$/.test(normalized) || /^(2a|2b)$/.test(normalized)) {
        const [from, to] = prefixRange(postalKeys, normalized);
        const matched = new Set(byPostal.slice(from, to).map((p) => p.id));
        for (const id of byDepartement.get(normalized.toUpperCase()) ?? []) matched.add(id);
        ids = [...matched].sort((a, b) => a - b);
      } else {
        const queryWords = [...new Set(normalized.split(' '))];
        let matched: Set<number> | null = null;
        // The rarest word first keeps the intersection small.
        const ranges = queryWords.map((w) => prefixRange(wordKeys, w)).sort((a, b) => a[1] - a[0] - (b[1] - b[0]));
        for (const [from, to] of ranges) {
          const here = new Set<number>();
          for (let i = from; i < to; i++) {
            const id = words[i]!.id;
            if (matched === null || matched.has(id)) here.add(id);
          }
          matched = here;
          if (matched.size === 0) break;
        }
        ids = [...(matched ?? [])].sort((a, b) => a - b);
        // Names that start with the query come first.
        const starts = ids.filter((id) => items[id]!.normalized.startsWith(normalized));
        const others = ids.filter((id) => !items[id]!.normalized.startsWith(normalized));
        ids = [...starts, ...others];
      }
      return { results: ids.slice(0, limit).map((id) => items[id]!.entry), total: ids.length };
    },
  };
}

function lowerBound(keys: readonly string[], value: string): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (keys[mid]! < value) low = mid + 1;
    else high = mid;
  }
  return low;
}
