import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { FranceConnectBrowser } from '../../src/integrations/franceconnect/testing/login-as.ts';
import { faultControlClient } from '../../src/sandbox/faults/client.ts';
import { personas } from '../../src/sandbox/fixtures.ts';
import { journeyOverHttp } from '../support/http-journey.ts';
import { personalDataIn } from '../support/personal-data.ts';
import { freePort } from '../support/ports.ts';
import { startSentryReceiver, type ReceivedEvent, type SentryReceiver } from '../support/sentry-receiver.ts';
import { startTestService, type TestService } from '../support/service.ts';
import { Citizen } from '../security/support/citizen.ts';
import { journeyInCookie } from '../../src/web/journey/cookie.ts';

const MAJASTRES = '21040107100019';
const CALLBACK_ROUTE = '/auth/franceconnect/callback';
const RELEASE = `formulaire-qf@${(JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version}`;

/**
 * The real SDK, configured by SENTRY_DSN as in production, sending over real HTTP to a receiver on 127.0.0.1;
 * every error path of the citizen's journey driven from the outside; then what arrived is read: the events are
 * there, with release, environment and route pattern, and nothing of a person, a token, a cookie or a query string.
 */
describe('error reporting to Sentry, as it leaves the process', () => {
  let receiver: SentryReceiver;
  let test: TestService;
  /** Values that must never reach Sentry: cookies, CSRF tokens, the callback's query values, the configured secrets. */
  const secrets = new Set<string>();
  const remember = (...values: (string | null | undefined)[]) => {
    for (const value of values) if (value && value.length >= 8) secrets.add(value);
  };

  before(async () => {
    receiver = await startSentryReceiver();
    test = await startTestService({
      SENTRY_DSN: receiver.dsn,
      API_PARTICULIER_TIMEOUT_MS: '1500',
      // A transmission still failing two seconds after "Transmettre" is given up: the failure path of the job.
      SHIPMENT_RETRY_WINDOW_HOURS: '0.0005',
    });
    const { secrets: configured, franceConnect, hubee, insee } = test.service.context.config;
    remember(...Object.values(configured), franceConnect.clientSecret, hubee.osl.clientSecret, hubee.admin.clientSecret, insee.apiKey);
  });
  after(async () => {
    await test?.stop();
    await receiver?.close();
  });

  const faults = () => faultControlClient(test.sandboxUrl);
  const reported = (matches: (event: ReceivedEvent) => boolean) => receiver.events().filter(matches);
  const answered = (route: string, status: number) => (event: ReceivedEvent) => event.tags?.kind === 'response' && event.tags.route === route && event.tags.status_code === String(status);

  /** Up to FranceConnect's authorize URL, remembering the cookies and the CSRF token. */
  const pressFranceConnect = async (citizen: Citizen, appUrl = test.appUrl) => {
    const collectivity = await citizen.get(`/collectivites/${MAJASTRES}`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(collectivity.html)?.[1];
    remember(csrf);
    const start = await citizen.post('/auth/franceconnect', { siret: MAJASTRES, _csrf: csrf ?? '' });
    remember(citizen.cookie('fqf_journey'), citizen.cookie('fqf_csrf'));
    assert.ok(start.location || start.status >= 500, `the login start answered ${start.status} at ${appUrl}`);
    return start;
  };
  /** Logs in as a persona and comes back to the callback; resolves to the callback's answer. */
  const loginAs = async (login: string) => {
    const citizen = new Citizen(test.appUrl);
    const start = await pressFranceConnect(citizen);
    const callback = await new FranceConnectBrowser().loginAs(login, start.location ?? '');
    for (const value of callback.searchParams.values()) remember(value);
    const back = await citizen.get(callback);
    remember(citizen.cookie('fqf_journey'));
    return { citizen, back };
  };

  it('API Particulier answering 502, 503, 504 or nothing: each 502 page is reported with the callback’s route pattern', async () => {
    for (const kind of ['error502', 'error503', 'error504', 'timeout'] as const) {
      await faults().set({ rules: [{ system: 'api-particulier', kind, ...(kind === 'timeout' ? { delayMs: 3000 } : {}) }] });
      const before = reported(answered(CALLBACK_ROUTE, 502)).length;
      const { back } = await loginAs('angela');
      assert.equal(back.status, 502, kind);
      await receiver.waitUntil(() => reported(answered(CALLBACK_ROUTE, 502)).length > before);
    }
    await faults().clear();
    const event = reported(answered(CALLBACK_ROUTE, 502))[0];
    assert.equal(event?.transaction, `GET ${CALLBACK_ROUTE}`);
    assert.equal(event?.level, 'error');
    assert.equal(event?.release, RELEASE);
    assert.equal(event?.environment, 'test');
  });

  it('the personas API Particulier refuses: a report for each 5xx page, none for the 4xx ones', async () => {
    const statuses: number[] = [];
    const before = reported((event) => event.tags?.route === CALLBACK_ROUTE).length;
    for (const login of ['jean', 'paul', 'lucie', 'sylvain', 'jean-marie', 'clement', 'rene', 'bernadette']) {
      statuses.push((await loginAs(login)).back.status);
    }
    const serverErrors = statuses.filter((status) => status >= 500).length;
    assert.ok(serverErrors >= 1 && serverErrors < statuses.length, `statuses ${statuses.join(', ')}`);
    await receiver.waitUntil(() => reported((event) => event.tags?.route === CALLBACK_ROUTE).length >= before + serverErrors);
    await test.service.context.errors.flush();
    assert.equal(reported((event) => event.tags?.route === CALLBACK_ROUTE).length, before + serverErrors, 'one report per 5xx, none per 4xx');
  });

  it('FranceConnect refusing the login (Annuler, invalid_acr, a forged state, a reused callback): the error pages, nothing to report', async () => {
    const before = receiver.events().length;
    const citizen = new Citizen(test.appUrl);
    const start = await pressFranceConnect(citizen);
    const cancelled = await new FranceConnectBrowser().cancelLogin(start.location ?? '');
    for (const value of cancelled.searchParams.values()) remember(value);
    assert.equal((await citizen.get(cancelled)).status, 400);

    const again = await pressFranceConnect(citizen);
    const state = new URL(again.location ?? '').searchParams.get('state') ?? '';
    remember(state);
    const iss = encodeURIComponent(test.service.context.config.franceConnect.issuer);
    assert.equal((await citizen.get(`${CALLBACK_ROUTE}?error=invalid_acr&state=${state}&iss=${iss}`)).status, 400);
    await pressFranceConnect(citizen);
    assert.equal((await citizen.get(`${CALLBACK_ROUTE}?code=forged-code-value&state=${'x'.repeat(43)}&iss=${iss}`)).status, 400);

    const { citizen: reused } = await loginAs('angela');
    const replay = await pressFranceConnect(reused);
    const callback = await new FranceConnectBrowser().loginAs('angela', replay.location ?? '');
    assert.equal((await reused.get(callback)).status, 303);
    assert.equal((await reused.get(callback)).status, 400);
    await test.service.context.errors.flush();
    assert.equal(receiver.events().length, before, 'a refused login is the citizen’s page, not an incident');
  });

  it('FranceConnect unreachable: the 503 page is reported with the login route', async () => {
    const deadIssuer = `http://127.0.0.1:${await freePort()}/franceconnect/api/v2`;
    const unreachable = await startTestService({ SENTRY_DSN: receiver.dsn, FRANCECONNECT_ISSUER: deadIssuer });
    try {
      const start = await pressFranceConnect(new Citizen(unreachable.appUrl), unreachable.appUrl);
      assert.equal(start.status, 503);
      const event = await receiver.waitForEvent(answered('/auth/franceconnect', 503));
      assert.equal(event.transaction, 'POST /auth/franceconnect');
    } finally {
      await unreachable.stop();
    }
  });

  it('HubEE failing at every step: the family gets its confirmation, and the transmission given up is reported', async () => {
    await faults().set({ rules: [{ system: 'hubee', kind: 'reset', times: 'always' }] });
    try {
      const reference = await journeyOverHttp(test.appUrl, { siret: MAJASTRES, persona: 'elodie' });
      const event = await receiver.waitForEvent((e) => e.tags?.queue === 'transmit-shipment' && e.tags.outcome === 'failed', 60_000);
      assert.equal(event.exception?.values?.[0]?.type, 'WorkGivenUp');
      assert.equal((await test.service.context.shipments.find(reference))?.status, 'failed');
    } finally {
      await faults().clear();
    }
  });

  it('the database failing under a request, on a page or in the API: the 500, the exception reported with the route pattern', async () => {
    const { citizen, back } = await loginAs('jeanne');
    assert.equal(back.location, '/verification');
    const { kysely } = test.service.context.db;
    await sql`ALTER TABLE journeys RENAME TO journeys_away`.execute(kysely);
    try {
      // Without its version, the cookie reads the journey from the database rather than from the app's memory.
      const id = journeyInCookie(citizen.cookie('fqf_journey') ?? '').id;
      assert.equal((await fetch(`${test.appUrl}/verification`, { headers: { cookie: `fqf_journey=${id}` } })).status, 500);
    } finally {
      await sql`ALTER TABLE journeys_away RENAME TO journeys`.execute(kysely);
    }
    const event = await receiver.waitForEvent((e) => e.tags?.kind === 'request' && e.tags.route === '/verification');
    assert.equal(event.tags?.status_code, '500');
    assert.equal(event.transaction, 'GET /verification');
    assert.ok(event.exception?.values?.[0]?.type, 'the exception’s type is kept');

    // The API answers through an error handler of its own: its exceptions are reported the same way.
    await sql`ALTER TABLE collectivities RENAME TO collectivities_away`.execute(kysely);
    try {
      assert.equal((await fetch(`${test.appUrl}/api/collectivites/04107?champs=tout`)).status, 500);
    } finally {
      await sql`ALTER TABLE collectivities_away RENAME TO collectivities`.execute(kysely);
    }
    const api = await receiver.waitForEvent((e) => e.tags?.kind === 'request' && e.tags.route === '/api/collectivites/:code_cog');
    assert.equal(api.transaction, 'GET /api/collectivites/:code_cog');
    assert.ok(api.exception?.values?.length);
  });

  it('a failed job is reported with its queue', async () => {
    await faults().set({ rules: [{ system: 'hubee', step: 'listNotifications', kind: 'error500', times: 'always' }] });
    const followUpFailures = () => reported((e) => e.tags?.kind === 'job' && e.tags.queue === 'hubee-follow-up');
    // HubEE down in the test above may have failed a run already: only a new report counts.
    const before = followUpFailures().length;
    try {
      await test.service.workers.followUpHubee();
      await receiver.waitUntil(() => followUpFailures().length > before);
      const event = followUpFailures().at(-1)!;
      assert.equal(event.level, 'error');
      assert.ok(event.exception?.values?.length);
    } finally {
      await faults().clear();
    }
  });

  it('an error quoting what it failed on (a journey, a URL, a token) loses it before leaving', async () => {
    const angela = personas.find((p) => p.login === 'angela')!;
    let parseError: unknown;
    try {
      JSON.parse(`{"nom":${angela.claims.family_name},"prenoms":"${angela.claims.given_name}","naissance":"${angela.claims.birthdate}"}`);
    } catch (error) {
      parseError = error;
    }
    const jwt = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhYmMifQ.c2lnbmF0dXJl';
    const wrapped = new Error(`fetch of https://example.test/path?code=abc&state=def failed for ${angela.claims.email ?? 'someone@example.test'} with ${jwt}`, { cause: parseError });
    test.service.context.errors.jobFailed(wrapped, { queue: 'scrubbing-check' });
    const event = await receiver.waitForEvent((e) => e.tags?.queue === 'scrubbing-check');
    const values = (event.exception?.values ?? []).map((v) => v.value ?? '');
    assert.equal(values.length, 2, 'the cause is reported too');
    assert.ok(values.some((v) => v.includes('https://example.test/path?[filtré]')), values.join(' | '));
    assert.ok(values.every((v) => !v.includes('code=') && !v.includes(jwt)), values.join(' | '));
  });

  it('no envelope holds a persona’s names, birth dates or QF values, a token, a cookie, a query string or a request', async () => {
    assert.equal(await test.service.context.errors.flush(5000), true);
    const envelopes = receiver.envelopes();
    assert.ok(receiver.events().length >= 10, `events were captured (${receiver.events().length})`);
    // Stack frames' line and column numbers are code, not data: a line 150 is not a QF of 150.
    const lines = envelopes.flatMap((envelope) => envelope.replace(/"(lineno|colno|length)":\d+/g, '"$1":0').split('\n'));
    assert.deepEqual(personalDataIn(lines), []);
    for (const secret of secrets) assert.ok(!envelopes.some((envelope) => envelope.includes(secret)), `a secret value reached Sentry (${secret.slice(0, 4)}…)`);
    for (const envelope of envelopes) {
      assert.doesNotMatch(envelope, /eyJ[\w-]+\.[\w-]+/, 'no JWT');
      assert.doesNotMatch(envelope, /[?&][\w.[\]-]+=/, 'no query string');
      assert.doesNotMatch(envelope, /fqf_journey|fqf_csrf|"(cookies?|headers|request|user|breadcrumbs|extra|contexts|vars|context_line|pre_context|post_context)":/i, 'none of the fields that carry a request, a user or variables');
    }
    for (const event of receiver.events()) {
      assert.equal(event.release, RELEASE);
      assert.equal(event.environment, 'test');
      if (event.transaction) assert.doesNotMatch(event.transaction, /\?|\d{14}/, 'a route pattern, never a concrete URL');
    }
  });
});
