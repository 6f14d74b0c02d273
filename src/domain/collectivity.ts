import { err, ok, type Result } from './result.ts';
import { parseCodeCog, parseDepartementCode, parseSiret, type CodeCog, type DepartementCode, type ParseSiretOptions, type Siret } from './siret.ts';

export { isRedirectUriAllowed, type RedirectUriOptions } from './redirect-uri.ts';

/** A collectivity that can receive transmissions (a commune, or HubEE's test organisations). */
export type CollectivityStatus = 'active' | 'inactive';

export interface Collectivity {
  readonly siret: Siret;
  readonly codeCog: CodeCog;
  readonly name: string;
  readonly departement: DepartementCode;
  /**
   * 5 digits; the postal code of the town hall, used only for search. Empty when unknown: the old form never
   * recorded it, so collectivities moved over from it and created through its API body may have none.
   */
  readonly codePostal: string;
  readonly status: CollectivityStatus;
  /** The DataPass id of the éditeur that receives its folders through the HubEE API, if any. */
  readonly editor: string | null;
  /** URL prefixes a `redirect_uri` must fall under (see `isRedirectUriAllowed`). */
  readonly allowedRedirectPrefixes: readonly string[];
}

/** A collectivity as stored or received (database row, seed file, public API body), before validation. */
export interface CollectivityFields {
  readonly siret: string;
  readonly codeCog: string;
  readonly name: string;
  readonly departement: string;
  readonly codePostal: string;
  readonly status: string;
  readonly editor?: string | null;
  readonly allowedRedirectPrefixes?: readonly string[];
}

export type CollectivityField = 'siret' | 'codeCog' | 'name' | 'departement' | 'codePostal' | 'status';

/** Every invalid field at once, so that an operator fixes a seed or an API call in one go. */
export function parseCollectivity(
  fields: CollectivityFields,
  options: ParseSiretOptions = {},
): Result<Collectivity, readonly CollectivityField[]> {
  const siret = parseSiret(fields.siret, options);
  const codeCog = parseCodeCog(fields.codeCog);
  const departement = parseDepartementCode(fields.departement);
  const name = fields.name.trim();
  const codePostal = fields.codePostal.trim();
  const status = fields.status === 'active' || fields.status === 'inactive' ? fields.status : null;
  const invalid: CollectivityField[] = [];
  if (!siret.ok) invalid.push('siret');
  if (!codeCog.ok) invalid.push('codeCog');
  if (name === '') invalid.push('name');
  if (!departement.ok) invalid.push('departement');
  if (codePostal !== '' && !/^\d{5}$/.test(codePostal)) invalid.push('codePostal');
  if (status === null) invalid.push('status');
  // The first four conditions repeat `invalid` for the type checker's narrowing.
  if (!siret.ok || !codeCog.ok || !departement.ok || status === null || invalid.length > 0) return err(invalid);
  return ok({
    siret: siret.value,
    codeCog: codeCog.value,
    name,
    departement: departement.value,
    codePostal,
    status,
    editor: fields.editor ?? null,
    allowedRedirectPrefixes: [...(fields.allowedRedirectPrefixes ?? [])],
  });
}

/**
 * The form of a name (or a query) used to match collectivities: lower case, no accents, ligatures
 * spelled out, any punctuation (hyphens, apostrophes, slashes…) as a single space, and "st"/"ste" read
 * as "saint"/"sainte", so that "St-Étienne", "saint etienne" and "SAINT-ÉTIENNE" meet.
 */
export function normalizeSearchText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss')
    .split(/[^a-z0-9]+/)
    .filter((token) => token !== '')
    .map((token) => (token === 'st' ? 'saint' : token === 'ste' ? 'sainte' : token))
    .join(' ');
}

/**
 * Whether a search query matches a name: every word of the query starts a word of the name, in any
 * order ("etienne st" finds Saint-Étienne, "bel" finds Belley). An empty query matches nothing, so a
 * blank search never lists every commune.
 */
export function matchesSearch(name: string, query: string): boolean {
  const queryTokens = normalizeSearchText(query).split(' ').filter((t) => t !== '');
  if (queryTokens.length === 0) return false;
  const nameTokens = normalizeSearchText(name).split(' ');
  return queryTokens.every((q) => nameTokens.some((n) => n.startsWith(q)));
}
