/**
 * API Particulier's v3 quotient familial `data`, as both routes return it (`contracts/api-particulier-qf.md` §2),
 * kept **exactly as received**: the commune gets it unchanged (payload contract §2), fields we do not know
 * included, odd values included. Keys masked by the token's scopes may be absent. What the service itself
 * understands of it is read apart (`readQuotientFamilial`), so that reading never alters what is forwarded.
 */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };
export type JsonObject = { readonly [key: string]: JsonValue };

export type Fournisseur = 'CNAF' | 'MSA';
export type Sexe = 'F' | 'M';

/** The four keys the v3 answer documents; any other key is forwarded as it came. */
export type KnownQuotientFamilialKey = 'allocataires' | 'enfants' | 'adresse' | 'quotient_familial';

export interface QuotientFamilialData {
  readonly allocataires?: readonly JsonObject[];
  readonly enfants?: readonly JsonObject[];
  readonly adresse?: JsonObject;
  readonly quotient_familial?: JsonObject;
  readonly [key: string]: JsonValue | undefined;
}

/** A person of the household as the service understands it: null where the answer gave nothing usable. */
export interface PersonReading {
  readonly nomNaissance: string | null;
  readonly nomUsage: string | null;
  readonly prenoms: string | null;
  /** As received (normally YYYY-MM-DD). */
  readonly dateNaissance: string | null;
  /** Normally F or M; another value is kept as sent, to be shown rather than guessed at. */
  readonly sexe: string | null;
}

export interface QfValueReading {
  /** Normally CNAF or MSA; another name is kept as sent. */
  readonly fournisseur: string | null;
  /** A finite number, possibly not an integer (read from text when the answer wrote it as text). */
  readonly valeur: number | null;
  readonly annee: number | null;
  readonly mois: number | null;
  readonly anneeCalcul: number | null;
  readonly moisCalcul: number | null;
}

export interface QuotientFamilialReading {
  /** Null when the answer carried no `quotient_familial` (masked or absent). */
  readonly qf: QfValueReading | null;
  /** Null when masked or absent: "not disclosed", which must not read as "nobody". */
  readonly allocataires: readonly PersonReading[] | null;
  readonly enfants: readonly PersonReading[] | null;
  /** What the family should know is missing or unreadable, in French, for the review page. */
  readonly missing: readonly string[];
}

const text = (value: JsonValue | undefined): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);
const integerLike = (value: JsonValue | undefined): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : null;

/**
 * A QF value: a finite number, or a number written as text ("2550", "2550.75", "2550,75"), which some answers
 * carry. The text is forwarded as it came; only what is shown and checked reads it as a number.
 */
const amountLike = (value: JsonValue | undefined): number | null => {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || !/^\s*-?\d+(?:[.,]\d+)?\s*$/.test(value)) return null;
  return Number(value.trim().replace(',', '.'));
};

function readPerson(person: JsonObject): PersonReading {
  return {
    nomNaissance: text(person.nom_naissance),
    nomUsage: text(person.nom_usage),
    prenoms: text(person.prenoms),
    dateNaissance: text(person.date_naissance),
    sexe: text(person.sexe),
  };
}

/** Whether the person lacks something a commune looks for (names, birth date, sex). */
function incomplete(person: PersonReading): boolean {
  return person.nomNaissance === null || person.prenoms === null || person.dateNaissance === null || !/^\d{4}-\d{2}-\d{2}$/.test(person.dateNaissance) || (person.sexe !== 'F' && person.sexe !== 'M');
}

/** What the service understands of the answer; the answer itself is left untouched. */
export function readQuotientFamilial(data: QuotientFamilialData): QuotientFamilialReading {
  const missing: string[] = [];
  const raw = data.quotient_familial;
  let qf: QfValueReading | null = null;
  if (raw === undefined) missing.push('la valeur du quotient familial');
  else {
    const fournisseur = text(raw.fournisseur);
    qf = {
      fournisseur,
      valeur: amountLike(raw.valeur),
      annee: integerLike(raw.annee),
      mois: integerLike(raw.mois),
      anneeCalcul: integerLike(raw.annee_calcul),
      moisCalcul: integerLike(raw.mois_calcul),
    };
    if (qf.valeur === null) missing.push('la valeur du quotient familial');
    if (fournisseur === null) missing.push('l’organisme qui l’a calculé (CAF ou MSA)');
    if (qf.annee === null || qf.mois === null || qf.mois < 1 || qf.mois > 12) missing.push('le mois auquel il s’applique');
  }
  const allocataires = data.allocataires?.map(readPerson) ?? null;
  const enfants = data.enfants?.map(readPerson) ?? null;
  if (allocataires === null) missing.push('la liste des allocataires');
  else if (allocataires.some(incomplete)) missing.push('une partie de l’identité d’un allocataire');
  if (enfants === null) missing.push('la liste des enfants');
  else if (enfants.some(incomplete)) missing.push('une partie de l’identité d’un enfant');
  return { qf, allocataires, enfants, missing };
}

/**
 * Whether the answer can serve the family: it carries a numeric QF value (a number, or a number written as text).
 * Anything else odd in it (a value that is not an integer, a person without first names, a date in another format, unknown fields) is transmitted as
 * received, and the commune judges; without a value there is nothing to price a canteen with.
 */
export function hasUsableQuotientFamilial(data: QuotientFamilialData): boolean {
  const valeur = readQuotientFamilial(data).qf?.valeur;
  return valeur !== null && valeur !== undefined;
}

/** Why no QF could be shown, as the citizen is told (each has its own explanation). */
export type QfProblem =
  | 'not_found'
  | 'dossier_absent_cnaf'
  | 'dossier_absent_msa'
  | 'not_found_other'
  | 'provider_unavailable'
  | 'rate_limited'
  | 'timeout'
  /** The caisse answered, but with no QF value we can read: nothing a commune could use. */
  | 'qf_unusable'
  | 'unexpected';
