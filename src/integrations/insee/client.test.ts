import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type RunningSandbox } from '../../../test/support/sandbox.ts';
import { createInseeClient, departementOf } from './client.ts';

describe('INSEE Sirene client against its stand-in', () => {
  let sandbox: RunningSandbox;
  before(async () => {
    sandbox = await startSandbox({ only: ['insee'] });
  });
  after(() => sandbox.close());

  it('finds a seeded commune with its name, COG code, postal code and département', async () => {
    const result = await createInseeClient(sandbox.config.insee).lookupSiret('21040107100019');
    assert.deepEqual(result, {
      ok: true,
      establishment: { siret: '21040107100019', name: 'COMMUNE DE MAJASTRES', codeCog: '04107', codePostal: '04270', departement: '04', active: true },
    });
  });

  it('answers not_found with Sirene’s message for an unknown SIRET', async () => {
    const result = await createInseeClient(sandbox.config.insee).lookupSiret('21040107100027');
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.error.kind, 'not_found');
    assert.match(!result.ok ? result.error.message : '', /Aucun élément trouvé/);
  });

  it('is refused without the right integration key', async () => {
    const result = await createInseeClient({ ...sandbox.config.insee, apiKey: 'wrong' }).lookupSiret('21040107100019');
    assert.equal(!result.ok && result.error.kind, 'unauthorized');
  });

  it('rejects a malformed SIRET as invalid', async () => {
    const result = await createInseeClient(sandbox.config.insee).lookupSiret('123');
    assert.equal(!result.ok && result.error.kind, 'invalid');
  });

  it('reports an unreachable Sirene as unavailable', async () => {
    const result = await createInseeClient({ ...sandbox.config.insee, apiUrl: 'http://127.0.0.1:9' }).lookupSiret('21040107100019');
    assert.equal(!result.ok && result.error.kind, 'unavailable');
  });

  it('derives the département from the COG code, overseas included', () => {
    assert.equal(departementOf('2A004'), '2A');
    assert.equal(departementOf('97411'), '974');
  });
});
