import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { identityParamsFromPivot } from '../../integrations/api-particulier/identity-params.ts';
import { firstError, rawGet, type RawParams } from '../../integrations/api-particulier/testing/raw.ts';
import { franceConnectAccessToken } from '../../integrations/api-particulier/testing/franceconnect-token.ts';
import { startStandIn, type RunningServer } from '../../integrations/api-particulier/testing/servers.ts';
import { personas } from '../fixtures.ts';
import { LOCAL_API_PARTICULIER_TOKENS as TOKENS, QF_SCOPES } from './tokens.ts';

/** Facts of contracts/api-particulier-qf.md the stand-in now follows, each named in its test. */
const PARIS = '21750001600019';
const NOW = Date.parse('2026-12-15T10:00:00Z');

function identityQuery(login: string, extra: RawParams = {}): RawParams {
  const claims = personas.find((p) => p.login === login)?.claims;
  assert.ok(claims, login);
  const params = identityParamsFromPivot(claims);
  assert.ok(params);
  return {
    recipient: PARIS,
    nomNaissance: params.nomNaissance,
    'prenoms[]': params.prenoms,
    sexeEtatCivil: params.sexeEtatCivil,
    anneeDateNaissance: params.anneeDateNaissance === undefined ? undefined : String(params.anneeDateNaissance),
    moisDateNaissance: params.moisDateNaissance === undefined ? undefined : String(params.moisDateNaissance),
    jourDateNaissance: params.jourDateNaissance === undefined ? undefined : String(params.jourDateNaissance),
    codeCogInseePaysNaissance: params.codeCogInseePaysNaissance,
    codeCogInseeCommuneNaissance: params.codeCogInseeCommuneNaissance,
    ...extra,
  };
}

