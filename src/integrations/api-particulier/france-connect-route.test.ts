import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type RunningSandbox } from '../../../test/support/sandbox.ts';
import { personas } from '../../sandbox/fixtures.ts';
import { createApiParticulierClient, type ApiParticulierClient } from './client.ts';
import { assertCommonHeaders, firstError, rawGet } from './testing/raw.ts';
import { franceConnectAccessToken } from './testing/franceconnect-token.ts';
import { startStandIn } from './testing/servers.ts';

/**
 * The FranceConnect route (`GET /v3/dss/quotient_familial/france_connect`) with real FranceConnect access tokens
 * from the FranceConnect stand-in, which the API Particulier stand-in checks at FranceConnect's /checktoken.
 */
const PARIS = '21750001600019';
const ROUTE = '/v3/dss/quotient_familial/france_connect';

describe('API Particulier FranceConnect route', () => {
  let sandbox: RunningSandbox;
  let client: ApiParticulierClient;
  let url: string;
  const get = (token: string | null, params: Record<string, string | undefined> = { recipient: PARIS }) =>
    rawGet(url, token, params).then((answer) => {
      assertCommonHeaders(answer);
      return answer;
    });
  const tokenOf = (login: string, scope?: string) => franceConnectAccessToken(sandbox.config, login, scope);
  const fetchFor = async (login: string, scope?: string) =>
    client.fetchQuotientFamilialWithFranceConnect({ accessToken: await tokenOf(login, scope), recipient: PARIS });

  before(async () => {
    sandbox = await startSandbox({ only: ['franceconnect', 'api-particulier'] });
    client = createApiParticulierClient(sandbox.config.apiParticulier);
    url = `${sandbox.config.apiParticulier.baseUrl}${ROUTE}`;
  });
  after(() => sandbox.close());

  describe('200', () => {
    it("answers the persona FranceConnect identifies, without the address the app's scopes leave out", async () => {
      const result = await fetchFor('angela');
      assert.ok(result.ok);
      const expected = personas.find((p) => p.login === 'angela')?.qf.data;
      assert.ok(expected);
      const { adresse: _adresse, ...withoutAddress } = expected;
      assert.deepEqual(result.data, withoutAddress);
      assert.deepEqual(result.data.enfants, []);
      assert.match(result.requestId ?? '', /^[0-9a-f-]{36}$/);
      assert.equal(result.rateLimit?.limit, 20);
      assert.equal(result.rateLimit?.remaining, 19);
    });

    it('answers a CNAF family with one child, an MSA couple, a family of five children, somebody born abroad', async () => {
      const expectations = [
        ['elodie', 'CNAF', 650, 1],
        ['jeanne', 'MSA', 150, 2],
        ['cindy', 'MSA', 420, 5],
        ['vincent', 'CNAF', 1200, 3],
        ['olivier', undefined, undefined, undefined],
      ] as const;
      for (const [login, fournisseur, valeur, children] of expectations) {
        const result = await fetchFor(login);
        assert.ok(result.ok, login);
        if (fournisseur === undefined) continue;
        assert.equal(result.data.quotient_familial?.fournisseur, fournisseur, login);
        assert.equal(result.data.quotient_familial?.valeur, valeur, login);
        assert.equal(result.data.enfants?.length, children, login);
      }
    });

    it("masks the keys the FranceConnect token's cnaf_* scopes do not cover", async () => {
      const result = await fetchFor('jeanne', 'openid identite_pivot cnaf_quotient_familial');
      assert.ok(result.ok);
      assert.deepEqual(Object.keys(result.data), ['quotient_familial']);
      const withChildren = await fetchFor('jeanne', 'openid identite_pivot cnaf_quotient_familial cnaf_enfants');
      assert.ok(withChildren.ok);
      assert.deepEqual(Object.keys(withChildren.data).sort(), ['enfants', 'quotient_familial']);
    });
  });

  describe('errors of the persona', () => {
    const cases = [
      ['jean', 404, 'not_found', '35003'],
      ['paul', 404, 'not_found', '23003'],
      ['camille', 404, 'not_found', '35003'],
      ['jean-marie', 502, 'provider_unavailable', '37999'],
      ['clement', 504, 'provider_timeout', '37002'],
      ['rene', 429, 'rate_limited', '00429'],
    ] as const;
    for (const [login, status, kind, code] of cases) {
      it(`answers ${status} ${code} for ${login}`, async () => {
        const token = await tokenOf(login);
        const raw = await get(token);
        assert.equal(raw.status, status);
        const persona = personas.find((p) => p.login === login);
        assert.deepEqual(raw.body, { errors: persona?.qf['errors'] });
        if (status === 429) assert.equal(raw.headers.get('retry-after'), '1');
        const result = await client.fetchQuotientFamilialWithFranceConnect({ accessToken: token, recipient: PARIS });
        assert.ok(!result.ok);
        assert.equal(result.error.kind, kind);
        assert.equal(result.error.status, status);
        assert.equal(result.error.code, code);
        assert.match(result.error.requestId ?? '', /^[0-9a-f-]{36}$/);
      });
    }
  });

  describe('401 and 403', () => {
    const unauthorized = (code: string, detail: string) => ({
      errors: [{ code, title: 'Accès non autorisé', detail, source: null, meta: { provider: 'FranceConnect' } }],
    });

    it('refuses a request without a token with 51504', async () => {
      const answer = await get(null);
      assert.equal(answer.status, 401);
      assert.deepEqual(answer.body, unauthorized('51504', "Le jeton d'accès FranceConnect n'est pas renseigné."));
    });

    it('refuses a malformed token with 51501', async () => {
      const answer = await get('not$a$token');
      assert.equal(answer.status, 401);
      assert.deepEqual(answer.body, unauthorized('51501', "Le jeton d'accès FranceConnect est malformé."));
    });

    it('refuses a token FranceConnect does not know with 51502', async () => {
      const answer = await get('aW52ZW50ZWQtdG9rZW4tdGhhdC1mYy1uZXZlci1pc3N1ZWQ');
      assert.equal(answer.status, 401);
      assert.deepEqual(answer.body, unauthorized('51502', "Le jeton d'accès n'a pas été trouvé ou est expiré."));
      const result = await client.fetchQuotientFamilialWithFranceConnect({ accessToken: 'unknown', recipient: PARIS });
      assert.ok(!result.ok && result.error.kind === 'unauthorized' && result.error.code === '51502');
    });

    it('refuses an API Particulier token on this route: any bearer is a FranceConnect token here', async () => {
      const answer = await get('local-only-api-particulier-collectivite-qf');
      assert.equal(firstError(answer).code, '51502');
    });

    it('refuses a FranceConnect token without any cnaf_* scope with 403 00100', async () => {
      const answer = await get(await tokenOf('angela', 'openid identite_pivot'));
      assert.equal(answer.status, 403);
      assert.equal(firstError(answer).code, '00100');
      assert.equal(firstError(answer).title, 'Privilèges insuffisants');
    });
  });

  describe('422', () => {
    let token: string;
    before(async () => {
      token = await tokenOf('angela');
    });

    it('answers 00203 when recipient is missing', async () => {
      const answer = await get(token, {});
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

    it('answers 00302, 00356 and 00354 for a bad recipient, year and month', async () => {
      const year = new Date().getUTCFullYear();
      const cases = [
        [{ recipient: '12345678901234' }, '00302', 'recipient'],
        [{ recipient: PARIS, annee: String(year - 3) }, '00356', 'annee'],
        [{ recipient: PARIS, mois: '13' }, '00354', 'mois'],
      ] as const;
      for (const [params, code, parameter] of cases) {
        const answer = await get(token, params);
        assert.equal(answer.status, 422);
        assert.equal(firstError(answer).code, code);
        assert.deepEqual(firstError(answer).source, { parameter });
      }
      const result = await client.fetchQuotientFamilialWithFranceConnect({ accessToken: token, recipient: PARIS, mois: 13 });
      assert.ok(!result.ok && result.error.kind === 'invalid_request' && result.error.errors[0]?.code === '00354');
    });

    it('accepts a period within the history and a HubEE test SIRET', async () => {
      const year = new Date().getUTCFullYear();
      assert.equal((await get(token, { recipient: '11111111111112', annee: String(year - 1), mois: '6' })).status, 200);
    });
  });
});

describe('API Particulier FranceConnect route, FranceConnect side failures', () => {
  it('treats an access token past its lifetime as not found or expired (51502)', async () => {
    const server = await startStandIn({ franceConnect: { ttl: { AccessToken: 1 } } });
    try {
      const token = await franceConnectAccessToken(server.config, 'angela');
      await sleep(1500);
      const client = createApiParticulierClient(server.config.apiParticulier);
      const result = await client.fetchQuotientFamilialWithFranceConnect({ accessToken: token, recipient: PARIS });
      assert.ok(!result.ok);
      assert.equal(result.error.kind, 'unauthorized');
      assert.equal(result.error.code, '51502');
    } finally {
      await server.close();
    }
  });

  it('answers 502 51999 when FranceConnect cannot check the token', async () => {
    // No FranceConnect stand-in on this sandbox: /checktoken answers 404.
    const sandbox = await startSandbox({ only: ['api-particulier'] });
    try {
      const answer = await rawGet(`${sandbox.config.apiParticulier.baseUrl}${ROUTE}`, 'c29tZS10b2tlbg', { recipient: PARIS });
      assertCommonHeaders(answer);
      assert.equal(answer.status, 502);
      assert.deepEqual(firstError(answer), {
        code: '51999',
        title: 'Erreur inconnue du fournisseur de données',
        detail: 'La réponse retournée par le fournisseur de données est invalide et inconnue de notre service.',
        source: null,
        meta: { provider: 'FranceConnect' },
      });
      const client = createApiParticulierClient(sandbox.config.apiParticulier);
      const result = await client.fetchQuotientFamilialWithFranceConnect({ accessToken: 'c29tZS10b2tlbg', recipient: PARIS });
      assert.ok(!result.ok && result.error.kind === 'provider_unavailable');
    } finally {
      await sandbox.close();
    }
  });

  it('answers 504 51002 when FranceConnect does not answer in time', async () => {
    const server = await startStandIn({ franceConnectTokenChecker: async () => ({ outcome: 'timeout' }) });
    try {
      const client = createApiParticulierClient(server.config.apiParticulier);
      const result = await client.fetchQuotientFamilialWithFranceConnect({ accessToken: 'c29tZS10b2tlbg', recipient: PARIS });
      assert.ok(!result.ok);
      assert.equal(result.error.kind, 'provider_timeout');
      assert.equal(result.error.code, '51002');
    } finally {
      await server.close();
    }
  });
});
