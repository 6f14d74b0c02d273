import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { startTestService, type TestService } from '../support/service.ts';
import { assertHandled, assertNothingWritten, hugeText, inject, oddText, RUNS, rawQueryString, rawQueryValue, rowCounts, type WritableTable } from './support.ts';

/**
 * Everything that takes a body: the citizen's forms, the operator's forms, the public API and DataPass's
 * webhook. Random fields, wrong or missing content types, malformed JSON and bodies over a megabyte all get a
 * clear 4xx (JSON under /api), never a 5xx, and write nothing.
 */

const MAJASTRES = '21040107100019';
const ONE_MEGABYTE = 1024 * 1024;

/** Content types a client may send, right or wrong; undefined sends none. */
const CONTENT_TYPES = [
  undefined,
  'application/json',
  'application/json; charset=latin1',
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=utf-16',
  'multipart/form-data; boundary=----x',
  'multipart/form-data',
  'text/plain',
  'text/html',
  'application/xml',
  'application/octet-stream',
  'application/jwt',
  'image/png',
  '*/*',
  'application/json, text/plain',
  ';;;',
  'x'.repeat(300),
] as const;

describe('forms and API facing random bodies', () => {
  let test: TestService;
  let csrf: { cookie: string; token: string };
  before(async () => {
    test = await startTestService();
    const page = await inject(test, { url: `/collectivites/${MAJASTRES}` });
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
    const cookie = page.cookies.find((c) => c.name.endsWith('fqf_csrf'));
    assert.ok(token && cookie, 'no CSRF token on the collectivity page');
    csrf = { cookie: `${cookie.name}=${cookie.value}`, token };
  });
  after(() => test.stop());

  const apiToken = () => test.service.context.config.secrets.apiToken;
  /** The app's own list of posted forms (so that a new form cannot be left out), with sample path parameters. */
  const forms = () =>
    test.service.routes
      .filter((route) => route.method === 'POST' && !route.url.startsWith('/api/'))
      .map((route) => route.url.replace(/:([A-Za-z_]+)/g, (_m, name: string) => (name.includes('siret') ? MAJASTRES : name.includes('reference') ? '0123456789ABC' : 'x1')));

  const property = <T>(arbitrary: fc.Arbitrary<T>, check: (value: T) => Promise<void>, options: { runs?: number; except?: readonly WritableTable[] } = {}) =>
    assertNothingWritten(test, () => fc.assert(fc.asyncProperty(arbitrary, check), { numRuns: options.runs ?? RUNS }), options.except);

  /** A form body of random fields, the app's own names among them, as a browser would encode it. */
  const formFields = fc.array(fc.tuple(fc.oneof(fc.constantFrom('siret', 'external_id', 'redirect_uri', '_csrf', 'siret[]', '__proto__', 'constructor[prototype][x]'), oddText(12)), fc.oneof(oddText(), hugeText)), {
    maxLength: 8,
  });
  const encodeForm = (fields: [string, string][], withToken: boolean) => {
    const body = new URLSearchParams();
    for (const [name, value] of fields) body.append(name, value);
    if (withToken) body.set('_csrf', csrf.token);
    return body.toString();
  };

  it('finds the forms to post to', () => {
    for (const expected of ['/auth/franceconnect', '/transmission', '/auth/franceconnect/logout']) assert.ok(forms().includes(expected), expected);
  });

  it('each form, with random fields and a valid CSRF token: the next page or a clear refusal, no shipment', () =>
    property(
      fc.tuple(fc.constantFrom(...forms()), formFields, fc.boolean()),
      async ([url, fields, withToken]) => {
        const response = await inject(test, {
          method: 'POST',
          url,
          headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrf.cookie },
          payload: encodeForm(fields, withToken),
        });
        assertHandled(response, [303, 400, 401, 403, 404, 409, 413], `POST ${url} ${JSON.stringify(fields).slice(0, 120)}`);
      },
      // Posting "S'identifier avec FranceConnect" with a real SIRET among the random fields does start a journey.
      { except: ['journeys'] },
    ));

  it('each form, with malformed form encodings: a clear refusal or the next page', () =>
    property(
      fc.tuple(
        fc.constantFrom(...forms()),
        fc.array(fc.oneof(rawQueryString(['siret', '_csrf', 'external_id', 'redirect_uri']), rawQueryValue()), { maxLength: 3 }).map((parts) => parts.join('&')),
      ),
      async ([url, body]) => {
        const response = await inject(test, {
          method: 'POST',
          url,
          headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrf.cookie },
          payload: `${body}&_csrf=${encodeURIComponent(csrf.token)}`,
        });
        assertHandled(response, [303, 400, 401, 403, 404, 409, 413], `POST ${url} ${body.slice(0, 120)}`);
      },
      { except: ['journeys'] },
    ));

  it('each form, under any content type, or none: a clear refusal', () =>
    property(fc.tuple(fc.constantFrom(...forms()), fc.constantFrom(...CONTENT_TYPES), fc.oneof(oddText(200), fc.json(), fc.constant(''))), async ([url, type, body]) => {
      const response = await inject(test, {
        method: 'POST',
        url,
        headers: { cookie: csrf.cookie, ...(type === undefined ? {} : { 'content-type': type }) },
        payload: body,
      });
      assertHandled(response, [303, 400, 401, 403, 404, 409, 413, 415], `POST ${url} as ${type ?? 'nothing'}`);
    }));

  it('each form and each API route, with a body over a megabyte: refused as too large', async () => {
    const huge = 'a='.concat('b'.repeat(ONE_MEGABYTE + 10));
    await assertNothingWritten(test, async () => {
      for (const url of [...forms(), '/api/collectivites', '/api/datapass/webhook']) {
        for (const type of ['application/x-www-form-urlencoded', 'application/json', 'text/plain', 'application/octet-stream', 'multipart/form-data; boundary=----x']) {
          const response = await inject(test, {
            method: 'POST',
            url,
            headers: { 'content-type': type, cookie: csrf.cookie, authorization: `Bearer ${apiToken()}` },
            payload: huge,
          });
          // A back office form without an operator's session sends to the sign-in before reading any of it.
          const toSignIn = url.startsWith('/admin/') && response.statusCode === 303 && response.headers.location === '/admin/connexion';
          if (!toSignIn) assertHandled(response, [400, 401, 403, 404, 413, 415], `POST ${url} as ${type}, ${huge.length} bytes`);
        }
      }
    });
  });

  it('refusals made before any handler runs are the site\'s own pages, in French (JSON under /api)', async () => {
    const expired = await inject(test, { method: 'POST', url: '/transmission', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'a=1' });
    assert.equal(expired.statusCode, 403);
    assert.match(expired.body, /<title>Erreur - /);
    // Posted without any cookie of ours: the page says cookies are blocked, the one true cause then.
    assert.match(expired.body, /Cookies désactivés/);
    const tooLarge = await inject(test, { method: 'POST', url: '/auth/franceconnect', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrf.cookie }, payload: 'a'.repeat(70 * 1024) });
    assert.equal(tooLarge.statusCode, 413);
    assert.match(tooLarge.body, /La demande est trop volumineuse/);
    const malformed = await inject(test, { url: '/collectivites/%E0%A4%A' });
    assert.equal(malformed.statusCode, 400);
    assert.match(malformed.body, /Cette adresse est mal formée/);
    const apiMalformed = await inject(test, { url: '/api/collectivites/%' });
    assert.equal(apiMalformed.statusCode, 400);
    assert.equal((apiMalformed.json() as { error: { code: string } }).error.code, 'FST_ERR_BAD_URL');
  });

  it('a body over a megabyte over real HTTP: refused, and the connection is not left hanging', async () => {
    for (const url of ['/auth/franceconnect', '/api/collectivites', '/api/datapass/webhook']) {
      const response = await fetch(`${test.appUrl}${url}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiToken()}` },
        body: `{"a":"${'x'.repeat(2 * ONE_MEGABYTE)}"}`,
        signal: AbortSignal.timeout(10_000),
      });
      assert.ok(response.status >= 400 && response.status < 500, `${url} → HTTP ${response.status}`);
      await response.arrayBuffer();
    }
  });

  // Other engineers are building these routes: each test runs once its route exists, and says so otherwise.
  describe('the public API and the DataPass webhook', () => {
    const present = (method: string, url: string) => test.service.routes.some((route) => route.method === method && route.url === url);

    it('GET /api/collectivites with any query string: a page of collectivities or a clear JSON refusal', async (t) => {
      if (!present('GET', '/api/collectivites')) return t.skip('no /api/collectivites yet');
      await property(rawQueryString(['limit', 'after', 'departement']), async (query) => {
        const response = await inject(test, { url: `/api/collectivites?${query}` });
        assertHandled(response, [200, 400, 414], `GET /api/collectivites?${query.slice(0, 100)}`);
        assert.match(String(response.headers['content-type']), /^application\/json/);
      });
    });

    it('GET /api/collectivites/{code_cog} with any code: the collectivity or a clear JSON refusal', async (t) => {
      if (!present('GET', '/api/collectivites/:code_cog')) return t.skip('no /api/collectivites/{code_cog} yet');
      await property(fc.oneof(rawQueryValue(20), fc.constantFrom('04107', '2A004', '2a004', '00000', '99999')), async (code) => {
        const response = await inject(test, { url: `/api/v2/collectivites/${code}` });
        assertHandled(response, [200, 400, 404, 414], `GET /api/v2/collectivites/${code.slice(0, 100)}`);
        assert.match(String(response.headers['content-type']), /^application\/json/);
        // The old form's address keeps its own 404 body for its existing consumers.
        const legacy = await inject(test, { url: `/api/collectivites/${code}` });
        if (legacy.statusCode === 404 && (legacy.json() as { error?: unknown }).error === 'Collectivity not found') return;
        assertHandled(legacy, [200, 400, 404, 414], `GET /api/collectivites/${code.slice(0, 100)}`);
        assert.match(String(legacy.headers['content-type']), /^application\/json/);
      });
    });

    it('POST /api/collectivites with random JSON: 400 or 422 with the fields named, nothing created', async (t) => {
      if (!present('POST', '/api/collectivites')) return t.skip('no POST /api/collectivites yet');
      const field = fc.oneof(oddText(30), fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(MAJASTRES, '04107', '04270', '04', '21010034300016'));
      const body = fc.oneof(
        fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
        fc.record({ siret: field, name: field, code_cog: field, code_postal: field, departement: field, editor: field }, { requiredKeys: [] }).map((value) => JSON.stringify(value)),
        oddText(80),
        fc.constantFrom('{', '{"siret":', '[', 'null', '""', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}', '\ufeff{}', '{"a":1}{"b":2}', JSON.stringify({ siret: MAJASTRES }).repeat(2)),
      );
      await property(fc.tuple(body, fc.constantFrom('application/json', 'application/json; charset=utf-8')), async ([payload, type]) => {
        const response = await inject(test, {
          method: 'POST',
          url: '/api/collectivites',
          headers: { 'content-type': type, authorization: `Bearer ${apiToken()}` },
          payload,
        });
        // 409: the random body named a collectivity that exists already, which is refused too.
        assertHandled(response, [400, 409, 415, 422], `POST /api/collectivites ${payload.slice(0, 120)}`);
      });
    });

    it('POST /api/collectivites under another content type, or without the token: a clear refusal (JSON, or the old service’s plain-text 401)', async (t) => {
      if (!present('POST', '/api/collectivites')) return t.skip('no POST /api/collectivites yet');
      await property(fc.tuple(fc.constantFrom(...CONTENT_TYPES), fc.boolean(), fc.oneof(oddText(100), fc.json())), async ([type, withToken, payload]) => {
        const response = await inject(test, {
          method: 'POST',
          url: '/api/collectivites',
          headers: { ...(type === undefined ? {} : { 'content-type': type }), ...(withToken ? { authorization: `Bearer ${apiToken()}` } : {}) },
          payload,
        });
        if (response.statusCode === 401) {
          // The historic route answers a refused token as the old form's Rails API did (historic-unauthorized.ts).
          assert.equal(withToken, false, `a good token refused as ${type ?? 'nothing'}`);
          assert.match(String(response.headers['content-type']), /^text\/plain; charset=utf-8/);
          assert.equal(response.headers['www-authenticate'], 'Token realm="Application"');
          assert.equal(response.body, 'HTTP Token: Access denied.\n');
          return;
        }
        assertHandled(response, [400, 409, 415, 422], `POST /api/collectivites as ${type ?? 'nothing'}`);
        assert.match(String(response.headers['content-type']), /^application\/json/);
      });
    });

    it('POST /api/datapass/webhook unsigned or wrongly signed: 401, nothing written', async (t) => {
      if (!present('POST', '/api/datapass/webhook')) return t.skip('no DataPass webhook yet');
      const signature = fc.option(fc.oneof(oddText(80), fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }).map((hex) => `sha256=${hex}`)), { nil: undefined });
      await property(fc.tuple(fc.oneof(fc.json(), oddText(200)), signature, fc.constantFrom(...CONTENT_TYPES)), async ([payload, sig, type]) => {
        const response = await inject(test, {
          method: 'POST',
          url: '/api/datapass/webhook',
          headers: { ...(type === undefined ? {} : { 'content-type': type }), ...(sig === undefined ? {} : { 'x-hub-signature-256': sig }) },
          payload,
        });
        // 415: a content type too malformed to read is refused before the signature is looked at.
        assertHandled(response, [401, 413, 415], `webhook signed ${String(sig).slice(0, 30)}`);
      });
    });

    it('POST /api/datapass/webhook correctly signed but malformed: 400 JSON naming the problem, nothing written', async (t) => {
      if (!present('POST', '/api/datapass/webhook')) return t.skip('no DataPass webhook yet');
      const { signDatapassBody } = await import('../../src/integrations/datapass/signature.ts');
      const secret = test.service.context.config.secrets.datapassWebhook;
      const field = fc.oneof(oddText(20), fc.jsonValue({ maxDepth: 2 }));
      const payload = fc.oneof(
        fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
        fc.record({ event: field, model_type: field, model_id: field, fired_at: field, data: fc.oneof(field, fc.dictionary(oddText(10), field, { maxKeys: 4 })) }, { requiredKeys: [] }).map((value) => JSON.stringify(value)),
        oddText(200),
        fc.constantFrom('', '{', '{"test":false}', '{"test":"true"}', '\ufeff{"test":true}', '{"__proto__":{"test":true}}'),
      );
      await fc.assert(
        fc.asyncProperty(payload, async (body) => {
          const before = await rowCounts(test);
          const response = await inject(test, {
            method: 'POST',
            url: '/api/datapass/webhook',
            headers: { 'content-type': 'application/json', 'x-hub-signature-256': signDatapassBody(body, secret) },
            payload: body,
          });
          // A random body may happen to be a well-formed envelope, which DataPass could send and we record.
          assertHandled(response, [200, 400], `signed webhook ${body.slice(0, 120)}`);
          if (response.statusCode === 400) assert.deepEqual(await rowCounts(test), before, `written after a refused ${body.slice(0, 120)}`);
        }),
        { numRuns: RUNS },
      );
    });
  });
});
