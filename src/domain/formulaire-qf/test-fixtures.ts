import personas from '../../sandbox/fixtures/personas.json' with { type: 'json' };
import type { IdentitePivot } from '../identite-pivot.ts';
import type { QuotientFamilialData } from '../quotient-familial.ts';
import type { ShipmentReference } from '../shipment-reference.ts';
import type { CodeCog, Siret } from '../siret.ts';
import type { FormulaireQfInput } from './input.ts';

/** Test data shared by the payload tests: the sandbox personas, typed. */
export function persona(login: string): { identity: IdentitePivot; quotientFamilial: QuotientFamilialData } {
  const found = personas.personas.find((p) => p.login === login);
  if (!found || found.qf.status !== 200 || !('data' in found.qf)) throw new Error(`no persona ${login} with a QF`);
  const { preferred_username: _u, email: _e, ...identity } = found.claims as typeof found.claims & Record<string, unknown>;
  return { identity: identity as unknown as IdentitePivot, quotientFamilial: found.qf.data as QuotientFamilialData };
}

export function inputFor(login: string, overrides: Partial<FormulaireQfInput> = {}): FormulaireQfInput {
  return {
    reference: '1A2B3C4D5E6F7' as ShipmentReference,
    externalId: null,
    ...persona(login),
    collectivity: { name: 'Majastres', siret: '21040107100019' as Siret, codeCog: '04107' as CodeCog },
    transmittedAt: new Date('2026-11-26T11:30:16Z'),
    ...overrides,
  };
}

/** Angela as in the contract's §2 example: the QF without `adresse` (not requested in production). */
export function angelaAsInTheContract(): FormulaireQfInput {
  const { adresse: _adresse, ...quotientFamilial } = persona('angela').quotientFamilial;
  return inputFor('angela', { externalId: 'dossier-4242', quotientFamilial });
}

/**
 * A rare but usable answer, as API Particulier might send it: a non-integer value, a field we do not know at
 * every level, first names null, an odd date, an identity with a null birthplace, an external_id with spaces.
 */
export function oddButUsable(): FormulaireQfInput {
  const angela = persona('angela');
  return inputFor('angela', {
    externalId: '  DOSSIER 42 ',
    identity: { ...angela.identity, birthplace: null },
    quotientFamilial: {
      allocataires: [{ nom_naissance: 'DUBOIS', nom_usage: null, prenoms: null, date_naissance: '1962-8-24', sexe: 'F', rang: 1 }],
      enfants: [{ nom_naissance: 'DUBOIS', nom_usage: null, prenoms: 'LEA', date_naissance: '2015-03-00', sexe: 'F' }],
      quotient_familial: { fournisseur: 'CNAF', valeur: 2550.75, annee: 2024, mois: 2, annee_calcul: 2024, mois_calcul: 12, regime_special: { code: 'X1', actif: true } },
      nouvelle_rubrique: ['a', 1, null],
    },
  });
}
