import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readIdentityFields } from './identity-input.ts';
import { describeLookupError, fieldOfParameter, problemsOfRefusal } from './identity-lookup.ts';

const today = new Date('2026-12-01T12:00:00Z');
const read = (fields: Parameters<typeof readIdentityFields>[0]) => readIdentityFields(fields, { requireBirthYearAndMonth: true, today });
const base = { 'nom-naissance': 'ROUX', prenoms: 'Jeanne  Stephanie', sexe: 'f', 'mois-naissance': '6', 'annee-naissance': '1987' };

describe('reading an identité pivot typed at the counter (Guichet QF and qf lookup)', () => {
  it('turns a commune typed by name into its COG code; the day of birth is optional', () => {
    const reading = read({ ...base, 'lieu-naissance': 'france', 'commune-naissance': 'Villers-Semeuse' });
    assert.ok(reading.ok, JSON.stringify(reading));
    assert.deepEqual(reading.identity, {
      nomNaissance: 'ROUX',
      prenoms: ['Jeanne', 'Stephanie'],
      sexeEtatCivil: 'F',
      codeCogInseePaysNaissance: '99100',
      anneeDateNaissance: 1987,
      moisDateNaissance: 6,
      codeCogInseeCommuneNaissance: '08480',
    });
  });

  it('accepts a commune without accents or case, with its département, or by code', () => {
    for (const typed of ['villers semeuse', 'Villers-Semeuse (08)', '08480']) {
      const reading = read({ ...base, 'commune-naissance': typed });
      assert.ok(reading.ok, typed);
      assert.equal(reading.identity.codeCogInseeCommuneNaissance, '08480', typed);
    }
  });

  it('asks for the département when several communes share the name, offering them', () => {
    const reading = read({ ...base, 'commune-naissance': 'Saint-Martin' });
    assert.equal(reading.ok, false);
    assert.ok(!reading.ok && reading.communeChoices.length > 1);
    assert.match(!reading.ok ? (reading.problems[0]?.message ?? '') : '', /Plusieurs communes s’appellent ainsi : précisez le département/);
  });

  it('asks for the arrondissement in Paris, Lyon and Marseille, and takes the whole city’s code when the card gives none', () => {
    for (const [city, first] of [['Paris', '75101'], ['Lyon', '69381'], ['Marseille', '13201']] as const) {
      const reading = read({ ...base, 'commune-naissance': city });
      assert.equal(reading.ok, false, city);
      assert.ok(!reading.ok && reading.problems[0]?.field === 'commune-naissance');
      assert.match(!reading.ok ? (reading.problems[0]?.message ?? '') : '', /enregistrée par arrondissement/);
      assert.equal(!reading.ok && reading.communeChoices[0]?.code, first);
    }
    const arrondissement = read({ ...base, 'commune-naissance': 'Paris 7e Arrondissement' });
    assert.ok(arrondissement.ok && arrondissement.identity.codeCogInseeCommuneNaissance === '75107');
    const whole = read({ ...base, 'commune-naissance': '13055' });
    assert.ok(whole.ok && whole.identity.codeCogInseeCommuneNaissance === '13055');
  });

  it('turns a country typed by name into its INSEE code, and leaves the commune out', () => {
    const reading = read({ ...base, 'lieu-naissance': 'etranger', 'pays-naissance': 'algerie', 'commune-naissance': 'Paris' });
    assert.ok(reading.ok, JSON.stringify(reading));
    assert.equal(reading.identity.codeCogInseePaysNaissance, '99352');
    assert.equal(reading.identity.codeCogInseeCommuneNaissance, undefined);
    assert.equal(reading.countryOfBirthName, 'Algérie');
  });

  it('says what is missing or wrong, field by field, in French', () => {
    const reading = read({ 'nom-naissance': '', prenoms: '', sexe: 'X', 'jour-naissance': '30', 'mois-naissance': '2', 'annee-naissance': '1990', 'lieu-naissance': 'etranger', 'pays-naissance': 'Atlantide', annee: '2020' });
    assert.equal(reading.ok, false);
    const byField = Object.fromEntries(!reading.ok ? reading.problems.map((p) => [p.field, p.message]) : []);
    assert.deepEqual(Object.keys(byField).sort(), ['annee', 'date-naissance', 'nom-naissance', 'pays-naissance', 'prenoms', 'sexe']);
    assert.equal(byField['date-naissance'], 'La date de naissance n’existe pas.');
    assert.match(byField['pays-naissance'] ?? '', /Aucun pays ne s’appelle « Atlantide »/);
    assert.equal(byField.annee, 'L’année du QF va de 2024 à 2026.');
    const noMonth = read({ ...base, 'mois-naissance': '', 'commune-naissance': '08480' });
    assert.ok(!noMonth.ok && noMonth.problems[0]?.message === 'Le mois et l’année de naissance sont obligatoires (le jour est facultatif).');
  });

  it('puts API Particulier’s 422 on the field it names, and reads a 35560 as a person nobody knows', () => {
    const none = { status: 422 as const, title: 'Entité non traitable', requestId: null };
    const refused = { ...none, kind: 'invalid_request' as const, code: '00420', detail: 'Le nom de naissance ne contient que des lettres', errors: [{ code: '00420', title: null, detail: 'Le nom de naissance ne contient que des lettres', parameter: 'nomNaissance' }] };
    assert.deepEqual(problemsOfRefusal(refused), [{ field: 'nom-naissance', message: 'API Particulier refuse ce champ : Le nom de naissance ne contient que des lettres.' }]);
    assert.equal(fieldOfParameter('codeCogInseeCommuneNaissance'), 'commune-naissance');
    const unknown = { ...none, kind: 'invalid_request' as const, code: '35560', detail: null, errors: [{ code: '35560', title: null, detail: null, parameter: null }] };
    assert.match(describeLookupError(unknown), /^La CAF et la MSA ne trouvent pas cette personne \(code 35560\)/);
    assert.deepEqual(problemsOfRefusal(unknown), []);
  });
});
