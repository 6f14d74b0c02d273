/**
 * Small French formatting helpers shared by the views. Pure functions, no personal data is logged.
 */
import type { Gender } from '../../domain/identite-pivot.ts';
import { communeName } from '../../domain/places/communes.ts';
import { countryName } from '../../domain/places/countries.ts';
import type { Fournisseur, Sexe } from '../../domain/quotient-familial.ts';

export { monthName, monthYear } from '../../domain/qf-in-words.ts';

/** "1962-08-24" → "24/08/1962" (no time zone involved: it is a calendar date). */
export function isoDateToFrench(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) return isoDate;
  return `${match[3]}/${match[2]}/${match[1]}`;
}

const dateTimeFormat = new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'Europe/Paris',
  dateStyle: 'long',
  timeStyle: 'short',
});

/** A moment, in French, in Paris time: "12 mars 2024 à 14:05". */
export function frenchDateTime(at: Date): string {
  return dateTimeFormat.format(at);
}

export function genderLabel(gender: Gender): string {
  switch (gender) {
    case 'female':
      return 'Féminin';
    case 'male':
      return 'Masculin';
    default:
      return 'Non précisé';
  }
}

export function sexeLabel(sexe: Sexe | string): string {
  return sexe === 'F' ? 'Féminin' : sexe === 'M' ? 'Masculin' : 'Non précisé';
}

/** A provider API Particulier does not document is shown by the name it sent. */
export function fournisseurLabel(fournisseur: Fournisseur | string): string {
  return fournisseur === 'CNAF' ? 'CAF (CNAF)' : fournisseur === 'MSA' ? 'MSA' : String(fournisseur);
}

/** Commune of birth as FranceConnect gives it (a COG code, "" for people born abroad, or null when not given), by its name. */
export function birthplaceLabel(birthplace: string | null): string {
  if (birthplace === null) return 'Non communiqué par FranceConnect';
  return birthplace === '' ? 'Hors de France' : communeName(birthplace);
}

/** Country of birth as FranceConnect gives it (a COG code, "99100" being France), by its name. */
export function birthcountryLabel(birthcountry: string): string {
  return countryName(birthcountry);
}

export { plural } from '../../domain/plural.ts';
