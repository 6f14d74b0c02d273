import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { communeName, postalCodesOf } from './communes.ts';
import { countryName } from './countries.ts';

describe('places in words', () => {
  it('names current communes, arrondissements, delegated communes and former codes', () => {
    assert.equal(communeName('04107'), 'Majastres (04)');
    assert.equal(communeName('75107'), 'Paris 7e Arrondissement (75)');
    assert.equal(communeName('69381'), 'Lyon 1er Arrondissement (69)');
    assert.equal(communeName('01039'), 'Béon, aujourd’hui Culoz-Béon (01)');
    assert.equal(communeName('01015'), 'Arbignieu, aujourd’hui Arboys en Bugey (01)');
    // 04103 became Majastres' code's predecessor (anciensCodes).
    assert.equal(communeName('04103'), 'Ancienne commune, aujourd’hui Majastres (04)');
    assert.equal(communeName('00000'), 'Commune inconnue (code INSEE 00000)');
  });

  it('names countries, current and former', () => {
    assert.equal(countryName('99100'), 'France');
    assert.equal(countryName('99352'), 'Algérie');
    assert.match(countryName('99999'), /inconnu/);
  });

  it('knows every postal code of a commune', () => {
    assert.deepEqual(postalCodesOf('06088'), ['06000', '06100', '06200', '06300']);
    assert.ok(postalCodesOf('75056').includes('75015'));
    assert.deepEqual(postalCodesOf('69381'), ['69001']);
  });
});
