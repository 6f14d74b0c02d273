import { FRANCE_COG_COUNTRY } from '../domain/identite-pivot.ts';
import { findCommune, type CommuneEntry } from '../domain/places/communes.ts';
import { CITIES_WITH_ARRONDISSEMENTS, communeLabel, resolveCommune, resolveCountry } from '../domain/places/place-search.ts';
import { checkIdentity, type IdentityLookup, type LookupProblem } from './identity-lookup.ts';

/**
 * An identité pivot as an agent types it (the Guichet QF's form, the `qf lookup` options, under the same names):
 * free text in, API Particulier's parameters out, or each problem on its field. Places are taken by name or by
 * code: "Majastres", "Majastres (04)", "04106"; "Algérie", "99352".
 */
export type IdentityFields = Partial<Record<IdentityFieldName, string>>;

export const IDENTITY_FIELD_NAMES = [
  'nom-naissance',
  'nom-usage',
  'prenoms',
  'sexe',
  'jour-naissance',
  'mois-naissance',
  'annee-naissance',
  /** `france` or `etranger`; without it, a country other than France means abroad. */
  'lieu-naissance',
  'commune-naissance',
  'pays-naissance',
  'nom-commune-naissance',
  'departement-naissance',
  'annee',
  'mois',
] as const;
export type IdentityFieldName = (typeof IDENTITY_FIELD_NAMES)[number];

export type IdentityReading =
  | { ok: true; identity: IdentityLookup; communeOfBirth: CommuneEntry | null; countryOfBirthName: string }
  /** `communeChoices`: the communes the typed name may mean, for the agent to pick one. */
  | { ok: false; problems: LookupProblem[]; communeChoices: CommuneEntry[] };

export interface ReadingOptions {
  /** The guichet reads the month and year of birth from the ID card; the day stays optional. */
  requireBirthYearAndMonth?: boolean;
  today?: Date;
}

export function readIdentityFields(fields: IdentityFields, options: ReadingOptions = {}): IdentityReading {
  const text = (name: IdentityFieldName) => (fields[name] ?? '').trim().replace(/\s+/g, ' ');
  const problems: LookupProblem[] = [];
  let communeChoices: CommuneEntry[] = [];
  const number = (name: IdentityFieldName, field: LookupProblem['field'], label: string): number | undefined => {
    const value = text(name);
    if (value === '') return undefined;
    if (!/^[0-9]{1,4}$/.test(value)) {
      problems.push({ field, message: `${label} s’écrit en chiffres.` });
      return undefined;
    }
    return Number(value);
  };

  const sexe = text('sexe').toUpperCase();
  const annee = number('annee-naissance', 'date-naissance', 'L’année de naissance');
  const mois = number('mois-naissance', 'date-naissance', 'Le mois de naissance');
  const jour = number('jour-naissance', 'date-naissance', 'Le jour de naissance');
  if (options.requireBirthYearAndMonth && (annee === undefined || mois === undefined) && !problems.some((p) => p.field === 'date-naissance')) {
    problems.push({ field: 'date-naissance', message: 'Le mois et l’année de naissance sont obligatoires (le jour est facultatif).' });
  }

  const place = text('lieu-naissance');
  const countryText = text('pays-naissance');
  let country: { code: string; name: string } = { code: FRANCE_COG_COUNTRY, name: 'France' };
  if (place === 'etranger' || (place === '' && countryText !== '' && countryText !== FRANCE_COG_COUNTRY)) {
    const resolved = countryText === '' ? null : resolveCountry(countryText);
    if (resolved === null) problems.push({ field: 'pays-naissance', message: 'Indiquez le pays de naissance.' });
    else if (resolved.kind === 'unknown') problems.push({ field: 'pays-naissance', message: `Aucun pays ne s’appelle « ${countryText.slice(0, 60)} » dans la liste de l’INSEE : choisissez-le dans la liste proposée.` });
    else if (resolved.code === FRANCE_COG_COUNTRY) problems.push({ field: 'pays-naissance', message: 'Pour une personne née en France, choisissez « En France » et indiquez la commune.' });
    else country = resolved;
  } else if (place !== '' && place !== 'france') {
    problems.push({ field: 'pays-naissance', message: 'Indiquez si la personne est née en France ou à l’étranger.' });
  }
  const countryUnknown = problems.some((p) => p.field === 'pays-naissance');
  const bornInFrance = country.code === FRANCE_COG_COUNTRY && !countryUnknown;

  let commune: CommuneEntry | null = null;
  const communeText = text('commune-naissance');
  // The whole city's code, typed as such, is what to send when the ID card gives no arrondissement.
  const wholeCity = CITIES_WITH_ARRONDISSEMENTS.has(communeText) ? findCommune(communeText) : undefined;
  if (bornInFrance && wholeCity) commune = wholeCity;
  else if (bornInFrance && communeText !== '') {
    const resolved = resolveCommune(communeText);
    if (resolved.kind === 'found') commune = resolved.commune;
    else if (resolved.kind === 'unknown') problems.push({ field: 'commune-naissance', message: `Aucune commune ne s’appelle « ${communeText.slice(0, 60)} » : vérifiez l’orthographe ou choisissez-la dans la liste proposée.` });
    else if (resolved.kind === 'ambiguous') {
      communeChoices = resolved.candidates;
      problems.push({ field: 'commune-naissance', message: `Plusieurs communes s’appellent ainsi : précisez le département, par exemple « ${communeLabel(resolved.candidates[0]!)} ».` });
    } else {
      communeChoices = resolved.arrondissements;
      const city = CITIES_WITH_ARRONDISSEMENTS.get(resolved.city.code)?.name ?? resolved.city.name;
      problems.push({
        field: 'commune-naissance',
        message: `À ${city}, la naissance est enregistrée par arrondissement : choisissez l’arrondissement indiqué sur la pièce d’identité, par exemple « ${resolved.arrondissements[0]?.name ?? city} ». S’il n’y figure pas, saisissez le code ${resolved.city.code}.`,
      });
    }
  }
  const prenoms = text('prenoms').split(/[\s,]+/).filter(Boolean);
  const optional = {
    nomUsage: text('nom-usage') || undefined,
    anneeDateNaissance: annee,
    moisDateNaissance: mois,
    jourDateNaissance: jour,
    codeCogInseeCommuneNaissance: commune?.code,
    nomCommuneNaissance: bornInFrance ? text('nom-commune-naissance') || undefined : undefined,
    codeCogInseeDepartementNaissance: bornInFrance ? text('departement-naissance').toUpperCase() || undefined : undefined,
    annee: number('annee', 'annee', 'L’année du QF'),
    mois: number('mois', 'mois', 'Le mois du QF'),
  };
  const identity: Partial<IdentityLookup> = {
    nomNaissance: text('nom-naissance'),
    prenoms,
    ...(sexe === 'M' || sexe === 'F' ? { sexeEtatCivil: sexe } : {}),
    ...(countryUnknown ? {} : { codeCogInseePaysNaissance: country.code }),
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
  };
  const known = new Set(problems.map((p) => p.field));
  // A problem already said about a field (a place not found, a date not in figures) is the one to show for it.
  problems.push(...checkIdentity(identity, options.today).filter((p) => !known.has(p.field)));
  if (problems.length > 0) return { ok: false, problems, communeChoices };
  return { ok: true, identity: identity as IdentityLookup, communeOfBirth: commune, countryOfBirthName: country.name };
}
