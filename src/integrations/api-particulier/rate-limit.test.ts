import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startSandbox } from '../../../test/support/sandbox.ts';
import { createApiParticulierClient } from './client.ts';
import { LOCAL_API_PARTICULIER_TOKENS as TOKENS } from '../../sandbox/api-particulier/tokens.ts';
import { assertCommonHeaders, firstError, rawGet, type RawAnswer } from './testing/raw.ts';
import { startStandIn } from './testing/servers.ts';

/** API Particulier's 20 requests per second per token (§4), the default stand-in and an injected limit. */
const IDENTITY = '/v3/dss/quotient_familial/identite';
const FRANCE_CONNECT = '/v3/dss/quotient_familial/france_connect';
const angela = {
  recipient: '21750001600019',
  nomNaissance: 'DUBOIS',
  'prenoms[]': 'Angela',
  sexeEtatCivil: 'F',
  codeCogInseePaysNaissance: '99100',
  codeCogInseeCommuneNaissance: '75107',
};
const TOO_MANY = {
  errors: [{ code: '00429', title: 'Trop de requêtes', detail: 'Vous avez effectué trop de requêtes', source: null, meta: {} }],
};

/**
 * 41 requests at once span at most two one-second windows, so one window sees more than 20; on a loaded machine a
 * burst can stretch further, hence a few tries.
 */
async function burstUntil<T>(send: () => Promise<T>, refused: (answer: T) => boolean): Promise<T[]> {
  let answers: T[] = [];
  for (let attempt = 0; attempt < 5; attempt++) {
    answers = await Promise.all(Array.from({ length: 41 }, send));
    if (answers.some(refused)) return answers;
  }
  return answers;
}

describe('API Particulier rate limit', () => {
  it('lets 20 requests per second through per token, then answers 429 with Retry-After', async () => {
    const sandbox = await startSandbox({ only: ['api-particulier'] });
    try {
      const url = `${sandbox.config.apiParticulier.baseUrl}${IDENTITY}`;
      const answers = await burstUntil(
        () => rawGet(url, TOKENS.collectivity, angela),
        (a) => a.status === 429,
      );
      answers.forEach(assertCommonHeaders);
      const refused = answers.filter((a) => a.status === 429);
      assert.ok(refused.length >= 1, 'some requests refused');
      assert.ok(answers.filter((a) => a.status === 200).length >= 20, 'the first 20 of a window pass');
      const nowSeconds = Date.now() / 1000;
      for (const answer of refused) {
        assert.deepEqual(answer.body, TOO_MANY);
        assert.equal(answer.headers.get('ratelimit-limit'), '20');
        assert.equal(answer.headers.get('ratelimit-remaining'), '0');
        assert.equal(answer.headers.get('retry-after'), '1');
        const reset = Number(answer.headers.get('ratelimit-reset'));
        assert.ok(reset >= Math.floor(nowSeconds) - 1 && reset <= nowSeconds + 2, 'RateLimit-Reset is a Unix timestamp');
      }

      // Another token has its own counter.
      assert.equal((await rawGet(url, TOKENS.quotientFamilialOnly, angela)).status, 200);

      // Our client reports the refusal as rate_limited, with the seconds to wait.
      const client = createApiParticulierClient(sandbox.config.apiParticulier);
      const burst = await burstUntil(
        () =>
          client.fetchQuotientFamilialByIdentity({
            token: TOKENS.collectivity,
            recipient: angela.recipient,
            nomNaissance: 'DUBOIS',
            prenoms: ['Angela'],
            sexeEtatCivil: 'F',
            codeCogInseePaysNaissance: '99100',
            codeCogInseeCommuneNaissance: '75107',
          }),
        (r) => !r.ok && r.error.kind === 'rate_limited',
      );
      const limited = burst.find((r) => !r.ok && r.error.kind === 'rate_limited');
      assert.ok(limited && !limited.ok && limited.error.kind === 'rate_limited');
      assert.equal(limited.error.retryAfterSeconds, 1);
      assert.equal(limited.error.code, '00429');
    } finally {
      await sandbox.close();
    }
  });

  it('counts per token in fixed windows, on both routes, with an injected limit and clock', async () => {
    let now = Date.UTC(2026, 0, 15, 12, 0, 0);
    const server = await startStandIn({ rateLimit: { limit: 3, windowMs: 60_000 }, now: () => now });
    try {
      const identity = `${server.baseUrl}${IDENTITY}`;
      const remaining: (string | null)[] = [];
      let last: RawAnswer | undefined;
      for (let i = 0; i < 4; i++) {
        last = await rawGet(identity, TOKENS.collectivity, angela);
        assertCommonHeaders(last);
        remaining.push(last.headers.get('ratelimit-remaining'));
      }
      assert.deepEqual(remaining, ['2', '1', '0', '0']);
      assert.ok(last);
      assert.equal(last.status, 429);
      assert.equal(last.headers.get('retry-after'), '60');
      assert.equal(last.headers.get('ratelimit-limit'), '3');
      assert.equal(last.headers.get('ratelimit-reset'), String((now + 60_000) / 1000));

      // Even a refused token counts: an unknown bearer is limited like any other.
      const fc = `${server.baseUrl}${FRANCE_CONNECT}`;
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await rawGet(fc, 'unknown-token', { recipient: angela.recipient })).status);
      assert.equal(statuses[3], 429);
      assert.equal(firstError(await rawGet(fc, 'unknown-token', {})).code, '00429', 'the limit comes before anything else');

      now += 30_000;
      assert.equal((await rawGet(identity, TOKENS.collectivity, angela)).headers.get('retry-after'), '30');
      now += 30_000;
      const fresh = await rawGet(identity, TOKENS.collectivity, angela);
      assert.equal(fresh.status, 200);
      assert.equal(fresh.headers.get('ratelimit-remaining'), '2');
    } finally {
      await server.close();
    }
  });
});
