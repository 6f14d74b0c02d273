import { normalizeSearchText } from './collectivity.ts';

/**
 * An in-memory index of the active collectivities, built for the chooser: every word of the query must start a
 * word of the name (in any order), or the query is a postal code prefix (any of the commune's postal codes) or a
 * département. A name query that finds nothing is tried again with each unknown word replaced by the nearest word
 * of the index (one typo for a short word, two for a long one), and the answer says which name it meant. About
 * 35,000 entries take a few megabytes and answer in well under a millisecond, where a SQL `LIKE` scans the table.
 */
export interface IndexedCollectivity {
  siret: string;
  name: string;
  /** The town hall's postal code, shown in the results. */
  codePostal: string;
  departement: string;
  /** Every postal code of the commune (its arrondissements and delegated communes included); codePostal if absent. */
  postalCodes?: readonly string[];
}

export interface SearchAnswer {
  /** Without the extra postal codes: they are for finding, the list shows the town hall's code. */
  results: Omit<IndexedCollectivity, 'postalCodes'>[];
  total: number;
  /** The query as the index understood it when it had to correct a typo ("Majastres" for "Majsatres"). */
  suggestion?: string;
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
  const byPostal = items
    .flatMap((item, id) => [...new Set([item.entry.codePostal, ...(item.entry.postalCodes ?? [])])].map((code) => ({ code, id })))
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : a.id - b.id));
  // The distinct words, for the typo correction (ids are not needed there).
  const distinctWords = [...new Set(wordKeys)];
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

  /** The nearest indexed word within the typos allowed for its length, or null (ties: the first in order). */
  const nearestWord = (word: string): string | null => {
    const allowed = word.length >= 7 ? 2 : word.length >= 4 ? 1 : 0;
    if (allowed === 0) return null;
    let best: string | null = null;
    let bestDistance = allowed + 1;
    for (const candidate of distinctWords) {
      // A typo rarely hits the first letter: comparing only the words that share it (or swap it with the second)
      // keeps a correction to a few milliseconds over 35,000 names.
      if (candidate[0] !== word[0] && !(candidate[0] === word[1] && candidate[1] === word[0])) continue;
      if (Math.abs(candidate.length - word.length) > allowed && candidate.length < word.length) continue;
      // A word being typed is compared with the start of the indexed word too.
      const distance = Math.min(editDistance(word, candidate, bestDistance - 1), editDistance(word, candidate.slice(0, word.length), bestDistance - 1));
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
        if (distance === 1 && allowed === 1) break;
      }
    }
    return best;
  };

  const byName = (normalized: string): number[] => {
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
    const ids = [...(matched ?? [])].sort((a, b) => a - b);
    // Names that start with the query come first.
    const starts = ids.filter((id) => items[id]!.normalized.startsWith(normalized));
    const others = ids.filter((id) => !items[id]!.normalized.startsWith(normalized));
    return [...starts, ...others];
  };

  const answer = (ids: number[], limit: number, suggestion?: string): SearchAnswer => ({
    results: ids.slice(0, limit).map((id) => {
      const { postalCodes: _forSearchOnly, ...shown } = items[id]!.entry;
      return shown;
    }),
    total: ids.length,
    ...(suggestion ? { suggestion } : {}),
  });

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
        ids = byName(normalized);
        if (ids.length === 0) {
          // Each word that starts no indexed word is replaced by its nearest one, then the search runs again.
          const corrected = normalized.split(' ').map((w) => {
            const [from, to] = prefixRange(wordKeys, w);
            return from < to ? w : (nearestWord(w) ?? w);
          });
          const correctedQuery = corrected.join(' ');
          if (correctedQuery !== normalized) {
            const found = byName(correctedQuery);
            if (found.length > 0) return answer(found, limit, items[found[0]!]!.entry.name);
          }
        }
      }
      return answer(ids, limit);
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

/**
 * Optimal string alignment distance (a swap of two neighbours counts as one typo), giving up past `max`: the
 * answer is then `max + 1`. Rows are kept short: names are a few dozen characters at most.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = new Array<number>(b.length + 1).fill(0);
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, before[j - 2]! + 1);
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > max) return max + 1;
    before = previous;
    previous = current;
  }
  return Math.min(previous[b.length]!, max + 1);
}
