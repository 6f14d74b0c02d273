import pays from './insee-pays.json' with { type: 'json' };
import { FRANCE_COG_COUNTRY } from '../identite-pivot.ts';

/**
 * INSEE's country codes (99xxx) with their French names, current and former (copied from INSEE's COG 2025, see
 * the file's `about`): FranceConnect gives the country of birth as such a code, a parent reads its name.
 */
const byCode = new Map<string, { name: string; current: boolean }>(pays.pays.map((p) => [p.cog, { name: p.libelle, current: p.actuel }]));

/** "99352" → "Algérie"; a former code names the country as it was then; an unknown code says so. */
export function countryName(cog: string): string {
  if (cog === FRANCE_COG_COUNTRY) return 'France';
  const country = byCode.get(cog);
  if (!country) return `Pays inconnu (code INSEE ${cog})`;
  return country.current ? country.name : `${country.name} (ancien pays ou territoire)`;
}

/** Every country and territory of the list (France included), current ones first, for a choice by name. */
export function allCountries(): { code: string; name: string; current: boolean }[] {
  return [...byCode.entries()].map(([code, c]) => ({ code, name: c.name, current: c.current })).sort((a, b) => Number(b.current) - Number(a.current) || a.name.localeCompare(b.name, 'fr'));
}
