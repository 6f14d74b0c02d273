import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../../../test/support/ports.ts';
import { createApiParticulierClient, type IdentityQuery } from './client.ts';
import { startRawServer } from './testing/servers.ts';

/**
 * Our client against servers that misbehave in ways the stand-in never does: silence, a closed port, bodies and
 * statuses outside the contract.
 */
const query: IdentityQuery = {
  token: 'any',
  recipient: '21750001600019',
  nomNaissance: 'DUBOIS',
  prenoms: ['Angela'],
  sexeEtatCivil: 'F',
  codeCogInseePaysNaissance: '99100',
  codeCogInseeCommuneNaissance: '75107',
};

describe('API Particulier client transport', () => {
  it('gives up after settings.timeoutMs on a server that never answers', async () => {
    const silent = await startRawServer(() => {});
    try {
      const client = createApiParticulierClient({ baseUrl: silent.baseUrl, timeoutMs: 200 });
      const started = Date.now();
      const result = await client.fetchQuotientFamilialWithFranceConnect({ accessToken: 'any', recipient: query.recipient });
      assert.ok(!result.ok);
      assert.equal(result.error.kind, 'timeout');
      assert.equal(result.error.status, null);
      assert.ok(result.error.kind === 'timeout' && result.error.afterMs === 200);
      assert.ok(Date.now() - started < 2000);
    } finally {
      await silent.close();
    }
  });

  it('reports a closed port as unreachable', async () => {
    const client = createApiParticulierClient({ baseUrl: `http://127.0.0.1:${await freePort()}/api-particulier`, timeoutMs: 2000 });
    const result = await client.fetchQuotientFamilialByIdentity(query);
    assert.ok(!result.ok);
    assert.equal(result.error.kind, 'unreachable');
    assert.ok(result.error.kind === 'unreachable' && result.error.reason === 'ECONNREFUSED');
  });

  describe('answers outside the contract', () => {
    let server: Awaited<ReturnType<typeof startRawServer>>;
    let lastUrl = '';
    let lastHeaders: Record<string, string | string[] | undefined> = {};
    const answers = new Map<string, { status: number; body: string; headers?: Record<string, string> }>();
    before(async () => {
      server = await startRawServer((request, response) => {
        lastUrl = request.url ?? '';
        lastHeaders = request.headers;
        const scenario = answers.get(request.headers.authorization ?? '') ?? { status: 500, body: '' };
        response.writeHead(scenario.status, { 'content-type': 'application/json', 'x-request-id': 'req-1', ...scenario.headers });
        response.end(scenario.body);
      });
    });
    after(() => server.close());
    const call = (token: string, answer: { status: number; body: string; headers?: Record<string, string> }) => {
      answers.set(`Bearer ${token}`, answer);
      return createApiParticulierClient({ baseUrl: server.baseUrl, timeoutMs: 2000 }).fetchQuotientFamilialByIdentity({ ...query, token });
    };

    it('refuses a 200 whose body has no data object, keeping the request id', async () => {
      const result = await call('bad-body', { status: 200, body: JSON.stringify({ data: ['not', 'an', 'object'] }) });
      assert.ok(!result.ok);
      assert.equal(result.error.kind, 'unexpected');
      assert.ok(result.error.kind === 'unexpected' && result.error.reason === 'malformed_body');
      assert.equal(result.error.requestId, 'req-1');
    });

    it('forwards an odd but well-formed 200 as received: judging the QF is the reading’s job, not the transport’s', async () => {
      const result = await call('odd-body', { status: 200, body: JSON.stringify({ data: { quotient_familial: { valeur: 'x', champ_inconnu: 1 } } }) });
      assert.ok(result.ok);
      assert.deepEqual(result.data, { quotient_familial: { valeur: 'x', champ_inconnu: 1 } });
    });

    it('refuses a 200 that is not JSON', async () => {
      const result = await call('html', { status: 200, body: '<html></html>' });
      assert.ok(!result.ok && result.error.kind === 'unexpected');
    });

    it('sorts 503 as provider_unavailable and 500 as unexpected, even without an errors list', async () => {
      const unavailable = await call('503', { status: 503, body: '' });
      assert.ok(!unavailable.ok && unavailable.error.kind === 'provider_unavailable' && unavailable.error.code === null);
      const broken = await call('500', { status: 500, body: 'oops' });
      assert.ok(!broken.ok && broken.error.kind === 'unexpected' && broken.error.reason === 'unexpected_status');
      assert.equal(broken.error.status, 500);
    });

    it('sorts a v2-style 400 as invalid_request', async () => {
      const result = await call('400', { status: 400, body: JSON.stringify({ error: 'bad_request' }) });
      assert.ok(!result.ok && result.error.kind === 'invalid_request');
      assert.deepEqual(result.error.kind === 'invalid_request' && result.error.errors, []);
    });

    it('reads a Retry-After given as an HTTP date', async () => {
      const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
      const result = await call('429', { status: 429, body: '{}', headers: { 'retry-after': inTenSeconds } });
      assert.ok(!result.ok && result.error.kind === 'rate_limited');
      assert.ok(result.error.kind === 'rate_limited' && result.error.retryAfterSeconds !== null);
      assert.ok(result.error.retryAfterSeconds >= 8 && result.error.retryAfterSeconds <= 10);
    });

    it('sends the parameters as the contract names them, the period and the cache bypass', async () => {
      answers.set('Bearer params', { status: 500, body: '' });
      const client = createApiParticulierClient({ baseUrl: server.baseUrl, timeoutMs: 2000 });
      await client.fetchQuotientFamilialByIdentity({
        ...query,
        token: 'params',
        prenoms: ['Angela', 'Claire'],
        anneeDateNaissance: 1962,
        annee: 2025,
        mois: 3,
        bypassCache: true,
      });
      const sent = new URL(lastUrl, 'http://x');
      assert.equal(sent.pathname, '/v3/dss/quotient_familial/identite');
      assert.deepEqual(sent.searchParams.getAll('prenoms[]'), ['Angela', 'Claire']);
      assert.equal(sent.searchParams.get('anneeDateNaissance'), '1962');
      assert.equal(sent.searchParams.get('annee'), '2025');
      assert.equal(sent.searchParams.get('mois'), '3');
      assert.equal(sent.searchParams.has('nomUsage'), false);
      assert.equal(lastHeaders['cache-control'], 'no-cache');
      await client.fetchQuotientFamilialWithFranceConnect({ accessToken: 'params', recipient: '21750001600019' });
      assert.equal(lastUrl, '/v3/dss/quotient_familial/france_connect?recipient=21750001600019');
      assert.equal(lastHeaders['cache-control'], undefined);
    });
  });
});
