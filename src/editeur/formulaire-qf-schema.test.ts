import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import personas from '../sandbox/fixtures/personas.json' with { type: 'json' };
import { buildFormulaireQfJson } from '../domain/formulaire-qf/json.ts';
import { inputFor, oddButUsable } from '../domain/formulaire-qf/test-fixtures.ts';
import { checkFormulaireQfJson, formulaireQfSchema } from './formulaire-qf-schema.ts';

const withQf = personas.personas.filter((p) => p.qf.status === 200 && 'data' in p.qf).map((p) => p.login);

/** What the domain builds, as an éditeur parses it from the file. */
const parsed = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('the JSON Schema of FormulaireQF.json', () => {
  it('is a draft 2020-12 schema', () => {
    assert.equal(formulaireQfSchema.$schema, 'https://json-schema.org/draft/2020-12/schema');
  });

  for (const login of withQf) {
    it(`accepts what the domain builds for ${login}, with and without external_id`, () => {
      for (const externalId of [null, 'dossier-4242']) {
        const check = checkFormulaireQfJson(parsed(buildFormulaireQfJson(inputFor(login, { externalId }))));
        assert.deepEqual(check, { valid: true });
      }
    });
  }

  it('accepts the file when scopes masked the household, the address or the QF', () => {
    const input = inputFor('jeanne');
    const { quotient_familial, ...household } = input.quotientFamilial;
    for (const quotientFamilial of [{ quotient_familial }, household, {}]) {
      assert.deepEqual(checkFormulaireQfJson(parsed(buildFormulaireQfJson({ ...input, quotientFamilial }))), { valid: true });
    }
  });

  it('accepts an unspecified gender and a birth abroad', () => {
    const input = inputFor('vincent');
    const identity = { ...input.identity, gender: 'unspecified' as const };
    assert.deepEqual(checkFormulaireQfJson(parsed(buildFormulaireQfJson({ ...input, identity }))), { valid: true });
  });

  it('accepts an odd but usable answer forwarded as received: float value, null first names, odd dates, unknown fields, null birthplace', () => {
    assert.deepEqual(checkFormulaireQfJson(parsed(buildFormulaireQfJson(oddButUsable()))), { valid: true });
  });

  it('refuses a renamed, a missing or an extra key, and wrong types, naming the path and not the value', () => {
    const good = parsed(buildFormulaireQfJson(inputFor('angela'))) as Record<string, Record<string, unknown>>;
    const cases: [string, unknown][] = [
      ['missing pivot_identity', { ...good, pivot_identity: undefined }],
      ['extra key', { ...good, extra: 1 }],
      ['v2 value as a string', { ...good, quotient_familial: { ...good.quotient_familial, quotientFamilial: '2550' } }],
      ['bad birthdate', { ...good, pivot_identity: { ...good.pivot_identity, birthdate: '24/08/1962' } }],
      ['wrong version', { ...good, quotient_familial_v3: { ...good.quotient_familial_v3, version: 'v2' } }],
    ];
    for (const [name, value] of cases) {
      const check = checkFormulaireQfJson(parsed(value));
      assert.equal(check.valid, false, name);
      if (!check.valid) assert.ok(!check.errors.join(' ').includes('24/08/1962'), 'errors must not quote values');
    }
  });
});
