import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { rawGet, type RawParams } from '../../integrations/api-particulier/testing/raw.ts';
import { franceConnectAccessToken } from '../../integrations/api-particulier/testing/franceconnect-token.ts';
import { startStandIn, type RunningServer } from '../../integrations/api-particulier/testing/servers.ts';
import { personas } from '../fixtures.ts';
import { LOCAL_API_PARTICULIER_TOKENS } from './tokens.ts';

/**
 * API Particulier's own staging cases (shared/fixtures/api-particulier-staging-qf.json, from
 * etalab/siade_staging_data), replayed whole against the stand-in: every case of both routes must get staging's
 * status and body. Only where today's parameter rules refuse a case's parameters (an `annee` now more than two
 * years back) is the expected answer the 422 of the validation order (contracts/api-particulier-qf.md §1.1).
 */
interface StagingCase {
  file: string;
  params: Record<string, string | number | string[]>;
  status: number;
  payload: unknown;
}
const shared = readFileSync(new URL('../../../../shared/fixtures/api-particulier-staging-qf.json', import.meta.url), 'utf8');
const file = JSON.parse(shared) as { identite: StagingCase[]; france_connect: StagingCase[] };
const PARIS = '21750001600019';
const ALL_SCOPES = 'openid identite_pivot cnaf_quotient_familial cnaf_allocataires cnaf_enfants cnaf_adresse';

/** What today's validation says of a case's `annee`: in [current year − 2, current year] (§1.1 step 2). */
function refusedYear(c: StagingCase): boolean {
  const year = new Date().getUTCFullYear();
  return typeof c.params.annee === 'number' && c.params.annee < year - 2;
}

function queryOf(c: StagingCase): RawParams {
  const query: RawParams = { recipient: PARIS };
  for (const [name, value] of Object.entries(c.params)) {
    query[name === 'prenoms' ? 'prenoms[]' : name] = Array.isArray(value) ? value : String(value);
  }
  return query;
}

describe("API Particulier stand-in replays API Particulier's staging cases", () => {
  let sandbox: RunningServer;
  before(async () => {
    // One token replays 27 cases in a row: above staging's 20/s per token, which rate-limit tests pin elsewhere.
    sandbox = await startStandIn({ rateLimit: { limit: 10_000, windowMs: 1000 }, franceConnect: {} });
  });
  after(() => sandbox.close());

  it('carries an unchanged copy of the staging file (a user machine has no shared/ folder)', () => {
    const copy = readFileSync(new URL('../fixtures/api-particulier-staging-qf.json', import.meta.url), 'utf8');
    assert.deepEqual(JSON.parse(copy), JSON.parse(shared));
    assert.equal(file.identite.length, 27);
    assert.equal(file.france_connect.length, 14);
  });

  it('identity route: each of the 27 cases gets staging’s status and body', async () => {
    const url = `${sandbox.baseUrl}/v3/dss/quotient_familial/identite`;
    for (const c of file.identite) {
      const answer = await rawGet(url, LOCAL_API_PARTICULIER_TOKENS.collectivity, queryOf(c));
      if (refusedYear(c)) {
        assert.equal(answer.status, 422, c.file);
        const error = (answer.body as { errors: { code: string; source: unknown }[] }).errors[0];
        assert.equal(error?.code, '00356', c.file);
        assert.deepEqual(error?.source, { parameter: 'annee' }, c.file);
        continue;
      }
      assert.equal(answer.status, c.status, c.file);
      assert.deepEqual(answer.body, c.payload, c.file);
    }
  });

  it('FranceConnect route: each of the 14 cases gets staging’s status and body, for a token of that identity', async () => {
    const url = `${sandbox.baseUrl}/v3/dss/quotient_familial/france_connect`;
    const fakeTokens: Record<string, string> = { 'fake_france_connect_cnaf.yml': 'cnaf_qfv2', 'fake_france_connect_cnaf_2.yml': 'all_fc' };
    for (const c of file.france_connect) {
      let token = fakeTokens[c.file];
      if (!token) {
        // The FranceConnect stand-in's persona of that identity (angela is staging's DUBOIS Angela).
        const persona = personas.find((p) => p.qf.staging_case === c.file) ?? (c.file.includes('1_parent_0_enfant') ? personas.find((p) => p.login === 'angela') : undefined);
        assert.ok(persona, `a persona for ${c.file}`);
        token = await franceConnectAccessToken(sandbox.config, persona.login, ALL_SCOPES);
      }
      const answer = await rawGet(url, token, { recipient: PARIS });
      assert.equal(answer.status, c.status, c.file);
      assert.deepEqual(answer.body, c.payload, c.file);
    }
  });
});
