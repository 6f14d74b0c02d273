import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createCollectivitySearch, type SearchSource } from './collectivity-search.ts';

const sources: SearchSource[] = [
  { siret: '21060088800017', codeCog: '06088', name: 'Nice', codePostal: '06364', departement: '06' },
  { siret: '21750001600019', codeCog: '75056', name: 'Paris', codePostal: '75004', departement: '75' },
  { siret: '11111111111111', codeCog: '11111', name: 'Commune de HubEE - Test', codePostal: '11111', departement: '11' },
];

describe('the chooser’s search', () => {
  it('finds a commune by every postal code the COG gives it', async () => {
    const search = createCollectivitySearch(async () => sources, { maxAgeMs: 60_000 });
    for (const [code, name] of [['06000', 'Nice'], ['06300', 'Nice'], ['75015', 'Paris'], ['75116', 'Paris']] as const) {
      assert.deepEqual((await search.search(code, 20)).results.map((r) => r.name), [name], code);
    }
  });

  it('never offers HubEE’s test organisations when told to hide them (production)', async () => {
    const production = createCollectivitySearch(async () => sources, { maxAgeMs: 60_000, hideTestCollectivities: true });
    assert.equal((await production.search('hubee', 20)).total, 0);
    assert.equal((await production.search('11111', 20)).total, 0);
    const local = createCollectivitySearch(async () => sources, { maxAgeMs: 60_000 });
    assert.equal((await local.search('hubee', 20)).total, 1);
  });
});
