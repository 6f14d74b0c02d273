import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildFormulaireQfJson, formulaireQfJsonBytes, splitIsoDate } from './json.ts';
import { angelaAsInTheContract, inputFor, oddButUsable } from './test-fixtures.ts';

/** Copied from §2 of contracts/formulaire-qf-payload.md. */
const CONTRACT_EXAMPLE = `{
  "external_id": "dossier-4242",
  "pivot_identity": {"birthcountry": "99100", "birthdate": "1962-08-24", "birthplace": "75107",
                     "family_name": "DUBOIS", "given_name": "Angela Claire Louise", "gender": "female"},
  "quotient_familial_v3": {
    "allocataires": [{"nom_naissance": "DUBOIS", "nom_usage": null, "prenoms": "ANGELA CLAIRE LOUISE",
                      "date_naissance": "1962-08-24", "sexe": "F"}],
    "enfants": [],
    "quotient_familial": {"fournisseur": "CNAF", "valeur": 2550, "annee": 2024, "mois": 2,
                          "annee_calcul": 2024, "mois_calcul": 12},
    "version": "v3"
  },
  "quotient_familial": {
    "regime": "CNAF",
    "allocataires": [{"nomNaissance": "DUBOIS", "nomUsuel": null, "prenoms": "ANGELA CLAIRE LOUISE",
                      "anneeDateDeNaissance": "1962", "moisDateDeNaissance": "08", "jourDateDeNaissance": "24",
                      "sexe": "F"}],
    "enfants": [],
    "quotientFamilial": 2550, "annee": 2024, "mois": 2, "version": "v2"
  }
}`;

