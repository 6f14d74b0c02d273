import type { IdentitePivot } from '../identite-pivot.ts';
import type { QuotientFamilialData } from '../quotient-familial.ts';
import type { ShipmentReference } from '../shipment-reference.ts';
import type { FormulaireQfInput, FormulaireQfRecipient } from './input.ts';

/**
 * The test dossier a commune or its éditeur asks for, to check its reception end to end: a FormulaireQF folder
 * of the usual shape, about a person who does not exist. The JSON schema allows no extra key, so the marks sit in
 * values that every parser already reads: the portal's file number `DOSSIER-DE-TEST`, the name `TEST`, and the
 * PDF's title; our own records carry `is_test`.
 */
export const TEST_DOSSIER_EXTERNAL_ID = 'DOSSIER-DE-TEST';

export const TEST_PERSONA: IdentitePivot = {
  family_name: 'TEST',
  given_name: 'Dossier Fictif',
  given_name_array: ['Dossier', 'Fictif'],
  gender: 'female',
  birthdate: '1990-01-01',
  birthplace: '75107',
  birthcountry: '99100',
};

/** A QF of last month, as API Particulier would give it for the persona (a child, no address). */
export function testQuotientFamilial(at: Date): QuotientFamilialData {
  const lastMonth = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() - 1, 1));
  const annee = lastMonth.getUTCFullYear();
  const mois = lastMonth.getUTCMonth() + 1;
  return {
    allocataires: [{ nom_naissance: 'TEST', nom_usage: null, prenoms: 'DOSSIER FICTIF', date_naissance: '1990-01-01', sexe: 'F' }],
    enfants: [{ nom_naissance: 'TEST', nom_usage: null, prenoms: 'ENFANT FICTIF', date_naissance: '2018-05-01', sexe: 'M' }],
    quotient_familial: { fournisseur: 'CNAF', valeur: 1234, annee, mois, annee_calcul: annee, mois_calcul: mois },
  };
}

export function testDossierInput(reference: ShipmentReference, collectivity: FormulaireQfRecipient, at: Date): FormulaireQfInput {
  return {
    reference,
    externalId: TEST_DOSSIER_EXTERNAL_ID,
    identity: TEST_PERSONA,
    quotientFamilial: testQuotientFamilial(at),
    collectivity,
    transmittedAt: at,
    test: true,
  };
}
