import { communeCode } from './communes.ts';
import { invalidParameter, recipientMissing, type ErrorAnswer } from './error-bodies.ts';
import { isAcceptedRecipient } from './siret.ts';

/**
 * The query checks of both QF routes, in siade's order (§1.1 "Parameter validation"): the first failing check
 * answers, alone, as siade's organiser stops at the first failure.
 */
export type RawQuery = Record<string, string | string[] | undefined>;
export type Checked<T> = { ok: true; value: T } | { ok: false; error: ErrorAnswer };

export interface Period {
  annee: number | null;
  mois: number | null;
}

export interface IdentityCriteria {
  nomNaissance: string;
  nomUsage: string | null;
  prenoms: string[];
  sexe: 'M' | 'F';
  anneeNaissance: number | null;
  moisNaissance: number | null;
  jourNaissance: number | null;
  codePays: string;
  codeCommune: string | null;
  nomCommune: string | null;
  codeDepartement: string | null;
}

const NAME = /^[a-zA-ZÀ-ÖØ-öø-ÿ' -]+$/;
const FORBIDDEN_IN_NAMES = /[,()[\]{}]/;
const COG = /^[0-9A-Za-z]{5}$/;

/** `recipient` and `annee`/`mois`: all the FranceConnect route takes. */
export function checkRecipientAndPeriod(query: RawQuery, now: Date): Checked<{ recipient: string; period: Period }> {
  const recipient = scalar(query, 'recipient');
  if (recipient === undefined) return fail(recipientMissing());
  if (typeof recipient !== 'string' || !isAcceptedRecipient(recipient)) {
    return fail(invalidParameter('00302', 'recipient', "Le paramètre recipient n'est pas un numéro de SIRET valide"));
  }
  const period = checkPeriod(query, now);
  return period.ok ? { ok: true, value: { recipient, period: period.value } } : period;
}

export function checkIdentityQuery(
  query: RawQuery,
  now: Date,
): Checked<{ recipient: string; period: Period; identity: IdentityCriteria }> {
  const common = checkRecipientAndPeriod(query, now);
  if (!common.ok) return common;

  const sexe = scalar(query, 'sexeEtatCivil');
  if (sexe !== 'M' && sexe !== 'F') {
    return fail(invalidParameter('00427', 'sexeEtatCivil', 'Le sexe à l’état civil est obligatoire et vaut M ou F'));
  }

  const place = checkBirthPlace(query);
  if (!place.ok) return place;

  const date = checkBirthDate(query);
  if (!date.ok) return date;

  const prenoms = query['prenoms[]'];
  const prenomList = (typeof prenoms === 'string' ? [prenoms] : (prenoms ?? [])).map(withPlainApostrophes);
  // siade checks the form of each first name, not that there is one (step 9): staging answers its 404.yaml case,
  // which has none, with a 404, not a 422.
  if (prenomList.length > 3 || prenomList.some((p) => p.trim() === '')) {
    return fail(invalidParameter('00421', 'prenoms', 'Le paramètre prenoms[] compte de 1 à 3 prénoms, aucun vide'));
  }
  if (prenomList.some((p) => !NAME.test(p) || FORBIDDEN_IN_NAMES.test(p))) {
    return fail(
      invalidParameter('00367', 'prenoms', 'Les prénoms ne contiennent que des lettres, des espaces, des apostrophes et des tirets'),
    );
  }

  const nomNaissance = scalar(query, 'nomNaissance');
  if (typeof nomNaissance !== 'string' || !NAME.test(withPlainApostrophes(nomNaissance)) || nomNaissance.trim() === '') {
    return fail(
      invalidParameter(
        '00420',
        'nomNaissance',
        'Le nom de naissance est obligatoire et ne contient que des lettres, des espaces, des apostrophes et des tirets',
      ),
    );
  }
  const nomUsage = scalar(query, 'nomUsage');

  return {
    ok: true,
    value: {
      recipient: common.value.recipient,
      period: common.value.period,
      identity: {
        nomNaissance: withPlainApostrophes(nomNaissance),
        nomUsage: typeof nomUsage === 'string' ? withPlainApostrophes(nomUsage) : null,
        prenoms: prenomList,
        sexe,
        ...date.value,
        ...place.value,
      },
    },
  };
}

/** `annee`: 4 digits within the two-year history; `mois`: 1..12 and not in the future (§1.1 steps 2-3). */
function checkPeriod(query: RawQuery, now: Date): Checked<Period> {
  const currentYear = now.getUTCFullYear();
  const currentMonth = now.getUTCMonth() + 1;
  const anneeRaw = scalar(query, 'annee');
  let annee: number | null = null;
  if (anneeRaw !== undefined) {
    annee = typeof anneeRaw === 'string' && /^\d{4}$/.test(anneeRaw) ? Number(anneeRaw) : NaN;
    if (!(annee >= currentYear - 2 && annee <= currentYear)) {
      return fail(
        invalidParameter('00356', 'annee', `L'année demandée comporte 4 chiffres et est comprise entre ${currentYear - 2} et ${currentYear}`),
      );
    }
  }
  const moisRaw = scalar(query, 'mois');
  let mois: number | null = null;
  if (moisRaw !== undefined) {
    mois = typeof moisRaw === 'string' && /^\d{1,2}$/.test(moisRaw) ? Number(moisRaw) : NaN;
    const inFuture = (annee ?? currentYear) >= currentYear && mois > currentMonth;
    if (!(mois >= 1 && mois <= 12) || inFuture) {
      return fail(invalidParameter('00354', 'mois', 'Le mois demandé est compris entre 1 et 12 et n’est pas dans le futur'));
    }
  }
  return { ok: true, value: { annee, mois } };
}

/**
 * Commune code, or the "option 2" triple (commune name + département + birth year), then the country; a person
 * born in France needs one of the two options (§1.1 table).
 */
function checkBirthPlace(
  query: RawQuery,
): Checked<Pick<IdentityCriteria, 'codePays' | 'codeCommune' | 'nomCommune' | 'codeDepartement'>> {
  const codeCommune = scalar(query, 'codeCogInseeCommuneNaissance');
  const nomCommune = scalar(query, 'nomCommuneNaissance');
  const codeDepartement = scalar(query, 'codeCogInseeDepartementNaissance');
  if (codeCommune !== undefined && (typeof codeCommune !== 'string' || !COG.test(codeCommune))) {
    return fail(
      invalidParameter('00365', 'codeCogInseeCommuneNaissance', 'Le code COG de la commune de naissance compte 5 caractères'),
    );
  }
  if (codeCommune === undefined && (nomCommune !== undefined || codeDepartement !== undefined)) {
    if (typeof nomCommune !== 'string') {
      return fail(invalidParameter('00317', 'nomCommuneNaissance', 'Le nom de la commune de naissance est obligatoire'));
    }
    if (typeof codeDepartement !== 'string' || !/^[0-9A-Za-z]{2,3}$/.test(codeDepartement)) {
      return fail(
        invalidParameter(
          '00428',
          'codeCogInseeDepartementNaissance',
          'Le code COG du département de naissance est obligatoire avec le nom de la commune et compte 2 ou 3 caractères',
        ),
      );
    }
    if (scalar(query, 'anneeDateNaissance') === undefined) {
      return fail(
        invalidParameter('00422', 'anneeDateNaissance', "L'année de naissance est obligatoire avec le nom de la commune de naissance"),
      );
    }
  }
  const codePays = scalar(query, 'codeCogInseePaysNaissance');
  if (typeof codePays !== 'string' || !COG.test(codePays)) {
    return fail(
      invalidParameter('00400', 'codeCogInseePaysNaissance', 'Le code COG du pays de naissance est obligatoire et compte 5 caractères'),
    );
  }
  if (codePays === '99100' && codeCommune === undefined && nomCommune === undefined) {
    return fail(
      invalidParameter(
        '00365',
        'codeCogInseeCommuneNaissance',
        'Pour une personne née en France, le code COG de la commune de naissance, ou son nom avec le département et l’année de naissance, est obligatoire',
      ),
    );
  }
  // Option 2: siade transcodes the name to a COG code; a name that is no commune of the département is refused.
  let transcoded: string | null = null;
  if (codeCommune === undefined && typeof nomCommune === 'string' && typeof codeDepartement === 'string') {
    transcoded = communeCode(nomCommune, codeDepartement);
    if (transcoded === null) {
      return fail(
        invalidParameter('00317', 'nomCommuneNaissance', "Le nom de la commune de naissance ne correspond à aucune commune du département indiqué"),
      );
    }
  }
  return {
    ok: true,
    value: {
      codePays,
      codeCommune: typeof codeCommune === 'string' ? codeCommune.toUpperCase() : transcoded,
      nomCommune: typeof nomCommune === 'string' ? nomCommune : null,
      codeDepartement: typeof codeDepartement === 'string' ? codeDepartement.toUpperCase() : null,
    },
  };
}

/** Year > 0, month 1..12 (ignored without a year), day 1..31 (ignored without a month), a real date (step 7). */
function checkBirthDate(query: RawQuery): Checked<Pick<IdentityCriteria, 'anneeNaissance' | 'moisNaissance' | 'jourNaissance'>> {
  const year = integer(scalar(query, 'anneeDateNaissance'));
  if (year !== null && !(year > 0)) {
    return fail(invalidParameter('00422', 'anneeDateNaissance', "L'année de naissance est un entier positif"));
  }
  const month = year === null ? null : integer(scalar(query, 'moisDateNaissance'));
  if (month !== null && !(month >= 1 && month <= 12)) {
    return fail(invalidParameter('00423', 'moisDateNaissance', 'Le mois de naissance est compris entre 1 et 12'));
  }
  const day = month === null ? null : integer(scalar(query, 'jourDateNaissance'));
  if (day !== null && !(day >= 1 && day <= 31)) {
    return fail(invalidParameter('00424', 'jourDateNaissance', 'Le jour de naissance est compris entre 1 et 31'));
  }
  if (year !== null && month !== null && day !== null) {
    const date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
      return fail(invalidParameter('00425', 'dateNaissance', "La date de naissance n'existe pas dans le calendrier"));
    }
  }
  return { ok: true, value: { anneeNaissance: year, moisNaissance: month, jourNaissance: day } };
}

/** Absent and empty are the same to Rails' `present?`; a repeated scalar stays an array and fails its check. */
function scalar(query: RawQuery, name: string): string | string[] | undefined {
  const value = query[name];
  return value === '' ? undefined : value;
}

/** null when absent, NaN when present but not an integer (so that the caller's range check fails). */
function integer(value: string | string[] | undefined): number | null {
  if (value === undefined) return null;
  return typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : NaN;
}

/** siade replaces typographic apostrophes before validating names (`CNAV::ReplaceTypographicApostrophes`). */
function withPlainApostrophes(value: string): string {
  return value.replace(/[’‘ʼ]/g, "'");
}

function fail(error: ErrorAnswer): { ok: false; error: ErrorAnswer } {
  return { ok: false, error };
}