describe('API Particulier stand-in: contract facts', () => {
  let server: RunningServer;
  let identite: string;
  before(async () => {
    server = await startStandIn({ now: () => NOW, rateLimit: { limit: 10_000, windowMs: 1000 }, franceConnect: {} });
    identite = `${server.baseUrl}/v3/dss/quotient_familial/identite`;
  });
  after(() => server.close());

  const qfOf = async (query: RawParams) => {
    const answer = await rawGet(identite, TOKENS.collectivity, query);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return (answer.body as { data: { quotient_familial: { valeur: number; annee: number; mois: number } } }).data.quotient_familial;
  };

  it('§2.1: annee/mois ask for a month — its QF where the data has one, else the same QF dated of that month', async () => {
    assert.deepEqual(pick(await qfOf(identityQuery('elodie', { annee: '2026', mois: '10' }))), { valeur: 630, annee: 2026, mois: 10 });
    // mois only: that month of the current year; annee only: the current month of that year.
    assert.deepEqual(pick(await qfOf(identityQuery('elodie', { mois: '9' }))), { valeur: 610, annee: 2026, mois: 9 });
    assert.deepEqual(pick(await qfOf(identityQuery('elodie', { annee: '2025' }))), { valeur: 650, annee: 2025, mois: 12 });
    // A staging case without a month of its own is answered for the month asked.
    const lefebvre = { recipient: PARIS, nomNaissance: 'LEFEBVRE', 'prenoms[]': ['ALEXIS'], sexeEtatCivil: 'F', anneeDateNaissance: '1982', moisDateNaissance: '12', codeCogInseePaysNaissance: '99100', codeCogInseeCommuneNaissance: '08480' };
    assert.deepEqual(pick(await qfOf({ ...lefebvre, annee: '2025', mois: '3' })), { valeur: 2550, annee: 2025, mois: 3 });
    assert.deepEqual(pick(await qfOf(lefebvre)), { valeur: 2550, annee: 2023, mois: 6 }, 'no period: staging’s answer as it stands');
  });

  it('§1.1 steps 2-3: an annee more than two years back is 00356, a future month 00354', async () => {
    const old = await rawGet(identite, TOKENS.collectivity, identityQuery('elodie', { annee: '2023', mois: '5' }));
    assert.equal(old.status, 422);
    assert.equal(firstError(old).code, '00356');
    assert.equal((await rawGet(identite, TOKENS.collectivity, identityQuery('elodie', { annee: '2024', mois: '1' }))).status, 200);
    assert.equal(firstError(await rawGet(identite, TOKENS.collectivity, identityQuery('elodie', { annee: '2027' }))).code, '00356');
    assert.equal(firstError(await rawGet(identite, TOKENS.collectivity, identityQuery('elodie', { annee: '2026', mois: '13' }))).code, '00354');
  });

  it('§3.3: the 422 family 35560–35564 — nobody identified, then each persona of the family', async () => {
    const nobody = await rawGet(identite, TOKENS.collectivity, identityQuery('elodie', { nomNaissance: 'PERSONNE' }));
    assert.equal(nobody.status, 422);
    assert.deepEqual(firstError(nobody), {
      code: '35560',
      title: 'Entité non traitable',
      detail: "Les paramètres fournis ne permettent pas d'identifier un allocataire.",
      source: null,
      meta: { provider: 'CNAF & MSA' },
    });
    for (const [login, code] of [['yves', '35560'], ['nadia', '35561'], ['hugo', '35562'], ['marie', '35563'], ['theo', '35564']] as const) {
      const answer = await rawGet(identite, TOKENS.collectivity, identityQuery(login));
      assert.equal(answer.status, 422, login);
      assert.equal(firstError(answer).code, code, login);
    }
  });

  it('§3.4: a FranceConnect token without the identity pivot scopes is refused 401 51503, naming its scopes', async () => {
    const url = `${server.baseUrl}/v3/dss/quotient_familial/france_connect`;
    const token = await franceConnectAccessToken(server.config, 'angela', 'openid cnaf_quotient_familial');
    const answer = await rawGet(url, token, { recipient: PARIS });
    assert.equal(answer.status, 401);
    const error = firstError(answer);
    assert.equal(error.code, '51503');
    assert.equal(error.title, 'Accès non autorisé');
    assert.match(error.detail, /Le jeton possède les scopes suivants: cnaf_quotient_familial$/);
    // The single identity scopes are as good as identite_pivot.
    const single = await franceConnectAccessToken(server.config, 'angela', 'openid given_name family_name birthdate gender birthplace birthcountry cnaf_quotient_familial');
    assert.equal((await rawGet(url, single, { recipient: PARIS })).status, 200);
  });

  it('§1.4: /api/introspect lists the scopes of each local token', async () => {
    // Production's base is https://particulier.api.gouv.fr/api: its /api/introspect is {base}/introspect.
    const introspect = (token: string) => rawGet(`${server.baseUrl}/introspect`, null, { token });
    const full = await introspect(TOKENS.collectivity);
    assert.equal(full.status, 200);
    assert.deepEqual((full.body as { scopes: unknown }).scopes, [...QF_SCOPES]);
    assert.deepEqual(((await introspect(TOKENS.quotientFamilialOnly)).body as { scopes: unknown }).scopes, ['cnaf_quotient_familial']);
    assert.deepEqual(((await introspect(TOKENS.withoutQuotientFamilialScope)).body as { scopes: unknown }).scopes, ['dgfip_revenu_fiscal_de_reference']);
    assert.equal(firstError(await introspect(TOKENS.expired)).code, '00103');
    assert.equal(firstError(await introspect('not-a-token')).code, '00101');
  });
});

describe('API Particulier stand-in: the per-IP limit (§4: 1000 requests a minute per IP, every token together)', () => {
  let server: RunningServer;
  before(async () => {
    server = await startStandIn({ now: () => NOW, ipRateLimit: { limit: 3, windowMs: 60_000 } });
  });
  after(() => server.close());

  it('refuses the request past the limit with 429 00429 whatever its token', async () => {
    const url = `${server.baseUrl}/v3/dss/quotient_familial/identite`;
    const tokens = [TOKENS.collectivity, TOKENS.quotientFamilialOnly, TOKENS.withoutQuotientFamilialScope];
    for (const token of tokens) assert.notEqual((await rawGet(url, token, identityQuery('elodie'))).status, 429);
    const over = await rawGet(url, TOKENS.expired, identityQuery('elodie'));
    assert.equal(over.status, 429);
    assert.equal(firstError(over).code, '00429');
    assert.equal(over.headers.get('ratelimit-limit'), '3');
    assert.ok(Number(over.headers.get('retry-after')) >= 1);
  });
});

function pick(qf: { valeur: number; annee: number; mois: number }) {
  return { valeur: qf.valeur, annee: qf.annee, mois: qf.mois };
}
