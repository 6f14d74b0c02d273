import type { Gender, IdentitePivot } from '../identite-pivot.ts';
import type { JsonObject, JsonValue, QuotientFamilialData } from '../quotient-familial.ts';
import type { FormulaireQfInput } from './input.ts';

/**
 * `FormulaireQF.json` (§2 of the payload contract). Types are aliases, not interfaces, so that they stay
 * assignable to the generic serialisers. Key order is part of the contract: it is the order of the
 * existing files, and the XML (same tree) depends on it.
 */
export type FormulaireQfJson = {
  external_id: string | null;
  pivot_identity: PivotIdentityJson;
  quotient_familial_v3: QuotientFamilialV3Json;
  quotient_familial: LegacyQuotientFamilialJson;
};

export type PivotIdentityJson = {
  birthcountry: string;
  birthdate: string;
  /** Null when FranceConnect sent null, as it sent it. */
  birthplace: string | null;
  family_name: string;
  given_name: string;
  gender: Gender;
};

export type QuotientFamilialV3Json = QuotientFamilialData & { version: 'v3' };

/**
 * The v2 shape older éditeur software still reads. Its values are API Particulier's own, moved to the v2 names
 * without conversion (a float `valeur` stays a float, a null stays null): the v2 and v3 parts never disagree.
 */
export type LegacyQuotientFamilialJson = {
  regime?: JsonValue;
  allocataires?: LegacyPersonneJson[];
  enfants?: LegacyPersonneJson[];
  quotientFamilial?: JsonValue;
  annee?: JsonValue;
  mois?: JsonValue;
  version: 'v2';
};

export type LegacyPersonneJson = {
  nomNaissance: JsonValue;
  nomUsuel: JsonValue;
  prenoms: JsonValue;
  /** v2 gave the date parts as strings ("1962", "08", "24"), null when the date is not YYYY-MM-DD. */
  anneeDateDeNaissance: string | null;
  moisDateDeNaissance: string | null;
  jourDateDeNaissance: string | null;
  sexe: JsonValue;
};

type JsonInput = Pick<FormulaireQfInput, 'externalId' | 'identity' | 'quotientFamilial'>;

export function buildFormulaireQfJson(input: JsonInput): FormulaireQfJson {
  return {
    external_id: input.externalId,
    pivot_identity: pivotIdentityJson(input.identity),
    quotient_familial_v3: { ...input.quotientFamilial, version: 'v3' },
    quotient_familial: legacyQuotientFamilial(input.quotientFamilial),
  };
}

/** Picks the six claims in the contract's order; `given_name_array` and any extra claim stay out. */
function pivotIdentityJson(identity: IdentitePivot): PivotIdentityJson {
  return {
    birthcountry: identity.birthcountry,
    birthdate: identity.birthdate,
    birthplace: identity.birthplace,
    family_name: identity.family_name,
    given_name: identity.given_name,
    gender: identity.gender,
  };
}

/**
 * A key masked by API Particulier's scopes stays absent here too rather than being invented as `[]` or
 * `null`: "no children" and "children not disclosed" must not look alike to the commune. Inside the QF, a field
 * the answer lacked is left out too (Rails wrote a v2 key only from what it read).
 */
function legacyQuotientFamilial(data: QuotientFamilialData): LegacyQuotientFamilialJson {
  const qf = data.quotient_familial;
  return {
    ...(qf && { regime: qf.fournisseur }),
    ...(data.allocataires && { allocataires: data.allocataires.map(legacyPersonne) }),
    ...(data.enfants && { enfants: data.enfants.map(legacyPersonne) }),
    ...(qf && { quotientFamilial: qf.valeur, annee: qf.annee, mois: qf.mois }),
    version: 'v2',
  };
}

/** A person's v2 item: a field the answer lacked is null there, as Rails' `person["…"]` read nil. */
function legacyPersonne(personne: JsonObject): LegacyPersonneJson {
  const [annee, mois, jour] = typeof personne.date_naissance === 'string' ? splitIsoDate(personne.date_naissance) : [null, null, null];
  return {
    nomNaissance: personne.nom_naissance ?? null,
    nomUsuel: personne.nom_usage ?? null,
    prenoms: personne.prenoms ?? null,
    anneeDateDeNaissance: annee,
    moisDateDeNaissance: mois,
    jourDateDeNaissance: jour,
    sexe: personne.sexe ?? null,
  };
}

export function splitIsoDate(date: string): [string | null, string | null, string | null] {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  return match ? [match[1] ?? null, match[2] ?? null, match[3] ?? null] : [null, null, null];
}

/**
 * The file's bytes: compact UTF-8 JSON, no trailing newline, as Rails' `to_json` wrote it. Compact because
 * the file is for machines (éditeurs parse it; agents read the PDF) and its exact byte size is declared to
 * HubEE. Like ActiveSupport's encoder, `<`, `>`, `&`, U+2028 and U+2029 are written as \u escapes: the same
 * JSON value for any parser, and safe if an éditeur ever embeds the file in an HTML page. Those characters
 * can only occur inside JSON strings, so replacing them in the serialised text is exact.
 */
export function formulaireQfJsonBytes(json: FormulaireQfJson): Buffer {
  const text = JSON.stringify(json).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return Buffer.from(text, 'utf8');
}
