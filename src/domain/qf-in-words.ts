import type { Fournisseur, QuotientFamilialValue } from './quotient-familial.ts';

/**
 * The quotient familial as a parent (and an agent) reads it: a value in euros, the month it is worth for, who
 * computed it and when. Shared by the review page, the récapitulatif and the PDF sent to the commune.
 */
const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'] as const;

/** 1..12 → "février"; anything else → "" */
export function monthName(month: number): string {
  return MONTHS[month - 1] ?? '';
}

/** (2, 2024) → "février 2024" */
export function monthYear(month: number, year: number): string {
  const name = monthName(month);
  return name ? `${name} ${year}` : String(year);
}

/** 2550 → "2 550 €" (the CAF and the MSA express the QF in euros per month; a no-break space before the unit). */
export function qfAmount(value: number): string {
  return `${value.toLocaleString('fr-FR')}\u00a0€`;
}

/** "la CAF (caisse d’allocations familiales)" */
export function providerName(fournisseur: Fournisseur): string {
  return fournisseur === 'MSA' ? 'la MSA (Mutualité sociale agricole)' : 'la CAF (caisse d’allocations familiales)';
}

/** "CNAF" or "MSA": the organisation behind API Particulier's answer, for a source line. */
export function providerShort(fournisseur: Fournisseur): string {
  return fournisseur === 'MSA' ? 'MSA' : 'CNAF';
}

/** Months from the QF's own month to today's (0 for the current month). */
export function qfAgeInMonths(qf: Pick<QuotientFamilialValue, 'annee' | 'mois'>, today: Date): number {
  return (today.getFullYear() - qf.annee) * 12 + (today.getMonth() + 1 - qf.mois);
}

/** Past this many months a QF may no longer match the family's situation: the pages say so. */
export const QF_MAY_BE_OLD_AFTER_MONTHS = 2;

export function qfMayBeOld(qf: Pick<QuotientFamilialValue, 'annee' | 'mois'>, today: Date): boolean {
  return qfAgeInMonths(qf, today) > QF_MAY_BE_OLD_AFTER_MONTHS;
}
