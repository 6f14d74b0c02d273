import type { Fournisseur } from './quotient-familial.ts';

/**
 * The quotient familial as a parent (and an agent) reads it: a value in euros, the month it is worth for, who
 * computed it and when. Shared by the review page, the récapitulatif and the PDF sent to the commune.
 */
const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'] as const;

/** 1..12 → "février"; anything else → "" */
export function monthName(month: number): string {
  return MONTHS[month - 1] ?? '';
}

/** What the pages say where API Particulier gave nothing. */
export const NOT_GIVEN = 'Non communiqué';

/** (2, 2024) → "février 2024"; (null, 2024) → "2024"; no year → NOT_GIVEN (API Particulier's data is forwarded as sent). */
export function monthYear(month: number | null, year: number | null): string {
  if (year === null) return NOT_GIVEN;
  const name = month === null ? '' : monthName(month);
  return name ? `${name} ${year}` : String(year);
}

// Made once: toLocaleString builds a new ICU formatter at every call (it showed in the review page's profile).
const FRENCH_NUMBER = new Intl.NumberFormat('fr-FR');

/** 2550 → "2 550 €" (the CAF and the MSA express the QF in euros per month; a no-break space before the unit). */
export function qfAmount(value: number | null): string {
  return value === null ? NOT_GIVEN : `${FRENCH_NUMBER.format(value)}\u00a0€`;
}

/** "la CAF (caisse d’allocations familiales)" */
export function providerName(fournisseur: Fournisseur | string | null): string {
  if (fournisseur === 'MSA') return 'la MSA (Mutualité sociale agricole)';
  if (fournisseur === 'CNAF') return 'la CAF (caisse d’allocations familiales)';
  return fournisseur === null ? 'votre caisse' : fournisseur;
}

/** "CNAF" or "MSA": the organisation behind API Particulier's answer, for a source line. */
export function providerShort(fournisseur: Fournisseur | string | null): string {
  return fournisseur === 'MSA' || fournisseur === 'CNAF' ? fournisseur : (fournisseur ?? 'caisse non communiquée');
}

/** Months from the QF's own month to today's (0 for the current month). */
export function qfAgeInMonths(qf: { annee: number | null; mois: number | null }, today: Date): number | null {
  if (qf.annee === null) return null;
  return (today.getFullYear() - qf.annee) * 12 + (today.getMonth() + 1 - (qf.mois ?? 12));
}

/** Past this many months a QF may no longer match the family's situation: the pages say so. */
export const QF_MAY_BE_OLD_AFTER_MONTHS = 2;

export function qfMayBeOld(qf: { annee: number | null; mois: number | null }, today: Date): boolean {
  const age = qfAgeInMonths(qf, today);
  return age !== null && age > QF_MAY_BE_OLD_AFTER_MONTHS;
}
