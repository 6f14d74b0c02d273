import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { personas, type Persona } from '../../sandbox/fixtures.ts';
import { stagingCaseByFile } from '../../sandbox/api-particulier/staging-cases.ts';
import { createApiParticulierClient, type ApiParticulierClient, type IdentityQuery } from './client.ts';
import { identityParamsFromPivot } from './identity-params.ts';
import { LOCAL_API_PARTICULIER_TOKENS as TOKENS } from '../../sandbox/api-particulier/tokens.ts';
import { assertCommonHeaders, firstError, rawGet, type RawParams } from './testing/raw.ts';
import { startStandIn, type RunningServer } from './testing/servers.ts';

/**
 * The identity route (`GET /v3/dss/quotient_familial/identite`) of the stand-in, through our client and raw, over
 * HTTP. The limit is raised here so that this long file never trips the 20/s limit; rate-limit.test.ts tests it.
 */
const PARIS = '21750001600019';
const ROUTE = '/v3/dss/quotient_familial/identite';

// The seed has no "absent from MSA" persona: this one is added for the 10003 answer.
const msaAbsent: Persona = {
  login: 'msa-absent',
  claims: {
    family_name: 'PLACARD',
    given_name: 'Elsa',
    given_name_array: ['Elsa'],
    gender: 'female',
    birthdate: '1991-02-03',
    birthplace: '29146',
    birthcountry: '99100',
  },
  qf: {
    status: 404,
    errors: [
      {
        code: '10003',
        title: 'Dossier allocataire absent MSA',
        detail: "Le dossier allocataire n'a pas été trouvé auprès de la MSA.",
        source: null,
        meta: { provider: 'MSA' },
      },
    ],
  },
};

const persona = (login: string): Persona => {
  const found = personas.find((p) => p.login === login);
  assert.ok(found, `persona ${login}`);
  return found;
};

const angela = {
  recipient: PARIS,
  nomNaissance: 'DUBOIS',
  'prenoms[]': ['Angela', 'Claire'],
  sexeEtatCivil: 'F',
  anneeDateNaissance: '1962',
  moisDateNaissance: '8',
  jourDateNaissance: '24',
  codeCogInseePaysNaissance: '99100',
  codeCogInseeCommuneNaissance: '75107',
} satisfies RawParams;

