import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { journeyCookieName, journeyInCookie } from '../../src/web/journey/cookie.ts';
import { startTestService, type TestService } from '../support/service.ts';
import { Citizen } from '../security/support/citizen.ts';
import { assertHandled, assertNothingWritten, hugeQueryValue, inject, oddText, percentEncode, RUNS, rawQueryString, rawQueryValue } from './support.ts';

/**
 * The pages anyone can open with any URL: the chooser and its search, a collectivity's page, the FranceConnect
 * callback, the follow-up. Whatever the URL, the answer is the page, or a refusal that says why, never a crash,
 * and a look writes nothing.
 */
describe('citizen pages facing random URLs', () => {
  let test: TestService;
  before(async () => {
    test = await startTestService();
  });
  after(() => test.stop());

  const property = <T>(arbitrary: fc.Arbitrary<T>, check: (value: T) => Promise<void>) =>
    assertNothingWritten(test, () => fc.assert(fc.asyncProperty(arbitrary, check), { numRuns: RUNS }));

  it('the chooser shows its page whatever is searched', () =>
    property(fc.oneof(rawQueryValue(), hugeQueryValue), async (q) => {
      const response = await inject(test, { url: `/collectivites?q=${q}` });
      assertHandled(response, [200, 400, 414], `/collectivites?q=${q.slice(0, 80)}`);
    }));

  it('the search answers JSON, or a clear refusal, whatever is searched', () =>
    property(fc.oneof(rawQueryValue(), hugeQueryValue), async (q) => {
      const response = await inject(test, { url: `/collectivites/recherche?q=${q}` });
      assertHandled(response, [200, 400, 414], `/collectivites/recherche?q=${q.slice(0, 80)}`);
      if (response.statusCode === 200) {
        const body = response.json() as { results: unknown[]; total: number };
        assert.ok(Array.isArray(body.results) && Number.isInteger(body.total));
      }
    }));

  it('the chooser and the search take any other parameter, repeated or nested', () =>
    property(fc.tuple(fc.constantFrom('/collectivites', '/collectivites/recherche'), rawQueryString(['q'])), async ([path, query]) => {
      const response = await inject(test, { url: `${path}?${query}` });
      assertHandled(response, [200, 400], `${path}?${query.slice(0, 80)}`);
    }));

  it('a collectivity\'s page: any path segment and any query string give the page, or "not found"', () =>
    property(
      fc.tuple(
        fc.oneof(oddText().map(percentEncode), rawQueryValue(), fc.constantFrom('21040107100019', '21670482500019', '11111111111111', '21040107100018', '%32%31%30%34%30%31%30%37%31%30%30%30%31%39')),
        rawQueryString(['external_id', 'redirect_uri', 'q', 'siret']),
      ),
      async ([segment, query]) => {
        const url = `/collectivites/${segment}?${query}`;
        const response = await inject(test, { url });
        assertHandled(response, [200, 400, 404, 414], url.slice(0, 120));
      },
    ));

  it('the follow-up page: any reference in the path gives the status or "not found"', () =>
    property(fc.oneof(oddText().map(percentEncode), rawQueryValue(), hugeQueryValue), async (segment) => {
      const response = await inject(test, { url: `/suivi/${segment}` });
      assertHandled(response, [200, 400, 404, 414], `/suivi/${segment.slice(0, 80)}`);
    }));

  it('the follow-up form: any reference typed gives the lookup page again, or the status', () =>
    property(fc.oneof(rawQueryValue(), rawQueryString(['reference']).map((q) => `x&${q}`), hugeQueryValue), async (reference) => {
      const response = await inject(test, { url: `/suivi?reference=${reference}` });
      assertHandled(response, [200, 303, 400, 414], `/suivi?reference=${reference.slice(0, 80)}`);
      if (response.statusCode === 303) assert.match(String(response.headers.location), /^\/suivi\/[0-9A-F]{13}$/);
    }));

  it('the FranceConnect callback without journey cookie: the cookies page, nothing written', () =>
    property(rawQueryString(['code', 'state', 'iss', 'error', 'error_description']), async (query) => {
      const response = await inject(test, { url: `/auth/franceconnect/callback?${query}` });
      assertHandled(response, [400], `callback?${query.slice(0, 80)}`);
    }));

  it('the FranceConnect callback with a forged journey cookie: the expired page, nothing written', () => {
    const name = journeyCookieName(test.service.context.config);
    return property(fc.tuple(rawQueryString(['code', 'state', 'iss']), fc.oneof(oddText(50).map(percentEncode), fc.base64String({ minLength: 43, maxLength: 44 }))), async ([query, cookie]) => {
      const response = await inject(test, { url: `/auth/franceconnect/callback?${query}`, headers: { cookie: `${name}=${cookie}` } });
      assertHandled(response, [400], `callback?${query.slice(0, 80)} with cookie ${cookie.slice(0, 20)}`);
    });
  });

  it('the FranceConnect callback with a real journey: a login error page, the journey spent (none left behind), no shipment', async () => {
    await assertNothingWritten(
      test,
      () =>
        fc.assert(
          fc.asyncProperty(rawQueryString(['code', 'state', 'iss', 'error', 'error_description']), async (query) => {
            const citizen = new Citizen(test.appUrl);
            const pressed = await citizen.pressFranceConnect('21040107100019');
            assert.equal(pressed.status, 303);
            const answer = await citizen.get(`/auth/franceconnect/callback?${query}`);
            assert.ok(answer.status === 400 || answer.status === 503, `callback?${query.slice(0, 80)} → HTTP ${answer.status}`);
            assert.ok(answer.title.startsWith('Erreur - '), answer.title);
            const id = citizen.cookie(journeyCookieName(test.service.context.config));
            assert.equal(id === undefined ? null : await test.service.context.journeys.load(journeyInCookie(id).id), null, 'the journey survived the failed login');
          }),
          // Each run starts a journey through the real page and button: fewer runs.
          { numRuns: 60 },
        ),
    );
  });

  it('any other path: "page not found"', () =>
    property(fc.array(fc.oneof(oddText(20).map(percentEncode), rawQueryValue(10)), { minLength: 1, maxLength: 5 }), async (segments) => {
      const url = `/${segments.join('/')}`;
      const response = await inject(test, { url });
      assertHandled(response, [200, 301, 302, 303, 400, 404, 405, 414], url.slice(0, 120));
    }));
});
