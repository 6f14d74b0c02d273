import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { matchesSearch } from './collectivity.ts';
import { buildCollectivitySearchIndex, type IndexedCollectivity } from './collectivity-search-index.ts';

const communes: IndexedCollectivity[] = [
  { siret: '1', name: 'Saint-Étienne', codePostal: '42000', departement: '42' },
  { siret: '2', name: 'Belley', codePostal: '01300', departement: '01' },
  { siret: '3', name: 'Bellegarde-sur-Valserine', codePostal: '01200', departement: '01' },
  { siret: '4', name: 'Ajaccio', codePostal: '20000', departement: '2A' },
  { siret: '5', name: "L'Isle-sur-la-Sorgue", codePostal: '84800', departement: '84' },
  { siret: '6', name: 'Saint-Denis', codePostal: '97400', departement: '974' },
  { siret: '7', name: 'Abbeville-Saint-Lucien', codePostal: '60480', departement: '60' },
];

describe('the collectivity search index', () => {
  const index = buildCollectivitySearchIndex(communes);
  const names = (q: string) => index.search(q, 20).results.map((r) => r.name);

  it('finds a name from the start of any of its words, accents and hyphens aside', () => {
    assert.deepEqual(names('bel'), ['Bellegarde-sur-Valserine', 'Belley']);
    assert.deepEqual(names('st etienne'), ['Saint-Étienne']);
    assert.deepEqual(names('SORGUE'), ["L'Isle-sur-la-Sorgue"]);
  });

  it('lists the names that start with the query first', () => {
    assert.deepEqual(names('saint'), ['Saint-Denis', 'Saint-Étienne', 'Abbeville-Saint-Lucien']);
  });

  it('finds by postal code prefix and by département, Corsica and overseas included', () => {
    assert.deepEqual(names('013'), ['Belley']);
    assert.deepEqual(names('01'), ['Bellegarde-sur-Valserine', 'Belley']);
    assert.deepEqual(names('2A'), ['Ajaccio']);
    assert.deepEqual(names('974'), ['Saint-Denis']);
  });

  it('counts every match but returns at most the limit', () => {
    const answer = index.search('saint', 2);
    assert.equal(answer.total, 3);
    assert.equal(answer.results.length, 2);
  });

  it('finds nothing for an empty or punctuation-only query', () => {
    assert.deepEqual(index.search('  -- ', 20), { results: [], total: 0 });
  });

  it('agrees with the domain’s matching rule for names, whatever the query', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-zé' -]{1,8}$/), (query) => {
        fc.pre(!/^[0-9 ]*$/.test(query));
        const expected = communes.filter((c) => matchesSearch(c.name, query)).map((c) => c.siret).sort();
        const answer = index.search(query, 100);
        // A correction only ever answers a query that matched nothing.
        if (answer.suggestion !== undefined) assert.deepEqual(expected, []);
        else assert.deepEqual(answer.results.map((r) => r.siret).sort(), expected);
      }),
    );
  });

  it('finds a commune by any of its postal codes, and shows the town hall’s', () => {
    const nice = buildCollectivitySearchIndex([{ siret: '8', name: 'Nice', codePostal: '06364', departement: '06', postalCodes: ['06000', '06100', '06200', '06300'] }]);
    for (const code of ['06000', '06100', '06300', '06364']) assert.deepEqual(nice.search(code, 20).results, [{ siret: '8', name: 'Nice', codePostal: '06364', departement: '06' }], code);
  });

  it('corrects one or two typos and says which name it understood', () => {
    const withMajastres = buildCollectivitySearchIndex([...communes, { siret: '9', name: 'Majastres', codePostal: '04270', departement: '04' }]);
    for (const typed of ['Majsatres', 'majastrez', 'Majastrse', 'Mjaastres', 'Majastrrs']) {
      const answer = withMajastres.search(typed, 20);
      assert.deepEqual(answer.results.map((r) => r.name), ['Majastres'], typed);
      assert.equal(answer.suggestion, 'Majastres', typed);
    }
    assert.deepEqual(withMajastres.search('Bellay', 20).results.map((r) => r.name), ['Belley']);
    // Three typos, or a short word, are not guessed at.
    assert.deepEqual(withMajastres.search('Mjsatrse', 20), { results: [], total: 0 });
    assert.deepEqual(withMajastres.search('Bx', 20), { results: [], total: 0 });
    // A query that matches is never "corrected".
    assert.equal(withMajastres.search('Majas', 20).suggestion, undefined);
  });
});
