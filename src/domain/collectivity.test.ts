import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import collectivites from '../sandbox/fixtures/collectivites.json' with { type: 'json' };
import { matchesSearch, normalizeSearchText, parseCollectivity } from './collectivity.ts';

const fields = (c: (typeof collectivites.collectivites)[number]) => ({
  siret: c.siret, codeCog: c.code_cog, name: c.name, departement: c.departement, codePostal: c.code_postal, status: c.status,
});

describe('parseCollectivity', () => {
  it('accepts the seed data (test organisations only when test SIRETs are allowed)', () => {
    for (const c of collectivites.collectivites) {
      const parsed = parseCollectivity(fields(c), { allowTestSirets: true });
      assert.equal(parsed.ok, true, c.name);
      assert.equal(parseCollectivity(fields(c)).ok, !('test' in c), c.name);
    }
  });

  it('reports every invalid field at once', () => {
    const result = parseCollectivity({ siret: '123', codeCog: '20004', name: ' ', departement: '97', codePostal: '7500', status: 'archived' });
    assert.deepEqual(result, { ok: false, error: ['siret', 'codeCog', 'name', 'departement', 'codePostal', 'status'] });
  });

  it('defaults the optional fields', () => {
    const c = collectivites.collectivites[0]!;
    const parsed = parseCollectivity(fields(c));
    assert.ok(parsed.ok);
    assert.equal(parsed.value.editor, null);
    assert.deepEqual(parsed.value.allowedRedirectPrefixes, []);
  });
});

describe('normalizeSearchText and matchesSearch', () => {
  it('normalises case, accents, ligatures, punctuation and saint', () => {
    const cases: [string, string][] = [
      ['Saint-Étienne', 'saint etienne'],
      ['ST ETIENNE', 'saint etienne'],
      ["L'Haÿ-les-Roses", 'l hay les roses'],
      ['Sainte-Foy-lès-Lyon', 'sainte foy les lyon'],
      ['Ste Foy lès Lyon', 'sainte foy les lyon'],
      ['Œuilly', 'oeuilly'],
      ['  Commune de HubEE - Test ', 'commune de hubee test'],
      ['Bourg–Achard', 'bourg achard'],
      ['Stains', 'stains'],
      ['', ''],
    ];
    for (const [input, expected] of cases) assert.equal(normalizeSearchText(input), expected, input);
  });

  it('is idempotent and only ever yields lower-case ASCII words separated by single spaces', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        const once = normalizeSearchText(s);
        assert.match(once, /^(?:[a-z0-9]+(?: [a-z0-9]+)*)?$/);
        assert.equal(normalizeSearchText(once), once);
      }),
    );
  });

  it('matches when every query word starts a word of the name', () => {
    assert.equal(matchesSearch('Saint-Étienne', 'st etienne'), true);
    assert.equal(matchesSearch('Saint-Étienne', 'etienne saint'), true);
    assert.equal(matchesSearch('Saint-Étienne', 'ETI'), true);
    assert.equal(matchesSearch('Belley', 'bel'), true);
    assert.equal(matchesSearch("L'Haÿ-les-Roses", 'hay roses'), true);
    assert.equal(matchesSearch('Belley', 'elley'), false);
    assert.equal(matchesSearch('Saint-Étienne', 'saint denis'), false);
    assert.equal(matchesSearch('Belley', '  - '), false);
  });
});
