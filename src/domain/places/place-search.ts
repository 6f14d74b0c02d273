import { allCommunes, findCommune, type CommuneEntry } from './communes.ts';
import { allCountries } from './countries.ts';

/**
 * A place of birth as a counter agent types it from an ID card: a commune's name (with its département when
 * several share it), or a country's name, turned into the INSEE code API Particulier wants. Paris, Lyon and
 * Marseille have one code per arrondissement: a person born there is known by the arrondissement's code.
 */
export function normalizePlaceName(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/\bst\b/g, 'saint')
    .replace(/\bste\b/g, 'sainte')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** The three cities whose births are registered per arrondissement: their whole-city code → what to call them. */
export const CITIES_WITH_ARRONDISSEMENTS: ReadonlyMap<string, { name: string; arrondissementPrefix: string }> = new Map([
  ['75056', { name: 'Paris', arrondissementPrefix: '751' }],
  ['69123', { name: 'Lyon', arrondissementPrefix: '6938' }],
  ['13055', { name: 'Marseille', arrondissementPrefix: '132' }],
]);

/** "Majastres (04)": how a commune is shown and typed back. */
export function communeLabel(commune: Pick<CommuneEntry, 'name' | 'departement'>): string {
  return `${commune.name} (${commune.departement})`;
}

export type CommuneResolution =
  | { kind: 'found'; commune: CommuneEntry }
  | { kind: 'ambiguous'; candidates: CommuneEntry[] }
  /** Paris, Lyon or Marseille as a whole: the arrondissement is asked, the whole city's code stays possible. */
  | { kind: 'arrondissement_needed'; city: CommuneEntry; arrondissements: CommuneEntry[] }
  | { kind: 'unknown' };

const LABELLED = /^(.*\S)\s*\(\s*([0-9][0-9AB][0-9]?)\s*\)$/i;
const COG = /^[0-9][0-9AB][0-9]{3}$/i;

/** Communes whose name starts like the text (whole words first), at most `limit`, for suggestions. */
export function suggestCommunes(text: string, limit = 10): CommuneEntry[] {
  const query = normalizePlaceName(text.replace(LABELLED, '$1'));
  if (query.length < 2) return [];
  const exact: CommuneEntry[] = [];
  const starts: CommuneEntry[] = [];
  for (const commune of allCommunes()) {
    const name = normalizePlaceName(commune.name);
    if (name === query) exact.push(commune);
    else if (name.startsWith(query)) starts.push(commune);
  }
  const byName = (a: CommuneEntry, b: CommuneEntry) => a.name.localeCompare(b.name, 'fr') || a.code.localeCompare(b.code);
  return [...exact.sort(byName), ...starts.sort(byName)].slice(0, limit);
}

export function resolveCommune(text: string): CommuneResolution {
  const typed = text.trim();
  if (COG.test(typed)) {
    const commune = findCommune(typed.toUpperCase());
    return commune ? withArrondissements(commune) : { kind: 'unknown' };
  }
  const labelled = LABELLED.exec(typed);
  const name = normalizePlaceName(labelled ? labelled[1]! : typed);
  if (name === '') return { kind: 'unknown' };
  let matches = [...allCommunes()].filter((c) => normalizePlaceName(c.name) === name);
  if (labelled) matches = matches.filter((c) => c.departement.toUpperCase() === labelled[2]!.toUpperCase());
  if (matches.length === 0) return { kind: 'unknown' };
  // A delegated commune that kept its name next to the current one: the current one is what the agent means.
  const current = matches.filter((c) => c.kind === 'commune-actuelle' || c.kind === 'arrondissement-municipal');
  const candidates = current.length > 0 ? current : matches;
  if (candidates.length > 1) return { kind: 'ambiguous', candidates: candidates.sort((a, b) => a.departement.localeCompare(b.departement)) };
  return withArrondissements(candidates[0]!);
}

function withArrondissements(commune: CommuneEntry): CommuneResolution {
  const city = CITIES_WITH_ARRONDISSEMENTS.get(commune.code);
  if (!city) return { kind: 'found', commune };
  const arrondissements = [...allCommunes()].filter((c) => c.kind === 'arrondissement-municipal' && c.code.startsWith(city.arrondissementPrefix)).sort((a, b) => a.code.localeCompare(b.code));
  return { kind: 'arrondissement_needed', city: commune, arrondissements };
}

export type CountryResolution = { kind: 'found'; code: string; name: string } | { kind: 'unknown' };

/** A country by its INSEE code (99xxx) or its French name, accents and case aside; a current name wins over a former one. */
export function resolveCountry(text: string): CountryResolution {
  const typed = text.trim();
  const countries = allCountries();
  if (/^99[0-9]{3}$/.test(typed)) {
    const country = countries.find((c) => c.code === typed);
    return country ? { kind: 'found', code: country.code, name: country.name } : { kind: 'unknown' };
  }
  const name = normalizePlaceName(typed);
  const country = countries.find((c) => normalizePlaceName(c.name) === name);
  return country ? { kind: 'found', code: country.code, name: country.name } : { kind: 'unknown' };
}

/** Country names for a `<datalist>`, France left out (the form asks "née en France" apart). */
export function countryChoices(): { code: string; name: string }[] {
  return allCountries().filter((c) => c.code !== '99100' && c.current);
}
