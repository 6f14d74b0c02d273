import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { startTestService, type TestService } from '../../../../test/support/service.ts';
import { apiOperations } from './index.ts';
import { jsonSchemaOf } from './openapi.ts';

const TOKEN = 'local-only-api-token-do-not-use-in-production-0123456789';
const MAJASTRES = { siret: '21040107100019', name: 'Majastres', code_cog: '04107', departement: '04', code_postal: '04270' };
/** A SIRET that passes Luhn and is not seeded. */
const NEW_SIRET = '21730001600011';

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: object }> }; responses: Record<string, { content?: Record<string, { schema: object }> }>; parameters?: { name: string; in: string; schema: object }[]; security: unknown[] }>>;
};

describe('public API of the collectivities', () => {
  let test: TestService;
  let doc: Doc;
  const api = (path: string, init: RequestInit = {}) => fetch(`${test.appUrl}${path}`, init);
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    api('/api/v2/collectivites', { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

  /** Checks a real response against the schema the OpenAPI document gives for it. */
  const conformsToDocument = async (response: Response, path: string, method: string): Promise<unknown> => {
    const body: unknown = await response.json();
    const schema = doc.paths[path]?.[method]?.responses[String(response.status)]?.content?.['application/json']?.schema;
    assert.ok(schema, `the document describes ${method.toUpperCase()} ${path} → ${response.status}`);
    const parsed = z.fromJSONSchema(schema as never).safeParse(body);
    assert.ok(parsed.success, `${method.toUpperCase()} ${path} → ${response.status} conforms to the document: ${JSON.stringify(parsed.error?.issues)}`);
    return body;
  };

  before(async () => {
    test = await startTestService();
    doc = (await (await api('/api/openapi.json')).json()) as Doc;
  });
  after(async () => {
    await test?.stop();
  });

  it('lists the active collectivities page by page, in SIRET order, following next_cursor to the end', async () => {
    const seen: string[] = [];
    let url: string | null = '/api/v2/collectivites?limit=3';
    while (url) {
      const response = await api(url);
      assert.equal(response.status, 200);
      const page = (await conformsToDocument(response, '/api/v2/collectivites', 'get')) as { data: { siret: string }[]; next_cursor: string | null };
      assert.ok(page.data.length <= 3);
      seen.push(...page.data.map((c) => c.siret));
      if (page.next_cursor) assert.match(response.headers.get('link') ?? '', /rel="next"/);
      url = page.next_cursor ? `/api/v2/collectivites?limit=3&after=${page.next_cursor}` : null;
    }
    assert.deepEqual(seen, [...seen].sort(), 'stable order');
    assert.equal(new Set(seen).size, seen.length, 'no collectivity twice');
    assert.equal(seen.length, await test.service.context.collectivities.countActive());
  });

  it('filters by département and shows the four public fields and the postal code, nothing else', async () => {
    const response = await api('/api/v2/collectivites?departement=04');
    const page = (await conformsToDocument(response, '/api/v2/collectivites', 'get')) as { data: Record<string, string>[] };
    assert.ok(page.data.some((c) => c.siret === MAJASTRES.siret));
    assert.ok(page.data.every((c) => c.departement === '04'));
    assert.deepEqual(Object.keys(page.data[0] ?? {}).sort(), ['code_cog', 'code_postal', 'departement', 'name', 'siret']);
  });

  it('refuses a bad page size or cursor with 400 JSON naming the parameter', async () => {
    for (const query of ['limit=0', 'limit=5000', 'after=abc', 'departement=20', 'inconnu=1']) {
      const response = await api(`/api/v2/collectivites?${query}`);
      assert.equal(response.status, 400, query);
      const body = (await conformsToDocument(response, '/api/v2/collectivites', 'get')) as { error: { code: string; fields: Record<string, string> } };
      assert.equal(body.error.code, 'INVALID_PARAMETER');
      assert.equal(Object.keys(body.error.fields).length, 1);
    }
  });

  it('finds an active collectivity by its COG code, and answers 404 JSON for an unknown one', async () => {
    const found = await api('/api/v2/collectivites/04107');
    assert.equal(found.status, 200);
    assert.deepEqual(await conformsToDocument(found, '/api/v2/collectivites/{code_cog}', 'get'), MAJASTRES);

    const unknown = await api('/api/v2/collectivites/04999');
    assert.equal(unknown.status, 404);
    assert.match(unknown.headers.get('content-type') ?? '', /application\/json/);
    assert.deepEqual(await conformsToDocument(unknown, '/api/v2/collectivites/{code_cog}', 'get'), {
      error: { status: 404, code: 'COLLECTIVITY_NOT_FOUND', message: 'Aucune collectivité active n’a ce code COG.' },
    });
    assert.equal((await api('/api/v2/collectivites/4107')).status, 400);
  });

  it('creates a collectivity with the token: 201, then it is listed and found; the same SIRET again is 409', async () => {
    const created = await post({ siret: NEW_SIRET, name: '  Saint-Jean-de-Maurienne ', code_cog: '73248', code_postal: '73300', editor: 'editeur-demo', allowed_redirect_prefixes: ['https://www.example.fr/portail'] });
    assert.equal(created.status, 201);
    assert.equal(created.headers.get('location'), '/api/v2/collectivites/73248');
    const body = await conformsToDocument(created, '/api/v2/collectivites', 'post');
    assert.deepEqual(body, { siret: NEW_SIRET, name: 'Saint-Jean-de-Maurienne', code_cog: '73248', departement: '73', code_postal: '73300' });
    const stored = await test.service.context.collectivities.findActiveBySiret(NEW_SIRET);
    assert.equal(stored?.editor, 'editeur-demo');
    assert.deepEqual(stored?.allowedRedirectPrefixes, ['https://www.example.fr/portail']);
    assert.equal((await api('/api/v2/collectivites/73248')).status, 200);

    const again = await post({ siret: NEW_SIRET, name: 'Autre nom', code_cog: '73248', code_postal: '73300' });
    assert.equal(again.status, 409);
    assert.equal(((await conformsToDocument(again, '/api/v2/collectivites', 'post')) as { error: { code: string } }).error.code, 'SIRET_EXISTS');
    assert.equal((await test.service.context.collectivities.findBySiret(NEW_SIRET))?.name, 'Saint-Jean-de-Maurienne', 'nothing changed');
  });

  it('accepts La Poste’s SIRETs, whose key is not Luhn', async () => {
    const response = await post({ siret: '35600000000056', name: 'La Poste test', code_cog: '75056', code_postal: '75001' });
    assert.ok([201, 409].includes(response.status), `status ${response.status}`);
  });

  const invalid: [string, Record<string, unknown>, string][] = [
    ['a SIRET of 13 digits', { siret: '2104010710001' }, 'siret'],
    ['a SIRET with a wrong key', { siret: '21040107100018' }, 'siret'],
    ['a SIRET that is a number', { siret: 21040107100019 }, 'siret'],
    ['a missing name', { name: undefined }, 'name'],
    ['a blank name', { name: '   ' }, 'name'],
    ['a COG code of 4 digits', { code_cog: '4107' }, 'code_cog'],
    ['a COG code starting 20', { code_cog: '20004' }, 'code_cog'],
    ['a missing COG code', { code_cog: undefined }, 'code_cog'],
    ['a bad postal code', { code_postal: '4270' }, 'code_postal'],
    ['a département that does not match the COG', { departement: '04' }, 'departement'],
    ['a redirect prefix in http', { allowed_redirect_prefixes: ['http://example.fr/'] }, 'allowed_redirect_prefixes.0'],
    ['an unknown field', { status: 'inactive' }, 'status'],
  ];
  for (const [what, change, field] of invalid) {
    it(`answers 422 naming the field for ${what}, and writes nothing`, async () => {
      const body = { siret: '21050061000014', name: 'Barcelonnette', code_cog: '05003', code_postal: '04400', ...change };
      const response = await post(body);
      assert.equal(response.status, 422);
      const error = (await conformsToDocument(response, '/api/v2/collectivites', 'post')) as { error: { code: string; fields: Record<string, string> } };
      assert.equal(error.error.code, 'INVALID_FIELDS');
      assert.deepEqual(Object.keys(error.error.fields), [field]);
      assert.equal(await test.service.context.collectivities.findBySiret('21050061000014'), null);
    });
  }

  it('refuses a creation without the token, or with a wrong one, with 401 JSON and WWW-Authenticate, before reading the body', async () => {
    const missing = await api('/api/v2/collectivites', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    assert.equal(missing.status, 401);
    assert.equal(missing.headers.get('www-authenticate'), 'Bearer realm="formulaire-qf"');
    assert.equal(((await conformsToDocument(missing, '/api/v2/collectivites', 'post')) as { error: { code: string } }).error.code, 'TOKEN_MISSING');

    const wrong = await post({ siret: '21050061000014', name: 'X', code_cog: '05003', code_postal: '04400' }, { authorization: `Bearer ${TOKEN}x` });
    assert.equal(wrong.status, 401);
    assert.match(wrong.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    assert.equal(((await wrong.json()) as { error: { code: string } }).error.code, 'TOKEN_INVALID');
    assert.equal((await post({}, { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` })).status, 401);
  });

  it('answers malformed JSON with 400 and another content type with 415, as JSON errors', async () => {
    const malformed = await post('{"siret": ');
    assert.equal(malformed.status, 400);
    assert.equal(((await malformed.json()) as { error: { status: number } }).error.status, 400);
    const form = await post('siret=21050061000014&name=X', { 'content-type': 'application/x-www-form-urlencoded' });
    assert.equal(form.status, 415);
    assert.equal(((await conformsToDocument(form, '/api/v2/collectivites', 'post')) as { error: { code: string } }).error.code, 'UNSUPPORTED_MEDIA_TYPE');
    assert.equal((await post('{}', { 'content-type': 'text/plain' })).status, 415);
    assert.equal((await post('<a/>', { 'content-type': 'application/xml' })).status, 415);
  });

  it('lets any origin read (CORS on the GETs and the document) but not create', async () => {
    for (const path of ['/api/collectivites', '/api/collectivites/04107', '/api/collectivites/04999', '/api/v2/collectivites', '/api/v2/collectivites/04107', '/api/v2/collectivites/04999', '/api/openapi.json']) {
      const response = await api(path, { headers: { origin: 'https://portail.example.fr' } });
      assert.equal(response.headers.get('access-control-allow-origin'), '*', path);
    }
    const created = await post({}, { origin: 'https://portail.example.fr' });
    assert.equal(created.headers.get('access-control-allow-origin'), null);

    const preflight = await api('/api/v2/collectivites', { method: 'OPTIONS', headers: { origin: 'https://portail.example.fr', 'access-control-request-method': 'GET' } });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
    assert.equal(preflight.headers.get('access-control-allow-methods'), 'GET, HEAD, OPTIONS');
    assert.ok(!/POST/.test(preflight.headers.get('access-control-allow-methods') ?? ''));
    assert.equal((await api('/api/v2/collectivites/04107', { method: 'OPTIONS' })).status, 204);
  });

  it('publishes an OpenAPI 3.1 document whose schemas are those the routes validate with', () => {
    assert.equal(doc.openapi, '3.1.0');
    for (const path of ['/api/v2/collectivites', '/api/v2/collectivites/{code_cog}']) assert.ok(doc.paths[path], path);
    assert.deepEqual(Object.keys(doc.paths['/api/v2/collectivites'] ?? {}).sort(), ['get', 'post']);
    const operations = apiOperations(test.service.context);
    const create = operations.find((op) => op.operationId === 'creerCollectiviteV2');
    assert.ok(create?.body);
    assert.deepEqual(doc.paths['/api/v2/collectivites']?.post?.requestBody?.content['application/json']?.schema, jsonSchemaOf(create.body, 'input'));
    assert.deepEqual(doc.paths['/api/v2/collectivites']?.post?.security, [{ jeton: [] }]);
    assert.deepEqual(doc.paths['/api/v2/collectivites']?.get?.security, []);
    // Each operation says its scope: creating a collectivity is the operator's alone, reading is public.
    assert.equal((doc.paths['/api/v2/collectivites']?.post as { 'x-portee'?: string } | undefined)?.['x-portee'], 'operateur');
    assert.equal((doc.paths['/api/v2/collectivites']?.get as { 'x-portee'?: string } | undefined)?.['x-portee'], 'public');
    const params = doc.paths['/api/v2/collectivites/{code_cog}']?.get?.parameters ?? [];
    assert.deepEqual(params.map((p) => [p.name, p.in]), [['code_cog', 'path']]);

    // The document rejects what the API rejects, and accepts what it accepts.
    const bodySchema = z.fromJSONSchema(doc.paths['/api/v2/collectivites']?.post?.requestBody?.content['application/json']?.schema as never);
    assert.equal(bodySchema.safeParse({ siret: '21040107100019', name: 'M', code_cog: '04107', code_postal: '04270' }).success, true);
    assert.equal(bodySchema.safeParse({ siret: '2104', name: 'M', code_cog: '04107', code_postal: '04270' }).success, false);
    assert.equal(bodySchema.safeParse({ name: 'M', code_cog: '04107', code_postal: '04270' }).success, false);
  });

  describe('the old form’s shapes, kept at /api/collectivites for its consumers', () => {
    const legacyPost = (body: unknown, authorization = `Bearer ${TOKEN}`) =>
      api('/api/collectivites', { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify(body) });

    it('lists every active collectivity at once as a plain array of {siret, name, code_cog}, sorted by name', async () => {
      const response = await api('/api/collectivites');
      assert.equal(response.status, 200);
      const list = (await conformsToDocument(response, '/api/collectivites', 'get')) as { siret: string; name: string; code_cog: string }[];
      assert.ok(Array.isArray(list));
      assert.equal(list.length, await test.service.context.collectivities.countActive());
      assert.deepEqual(list.find((c) => c.siret === MAJASTRES.siret), { siret: MAJASTRES.siret, name: 'Majastres', code_cog: '04107' });
      for (const c of list) assert.deepEqual(Object.keys(c), ['siret', 'name', 'code_cog']);
      const names = list.map((c) => c.name);
      assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b, 'fr')), 'by name');
      // Parameters the old list never had are ignored, as it ignored them: a cache-buster must not break a portal.
      assert.equal((await api('/api/collectivites?limit=1&_=123')).status, 200);
    });

    it('finds by COG code (or by SIRET, as the old service looked up), and answers its own 404 body', async () => {
      for (const code of ['04107', MAJASTRES.siret]) {
        const found = await api(`/api/collectivites/${code}`);
        assert.equal(found.status, 200, code);
        assert.deepEqual(await conformsToDocument(found, '/api/collectivites/{code_cog}', 'get'), { siret: MAJASTRES.siret, name: 'Majastres', code_cog: '04107' });
      }
      for (const code of ['04999', '4107', 'n-importe-quoi']) {
        const unknown = await api(`/api/collectivites/${code}`);
        assert.equal(unknown.status, 404, code);
        assert.deepEqual(await conformsToDocument(unknown, '/api/collectivites/{code_cog}', 'get'), { error: 'Collectivity not found' });
      }
    });

    it('creates from the nested body, status included, and answers as the old service did', async () => {
      const created = await legacyPost({ collectivity: { siret: '21050062000005', name: 'Barcelonnette', code_cog: '05003', status: 'inactive', editor: 'editeur-x', departement: '05', id: 12 } }, `Token token="${TOKEN}"`);
      assert.equal(created.status, 201);
      const answer = (await conformsToDocument(created, '/api/collectivites', 'post')) as { collectivity: { id: number; created_at: string; updated_at: string } };
      const { id, created_at, updated_at, ...rest } = answer.collectivity;
      assert.deepEqual(rest, { siret: '21050062000005', name: 'Barcelonnette', code_cog: '05003', status: 'inactive', editor: 'editeur-x', departement: '05', code_postal: '' });
      // As the old service's model answered: its number and its timestamps (Rails' ISO 8601 with milliseconds).
      assert.ok(Number.isInteger(id) && id > 0);
      assert.match(created_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      assert.ok(Math.abs(Date.parse(created_at) - Date.now()) < 3600_000);
      assert.equal(updated_at, created_at);
      const stored = await test.service.context.collectivities.findBySiret('21050062000005');
      assert.equal(stored?.status, 'inactive');
      assert.equal(stored?.editor, 'editeur-x');

      const again = await legacyPost({ collectivity: { siret: '21050062000005', name: 'Autre', code_cog: '05003', status: 'active' } });
      assert.equal(again.status, 409);
      assert.deepEqual(await conformsToDocument(again, '/api/collectivites', 'post'), { errors: { siret: ['est déjà utilisé(e)'] } });

      const invalid = await legacyPost({ collectivity: { siret: '2105', code_cog: '05003', status: 'archivee' } });
      assert.equal(invalid.status, 422);
      const errors = ((await conformsToDocument(invalid, '/api/collectivites', 'post')) as { errors: Record<string, string[]> }).errors;
      assert.deepEqual(Object.keys(errors).sort(), ['name', 'status']);
      const badSiret = await legacyPost({ collectivity: { siret: '2105', name: 'X', code_cog: '05003', status: 'active' } });
      assert.deepEqual(await badSiret.json(), { errors: { siret: ['n’est pas valide'] } });
    });

    it('gives each created collectivity its own number, which stays its own', async () => {
      const first = (await (await legacyPost({ collectivity: { siret: '21050070000013', name: 'Jausiers', code_cog: '05070' } })).json()) as { collectivity: { id: number } };
      const second = (await (await legacyPost({ collectivity: { siret: '21050083000018', name: 'Meyronnes', code_cog: '05083' } })).json()) as { collectivity: { id: number } };
      assert.notEqual(first.collectivity.id, second.collectivity.id);
      // Changed afterwards (the espace, the operator, an import): the number does not move.
      const { collectivities, db } = test.service.context;
      await collectivities.setStatus('21050070000013', 'inactive');
      const stored = await collectivities.findBySiret('21050070000013');
      assert.ok(stored);
      await collectivities.upsert({ ...stored, name: 'Jausiers (Alpes)' }, 'jausiers alpes');
      const row = await db.kysely.selectFrom('collectivities').select('id').where('siret', '=', '21050070000013').executeTakeFirstOrThrow();
      assert.equal(row.id, first.collectivity.id);
    });

    it('refuses a creation without the token, or with a wrong one, with the old service’s plain-text 401', async () => {
      for (const authorization of [undefined, `Bearer ${TOKEN}x`, `Token token="${TOKEN}x"`]) {
        const refused = await api('/api/collectivites', {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
          body: JSON.stringify({ collectivity: { siret: '21050061000014', name: 'X', code_cog: '05003' } }),
        });
        assert.equal(refused.status, 401, String(authorization));
        assert.equal(refused.headers.get('www-authenticate'), 'Token realm="Application"');
        assert.match(refused.headers.get('content-type') ?? '', /^text\/plain; charset=utf-8/);
        assert.equal(await refused.text(), 'HTTP Token: Access denied.\n');
      }
      assert.equal(await test.service.context.collectivities.findBySiret('21050061000014'), null);
      // The v2 route keeps our JSON answer (pinned above); only the historic path answers the old way.
      const v2 = await api('/api/v2/collectivites', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      assert.equal(v2.status, 401);
      assert.match(v2.headers.get('content-type') ?? '', /json/);
    });

    it('still takes the flat body there, with the v2 answers', async () => {
      const created = await legacyPost({ siret: '21260006000009', name: 'Allan', code_cog: '26006', code_postal: '26780' });
      assert.equal(created.status, 201);
      assert.equal(created.headers.get('location'), '/api/v2/collectivites/26006');
      assert.deepEqual(await created.json(), { siret: '21260006000009', name: 'Allan', code_cog: '26006', departement: '26', code_postal: '26780' });
      const invalid = await legacyPost({ siret: '21260006000009', name: 'Allan', code_cog: '26006', code_postal: '26780', status: 'inactive' });
      assert.equal(invalid.status, 422);
      assert.deepEqual(((await invalid.json()) as { error: { fields: Record<string, string> } }).error.fields, { status: 'Ce champ n’est pas reconnu.' });
    });

    it('marks in the document which operation is which generation', () => {
      for (const method of ['get', 'post'] as const) {
        assert.equal((doc.paths['/api/collectivites']?.[method] as { 'x-version'?: string } | undefined)?.['x-version'], 'historique', method);
        assert.equal((doc.paths['/api/v2/collectivites']?.[method] as { 'x-version'?: string } | undefined)?.['x-version'], 'v2', method);
      }
      assert.equal((doc.paths['/api/collectivites/{code_cog}']?.get as { 'x-version'?: string } | undefined)?.['x-version'], 'historique');
    });
  });

  it('shows the operations on a DSFR page without any script of its own', async () => {
    const response = await api('/api/documentation');
    assert.equal(response.status, 200);
    const html = await response.text();
    for (const text of ['GET', 'POST', '/api/v2/collectivites/{code_cog}', 'Lister les collectivités actives', 'code_cog', '/api/openapi.json', 'Jeton d’API requis', '422']) {
      assert.ok(html.includes(text), text);
    }
    assert.ok(!/<script(?![^>]*src="\/dsfr\/)/.test(html), 'no script but the DSFR’s');
    assert.ok(!/style=/.test(html));
  });
});