describe('FormulaireQF.json', () => {
  it("matches the contract's example for Angela, keys in the same order", () => {
    const json = buildFormulaireQfJson(angelaAsInTheContract());
    const expected: unknown = JSON.parse(CONTRACT_EXAMPLE);
    assert.deepEqual(json, expected);
    // deepEqual ignores key order; the serialised text does not.
    assert.equal(JSON.stringify(json), JSON.stringify(expected));
  });

  it('forwards a QF value written as text exactly as received, in the v3 and the v2 blocks', () => {
    const angela = angelaAsInTheContract();
    const json = buildFormulaireQfJson({ ...angela, quotientFamilial: { ...angela.quotientFamilial, quotient_familial: { ...angela.quotientFamilial.quotient_familial, valeur: '2550' } } });
    assert.equal(json.quotient_familial_v3.quotient_familial?.valeur, '2550');
    assert.equal(json.quotient_familial.quotientFamilial, '2550');
  });

  it('stays the same for a family transmitting again: only the PDF says it', () => {
    const input = { ...angelaAsInTheContract(), previousTransmissionAt: new Date('2026-11-20T08:15:00Z') };
    assert.equal(JSON.stringify(buildFormulaireQfJson(input)), JSON.stringify(JSON.parse(CONTRACT_EXAMPLE)));
  });

  it('serialises to compact UTF-8 JSON with no trailing newline', () => {
    const bytes = formulaireQfJsonBytes(buildFormulaireQfJson(angelaAsInTheContract()));
    assert.equal(bytes.toString('utf8'), JSON.stringify(JSON.parse(CONTRACT_EXAMPLE)));
  });

  it('keeps `adresse` in the v3 block when API Particulier returned it, and keeps it out of the v2 block', () => {
    const input = inputFor('angela');
    const json = buildFormulaireQfJson(input);
    assert.deepEqual(json.quotient_familial_v3.adresse, input.quotientFamilial.adresse);
    assert.deepEqual(Object.keys(json.quotient_familial_v3), ['allocataires', 'enfants', 'adresse', 'quotient_familial', 'version']);
    assert.deepEqual(Object.keys(json.quotient_familial), ['regime', 'allocataires', 'enfants', 'quotientFamilial', 'annee', 'mois', 'version']);
  });

  it('maps every member of a larger household to the v2 shape (Jeanne, MSA)', () => {
    const json = buildFormulaireQfJson(inputFor('jeanne', { externalId: null }));
    assert.equal(json.external_id, null);
    assert.equal(json.quotient_familial.regime, 'MSA');
    assert.equal(json.quotient_familial.quotientFamilial, 150);
    assert.deepEqual(json.quotient_familial.enfants, [
      { nomNaissance: 'ROUX', nomUsuel: null, prenoms: 'ALEXIS VINCENT', anneeDateDeNaissance: '2016', moisDateDeNaissance: '04', jourDateDeNaissance: '20', sexe: 'M' },
      { nomNaissance: 'ROUX', nomUsuel: null, prenoms: 'FLEUR EDITH', anneeDateDeNaissance: '2014', moisDateDeNaissance: '04', jourDateDeNaissance: '20', sexe: 'F' },
    ]);
    assert.equal(json.quotient_familial.allocataires?.length, 2);
  });

  it("keeps the born-abroad birthplace as an empty string, and leaves given_name_array out", () => {
    const json = buildFormulaireQfJson(inputFor('vincent'));
    assert.deepEqual(json.pivot_identity, {
      birthcountry: '99352', birthdate: '1963-12-05', birthplace: '', family_name: 'MARTIN', given_name: 'Vincent Guillaume', gender: 'male',
    });
  });

  it('leaves out of the v2 block what scopes masked, instead of inventing empty lists', () => {
    const json = buildFormulaireQfJson({ ...inputFor('angela'), quotientFamilial: { quotient_familial: inputFor('angela').quotientFamilial.quotient_familial! } });
    assert.deepEqual(json.quotient_familial, { regime: 'CNAF', quotientFamilial: 2550, annee: 2024, mois: 2, version: 'v2' });
    assert.deepEqual(Object.keys(json.quotient_familial_v3), ['quotient_familial', 'version']);
  });

  it('escapes <, >, & and line separators like ActiveSupport, without changing the value', () => {
    const json = buildFormulaireQfJson({ ...inputFor('angela'), externalId: 'a<b>&c\u2028d/é' });
    const text = formulaireQfJsonBytes(json).toString('utf8');
    assert.ok(text.startsWith('{"external_id":"a\\u003cb\\u003e\\u0026c\\u2028d/é",'), text.slice(0, 60));
    assert.deepEqual(JSON.parse(text), json);
  });

  it('cuts birth dates into string parts, null when the date is not YYYY-MM-DD', () => {
    assert.deepEqual(splitIsoDate('1962-08-24'), ['1962', '08', '24']);
    assert.deepEqual(splitIsoDate('1962-08'), [null, null, null]);
  });

  it('forwards an odd but usable answer exactly as received, unknown fields included, and the v2 block from the same values', () => {
    const input = oddButUsable();
    const json = buildFormulaireQfJson(input);
    const { version, ...v3 } = json.quotient_familial_v3;
    assert.equal(version, 'v3');
    assert.deepEqual(v3, input.quotientFamilial);
    assert.deepEqual(Object.keys(json.quotient_familial_v3), ['allocataires', 'enfants', 'quotient_familial', 'nouvelle_rubrique', 'version']);
    assert.equal(json.external_id, '  DOSSIER 42 ');
    assert.equal(json.pivot_identity.birthplace, null);
    assert.deepEqual(json.quotient_familial, {
      regime: 'CNAF',
      allocataires: [{ nomNaissance: 'DUBOIS', nomUsuel: null, prenoms: null, anneeDateDeNaissance: null, moisDateDeNaissance: null, jourDateDeNaissance: null, sexe: 'F' }],
      enfants: [{ nomNaissance: 'DUBOIS', nomUsuel: null, prenoms: 'LEA', anneeDateDeNaissance: '2015', moisDateDeNaissance: '03', jourDateDeNaissance: '00', sexe: 'F' }],
      quotientFamilial: 2550.75,
      annee: 2024,
      mois: 2,
      version: 'v2',
    });
    const text = formulaireQfJsonBytes(json).toString('utf8');
    assert.ok(text.includes('"valeur":2550.75'));
    assert.ok(text.includes('"regime_special":{"code":"X1","actif":true}'));
  });

  it('writes a field missing from a person as null in the v2 block, as Rails read nil', () => {
    const json = buildFormulaireQfJson({ ...inputFor('angela'), quotientFamilial: { enfants: [{ prenoms: 'LEO' }] } });
    assert.deepEqual(json.quotient_familial.enfants, [{ nomNaissance: null, nomUsuel: null, prenoms: 'LEO', anneeDateDeNaissance: null, moisDateDeNaissance: null, jourDateDeNaissance: null, sexe: null }]);
  });
});