describe('API Particulier identity route', () => {
  let server: RunningServer;
  let client: ApiParticulierClient;
  let url: string;
  const get = (params: RawParams, token: string | null = TOKENS.collectivity, headers: Record<string, string> = {}) =>
    rawGet(url, token, params, headers).then((answer) => {
      assertCommonHeaders(answer);
      return answer;
    });
  const byIdentity = (login: string, extra: Partial<IdentityQuery> = {}) => {
    const params = identityParamsFromPivot(persona(login).claims);
    assert.ok(params);
    return client.fetchQuotientFamilialByIdentity({ token: TOKENS.collectivity, recipient: PARIS, ...params, ...extra });
  };

  before(async () => {
    server = await startStandIn({ rateLimit: { limit: 10_000, windowMs: 1000 }, personas: [...personas, msaAbsent] });
    client = createApiParticulierClient(server.config.apiParticulier);
    url = `${server.baseUrl}${ROUTE}`;
  });
  after(() => server.close());

  describe('200', () => {
    it("answers angela as API Particulier's staging answers DUBOIS Angela Claire Louise, with every key the token allows, and the request id", async () => {
      const result = await byIdentity('angela');
      assert.ok(result.ok);
      const staged = stagingCaseByFile('identite', '200-usager-base-france_connect.yaml')?.payload;
      assert.ok(staged && 'data' in staged);
      assert.deepEqual(result.data, staged.data);
      assert.deepEqual(result.data.enfants, []);
      assert.match(result.requestId ?? '', /^[0-9a-f-]{36}$/);
      assert.equal(result.rateLimit?.limit, 10_000);
      assert.ok(result.rateLimit && result.rateLimit.remaining < 10_000);
      assert.ok(result.rateLimit.resetSeconds >= 0 && result.rateLimit.resetSeconds <= 1);
    });

    it('answers a CNAF family with one child', async () => {
      const result = await byIdentity('elodie');
      assert.ok(result.ok);
      assert.equal(result.data.quotient_familial?.valeur, 650);
      assert.equal(result.data.quotient_familial?.fournisseur, 'CNAF');
      assert.equal(result.data.enfants?.length, 1);
    });

    it('answers an MSA couple with two children', async () => {
      const result = await byIdentity('jeanne');
      assert.ok(result.ok);
      assert.deepEqual(result.data.quotient_familial, {
        fournisseur: 'MSA',
        valeur: 150,
        annee: 2023,
        mois: 5,
        annee_calcul: 2023,
        mois_calcul: 5,
      });
      assert.equal(result.data.allocataires?.length, 2);
      assert.equal(result.data.enfants?.length, 2);
    });

    it('finds a person born abroad from the country alone', async () => {
      const result = await byIdentity('vincent');
      assert.ok(result.ok);
      assert.equal(result.data.enfants?.length, 3);
    });

    it('is tolerant to case, accents, typographic apostrophes, fewer first names and a partial birth date', async () => {
      const answer = await get({
        recipient: PARIS,
        nomNaissance: 'ano’nymos-lons',
        'prenoms[]': 'olivier',
        sexeEtatCivil: 'M',
        anneeDateNaissance: '1981',
        codeCogInseePaysNaissance: '99100',
        codeCogInseeCommuneNaissance: '69123',
      });
      assert.equal(answer.status, 200);
      const clement = await get({
        recipient: PARIS,
        nomNaissance: 'Situdi',
        'prenoms[]': 'CLEMENT',
        sexeEtatCivil: 'M',
        codeCogInseePaysNaissance: '99100',
        codeCogInseeCommuneNaissance: '08480',
      });
      assert.equal(clement.status, 504, 'Clément found without his accent');
    });

    it('finds a person born in France from the commune name, département and birth year (option 2)', async () => {
      const answer = await get({
        recipient: PARIS,
        nomNaissance: 'COMMODE',
        'prenoms[]': 'Cindy',
        sexeEtatCivil: 'F',
        anneeDateNaissance: '1985',
        codeCogInseePaysNaissance: '99100',
        nomCommuneNaissance: 'Ajaccio',
        codeCogInseeDepartementNaissance: '2A',
      });
      assert.equal(answer.status, 200);
      assert.equal((answer.body as { data: { quotient_familial: { valeur: number } } }).data.quotient_familial.valeur, 420);
    });

    it('has the exact success envelope: data, links and meta', async () => {
      const answer = await get(angela);
      assert.equal(answer.status, 200);
      assert.deepEqual(Object.keys(answer.body as object), ['data', 'links', 'meta']);
      assert.deepEqual((answer.body as { links: unknown }).links, {});
      assert.deepEqual((answer.body as { meta: unknown }).meta, {});
    });

    it("masks the keys the token's scopes do not cover", async () => {
      const params = identityParamsFromPivot(persona('angela').claims);
      assert.ok(params);
      const result = await client.fetchQuotientFamilialByIdentity({ token: TOKENS.quotientFamilialOnly, recipient: PARIS, ...params });
      assert.ok(result.ok);
      assert.deepEqual(Object.keys(result.data), ['quotient_familial']);
      assert.equal(result.data.quotient_familial?.valeur, 4270);
    });

    it('accepts La Poste and HubEE test SIRETs as recipients', async () => {
      assert.equal((await get({ ...angela, recipient: '35600000000048' })).status, 200);
      assert.equal((await get({ ...angela, recipient: '35600000049837' })).status, 200, 'La Poste establishment');
      assert.equal((await get({ ...angela, recipient: '11111111111111' })).status, 200, 'HubEE test organisation');
    });

    it('accepts a past period within the history', async () => {
      const year = new Date().getUTCFullYear();
      assert.equal((await byIdentity('angela', { annee: year - 2, mois: 1 })).ok, true);
      assert.equal((await byIdentity('angela', { annee: year })).ok, true);
    });

    it('says whether the answer came from its 24-hour cache, and bypasses it on Cache-Control: no-cache', async () => {
      const params = { ...angela, annee: String(new Date().getUTCFullYear() - 1) };
      const first = await get(params);
      assert.equal(first.headers.get('x-response-cached'), 'false');
      assert.equal(first.headers.get('x-cache-expires-in'), '86400');
      const second = await get(params);
      assert.equal(second.headers.get('x-response-cached'), 'true');
      assert.ok(Number(second.headers.get('x-cache-expires-in')) <= 86400);
      const bypassed = await get(params, TOKENS.collectivity, { 'cache-control': 'no-cache' });
      assert.equal(bypassed.headers.get('x-response-cached'), 'false');
      const error = await get({ ...params, recipient: undefined });
      assert.equal(error.headers.get('x-response-cached'), 'false');
      assert.equal(error.headers.get('x-cache-expires-in'), '');
    });
  });

  describe('404', () => {
    const cases = [
      ['jean', '35003', 'Allocataire non référencé', "L'allocataire n'est pas référencé auprès des caisses éligibles", 'CNAF & MSA'],
      ['paul', '23003', 'Dossier allocataire absent CNAF', "Le dossier allocataire n'a pas été trouvé auprès de la CNAF.", 'CNAF'],
      ['msa-absent', '10003', 'Dossier allocataire absent MSA', "Le dossier allocataire n'a pas été trouvé auprès de la MSA.", 'MSA'],
    ] as const;
    for (const [login, code, title, detail, provider] of cases) {
      it(`answers ${code} for ${login}, as not_found with the first error`, async () => {
        const claims = login === 'msa-absent' ? msaAbsent.claims : persona(login).claims;
        const params = identityParamsFromPivot(claims);
        assert.ok(params);
        const result = await client.fetchQuotientFamilialByIdentity({ token: TOKENS.collectivity, recipient: PARIS, ...params });
        assert.ok(!result.ok);
        assert.equal(result.error.kind, 'not_found');
        assert.equal(result.error.status, 404);
        assert.equal(result.error.code, code);
        assert.equal(result.error.title, title);
        assert.equal(result.error.detail, detail);
        assert.match(result.error.requestId ?? '', /^[0-9a-f-]{36}$/);
        const raw = await get({
          recipient: PARIS,
          nomNaissance: claims.family_name,
          'prenoms[]': claims.given_name_array,
          sexeEtatCivil: claims.gender === 'male' ? 'M' : 'F',
          codeCogInseePaysNaissance: claims.birthcountry,
          codeCogInseeCommuneNaissance: claims.birthplace || undefined,
        });
        assert.equal(raw.status, 404);
        assert.deepEqual(raw.body, { errors: [{ code, title, detail, source: null, meta: { provider } }] });
      });
    }

    it('answers 422 35560 for somebody nobody can identify (SNGI, contracts/api-particulier-qf.md §3.3)', async () => {
      const answer = await get({ ...angela, nomNaissance: 'INCONNUE' });
      assert.equal(answer.status, 422);
      assert.deepEqual(answer.body, {
        errors: [
          {
            code: '35560',
            title: 'Entité non traitable',
            detail: "Les paramètres fournis ne permettent pas d'identifier un allocataire.",
            source: null,
            meta: { provider: 'CNAF & MSA' },
          },
        ],
      });
    });

    it('does not match on a wrong birth date, commune or sex', async () => {
      assert.equal((await get({ ...angela, jourDateNaissance: '25' })).status, 422);
      assert.equal((await get({ ...angela, codeCogInseeCommuneNaissance: '75108' })).status, 422);
      assert.equal((await get({ ...angela, sexeEtatCivil: 'M' })).status, 422);
      assert.equal((await get({ ...angela, 'prenoms[]': ['Claire'] })).status, 422, 'first names in order');
    });
  });

  describe('provider errors', () => {
    it('502 from the data provider is provider_unavailable', async () => {
      const result = await byIdentity('jean-marie');
      assert.ok(!result.ok);
      assert.equal(result.error.kind, 'provider_unavailable');
      assert.equal(result.error.status, 502);
      assert.equal(result.error.code, '37999');
      const raw = await get({
        recipient: PARIS,
        nomNaissance: 'DELANOUE',
        'prenoms[]': 'Jean-Marie',
        sexeEtatCivil: 'M',
        codeCogInseePaysNaissance: '99100',
        codeCogInseeCommuneNaissance: '08480',
      });
      assert.equal(raw.status, 502);
      assert.deepEqual(raw.body, { errors: persona('jean-marie').qf['errors'] });
    });

    it('504 from the data provider is provider_timeout', async () => {
      const result = await byIdentity('clement');
      assert.ok(!result.ok);
      assert.equal(result.error.kind, 'provider_timeout');
      assert.equal(result.error.status, 504);
      assert.equal(result.error.code, '37002');
      assert.equal(result.error.title, 'Intermédiaire hors-délai');
    });

    it('429 for the rate-limited persona is rate_limited, with Retry-After', async () => {
      const result = await byIdentity('rene');
      assert.ok(!result.ok);
      assert.equal(result.error.kind, 'rate_limited');
      assert.ok(result.error.kind === 'rate_limited' && result.error.retryAfterSeconds === 1);
      assert.equal(result.error.code, '00429');
      const raw = await get({
        recipient: PARIS,
        nomNaissance: 'DESFOUIN',
        'prenoms[]': 'René',
        sexeEtatCivil: 'M',
        anneeDateNaissance: '2002',
        codeCogInseePaysNaissance: '99100',
        codeCogInseeCommuneNaissance: '08480',
      });
      assert.equal(raw.status, 429);
      assert.equal(raw.headers.get('retry-after'), '1');
      assert.deepEqual(raw.body, {
        errors: [{ code: '00429', title: 'Trop de requêtes', detail: 'Vous avez effectué trop de requêtes', source: null, meta: {} }],
      });
    });
  });

  describe('401 and 403', () => {
    const tokenError = (code: string, title: string, detail: string) => ({
      errors: [{ code, title, detail, source: { parameter: 'token' }, meta: {} }],
    });
    const invalid = tokenError('00101', 'Interdit', "Votre token n'est pas valide ou n'est pas renseigné");

    it('refuses an unknown token and a missing one with 00101', async () => {
      const unknown = await get(angela, 'not-a-token');
      assert.equal(unknown.status, 401);
      assert.deepEqual(unknown.body, invalid);
      const missing = await get(angela, null);
      assert.equal(missing.status, 401);
      assert.deepEqual(missing.body, invalid);
      const result = await client.fetchQuotientFamilialByIdentity({
        token: 'not-a-token',
        recipient: PARIS,
        nomNaissance: 'DUBOIS',
        prenoms: ['Angela'],
        sexeEtatCivil: 'F',
        codeCogInseePaysNaissance: '99100',
        codeCogInseeCommuneNaissance: '75107',
      });
      assert.ok(!result.ok);
      assert.equal(result.error.kind, 'unauthorized');
      assert.equal(result.error.code, '00101');
    });

    it('refuses an expired token with 00103', async () => {
      const answer = await get(angela, TOKENS.expired);
      assert.equal(answer.status, 401);
      assert.deepEqual(answer.body, tokenError('00103', 'Jeton expiré', 'Votre token est expiré. Vous devez refaire une demande'));
      const params = identityParamsFromPivot(persona('angela').claims);
      assert.ok(params);
      const result = await client.fetchQuotientFamilialByIdentity({ token: TOKENS.expired, recipient: PARIS, ...params });
      assert.ok(!result.ok && result.error.kind === 'unauthorized' && result.error.code === '00103');
    });

    it('refuses a token without a QF scope with 403 00100', async () => {
      const answer = await get(angela, TOKENS.withoutQuotientFamilialScope);
      assert.equal(answer.status, 403);
      assert.deepEqual(
        answer.body,
        tokenError(
          '00100',
          'Privilèges insuffisants',
          'Votre token est valide mais vos privilèges sont insuffisants. Listez vos privilèges sur /api/introspect',
        ),
      );
      const params = identityParamsFromPivot(persona('angela').claims);
      assert.ok(params);
      const result = await client.fetchQuotientFamilialByIdentity({ token: TOKENS.withoutQuotientFamilialScope, recipient: PARIS, ...params });
      assert.ok(!result.ok && result.error.kind === 'forbidden' && result.error.status === 403);
    });

    it('checks the token before the parameters', async () => {
      assert.equal((await get({}, 'not-a-token')).status, 401);
    });
  });

  describe('422', () => {
    const year = new Date().getUTCFullYear();
    const month = new Date().getUTCMonth() + 1;
    const cases: [string, RawParams, string, string][] = [
      ['recipient that fails the Luhn key', { recipient: '21750001600018' }, '00302', 'recipient'],
      ['recipient of 13 digits', { recipient: '2175000160001' }, '00302', 'recipient'],
      ['recipient given twice', { recipient: [PARIS, PARIS] }, '00302', 'recipient'],
      ['annee before the two-year history', { annee: String(year - 3) }, '00356', 'annee'],
      ['annee in the future', { annee: String(year + 1) }, '00356', 'annee'],
      ['annee not of 4 digits', { annee: '26' }, '00356', 'annee'],
      ['mois 13', { mois: '13' }, '00354', 'mois'],
      ['mois 0', { mois: '0' }, '00354', 'mois'],
      ['mois not a number', { mois: 'mai' }, '00354', 'mois'],
      ...(month < 12 ? ([['mois in the future', { mois: String(month + 1) }, '00354', 'mois']] as [string, RawParams, string, string][]) : []),
      ['sexeEtatCivil missing', { sexeEtatCivil: undefined }, '00427', 'sexeEtatCivil'],
      ['sexeEtatCivil not M or F', { sexeEtatCivil: 'X' }, '00427', 'sexeEtatCivil'],
      ['codeCogInseeCommuneNaissance of 4 characters', { codeCogInseeCommuneNaissance: '7510' }, '00365', 'codeCogInseeCommuneNaissance'],
      ['no birthplace for somebody born in France', { codeCogInseeCommuneNaissance: undefined }, '00365', 'codeCogInseeCommuneNaissance'],
      ['département without the commune name', { codeCogInseeCommuneNaissance: undefined, codeCogInseeDepartementNaissance: '75' }, '00317', 'nomCommuneNaissance'],
      ['commune name without the département', { codeCogInseeCommuneNaissance: undefined, nomCommuneNaissance: 'Paris' }, '00428', 'codeCogInseeDepartementNaissance'],
      ['commune name with a département of 4 characters', { codeCogInseeCommuneNaissance: undefined, nomCommuneNaissance: 'Paris', codeCogInseeDepartementNaissance: '7500' }, '00428', 'codeCogInseeDepartementNaissance'],
      ['commune name without the birth year', { codeCogInseeCommuneNaissance: undefined, nomCommuneNaissance: 'Paris', codeCogInseeDepartementNaissance: '75', anneeDateNaissance: undefined }, '00422', 'anneeDateNaissance'],
      ['codeCogInseePaysNaissance missing', { codeCogInseePaysNaissance: undefined }, '00400', 'codeCogInseePaysNaissance'],
      ['codeCogInseePaysNaissance of 3 characters', { codeCogInseePaysNaissance: '991' }, '00400', 'codeCogInseePaysNaissance'],
      ['anneeDateNaissance not a number', { anneeDateNaissance: 'abc' }, '00422', 'anneeDateNaissance'],
      ['anneeDateNaissance 0', { anneeDateNaissance: '0' }, '00422', 'anneeDateNaissance'],
      ['moisDateNaissance 13', { moisDateNaissance: '13' }, '00423', 'moisDateNaissance'],
      ['jourDateNaissance 32', { jourDateNaissance: '32' }, '00424', 'jourDateNaissance'],
      ['a date that does not exist', { anneeDateNaissance: '1962', moisDateNaissance: '2', jourDateNaissance: '30' }, '00425', 'dateNaissance'],
      ['four first names', { 'prenoms[]': ['Angela', 'Claire', 'Louise', 'Marie'] }, '00421', 'prenoms'],
      ['an empty first name', { 'prenoms[]': ['Angela', ' '] }, '00421', 'prenoms'],
      ['a first name with a digit', { 'prenoms[]': ['Angela2'] }, '00367', 'prenoms'],
      ['a first name with a bracket', { 'prenoms[]': ['Angela (Claire)'] }, '00367', 'prenoms'],
      ['nomNaissance missing', { nomNaissance: undefined }, '00420', 'nomNaissance'],
      ['nomNaissance with a comma', { nomNaissance: 'DUBOIS, MARTIN' }, '00420', 'nomNaissance'],
    ];

    it("takes no first name as no parameter error (staging's 404.yaml has none): nobody is identified", async () => {
      assert.equal(firstError(await get({ ...angela, 'prenoms[]': undefined })).code, '35560');
      assert.equal(firstError(await get({ ...angela, 'prenoms[]': undefined, prenoms: 'Angela' })).code, '35560');
    });

    it('refuses a birth commune name that is no commune of the département, and transcodes one that is', async () => {
      const byName = { ...angela, codeCogInseeCommuneNaissance: undefined, codeCogInseeDepartementNaissance: '75' };
      const refused = await get({ ...byName, nomCommuneNaissance: 'Atlantide' });
      assert.equal(refused.status, 422);
      assert.deepEqual(firstError(refused).source, { parameter: 'nomCommuneNaissance' });
      assert.equal(firstError(refused).code, '00317');
      // Angela was born in Paris 7e (75107): its name finds her, accents and case aside.
      const found = await get({ ...byName, nomCommuneNaissance: 'paris 7e arrondissement', 'prenoms[]': ['Angela', 'Claire', 'Louise'] });
      assert.equal(found.status, 200);
    });

    it('answers 00203 with the documented body when recipient is missing', async () => {
      const answer = await get({ ...angela, recipient: undefined });
      assert.equal(answer.status, 422);
      assert.deepEqual(answer.body, {
        errors: [
          {
            code: '00203',
            title: 'Entité non traitable',
            detail: 'Le paramètre recipient est obligatoire',
            source: { parameter: 'recipient' },
            meta: {},
          },
        ],
      });
    });

    for (const [name, change, code, parameter] of cases) {
      it(`answers ${code} for ${name}`, async () => {
        const answer = await get({ ...angela, ...change });
        assert.equal(answer.status, 422);
        const error = firstError(answer);
        assert.equal(error.code, code);
        assert.equal(error.title, 'Entité non traitable');
        assert.ok(error.detail.length > 0);
        assert.deepEqual(error.source, { parameter });
        assert.deepEqual(error.meta, {});
      });
    }

    it('answers only the first failing check, in siade order', async () => {
      const answer = await get({ ...angela, annee: '1999', sexeEtatCivil: 'X', nomNaissance: undefined });
      assert.equal(firstError(answer).code, '00356');
    });

    it('gives our client an invalid_request with the errors list', async () => {
      const params = identityParamsFromPivot(persona('angela').claims);
      assert.ok(params);
      const result = await client.fetchQuotientFamilialByIdentity({ token: TOKENS.collectivity, recipient: '123', ...params });
      assert.ok(!result.ok);
      assert.equal(result.error.kind, 'invalid_request');
      assert.ok(result.error.kind === 'invalid_request');
      assert.equal(result.error.status, 422);
      assert.equal(result.error.code, '00302');
      assert.deepEqual(
        result.error.errors.map((e) => [e.code, e.parameter]),
        [['00302', 'recipient']],
      );
    });
  });
});

describe('identityParamsFromPivot', () => {
  it('sends the commune only for people born in France, and nothing for an unspecified sex', () => {
    assert.deepEqual(identityParamsFromPivot(persona('vincent').claims), {
      nomNaissance: 'MARTIN',
      prenoms: ['Vincent', 'Guillaume'],
      sexeEtatCivil: 'M',
      anneeDateNaissance: 1963,
      moisDateNaissance: 12,
      jourDateNaissance: 5,
      codeCogInseePaysNaissance: '99352',
    });
    assert.equal(identityParamsFromPivot(persona('angela').claims)?.codeCogInseeCommuneNaissance, '75107');
    assert.equal(identityParamsFromPivot(persona('camille').claims), null);
  });
});
