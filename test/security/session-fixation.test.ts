import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CookieJar } from '../../src/integrations/franceconnect/testing/cookie-jar.ts';
import { FranceConnectBrowser } from '../../src/integrations/franceconnect/testing/login-as.ts';
import { startTestService, type TestService } from '../support/service.ts';

const MAJASTRES = '21040107100019';
const COOKIE = 'fqf_journey';

describe('session fixation: the journey id is renewed at login', () => {
  let test: TestService;
  before(async () => {
    test = await startTestService();
  });
  after(() => test.stop());

  /** A browser: a cookie jar, and `plant` to write a cookie as an attacker on a sibling site could. */
  const browser = () => {
    const jar = new CookieJar();
    const visit = async (path: string | URL, form?: Record<string, string>, cookieOverride?: string) => {
      const url = new URL(path, test.appUrl);
      const headers: Record<string, string> = {};
      const cookie = cookieOverride ?? jar.headerFor(url);
      if (cookie) headers.cookie = cookie;
      if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
      const response = await fetch(url, { method: form ? 'POST' : 'GET', headers, redirect: 'manual', ...(form ? { body: new URLSearchParams(form) } : {}) });
      if (cookieOverride === undefined) jar.store(url, response.headers);
      return { status: response.status, location: response.headers.get('location'), html: await response.text() };
    };
    const journeyId = () => /fqf_journey=([^;]+)/.exec(jar.headerFor(new URL('/verification', test.appUrl)) ?? '')?.[1] ?? null;
    const plant = (id: string) => jar.store(new URL(test.appUrl), new Headers({ 'set-cookie': `${COOKIE}=${id}; Path=/; HttpOnly` }));
    const startLogin = async () => {
      const page = await visit(`/collectivites/${MAJASTRES}`);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.html)?.[1] ?? assert.fail('no CSRF token');
      const start = await visit('/auth/franceconnect', { _csrf: csrf, siret: MAJASTRES });
      assert.equal(start.status, 303);
      return start.location ?? assert.fail('no FranceConnect URL');
    };
    return { visit, journeyId, plant, startLogin };
  };

  it('an id planted before the login reads nothing after the family logged in, and the id of the login is destroyed', async () => {
    const attacker = browser();
    await attacker.startLogin();
    const planted = attacker.journeyId() ?? assert.fail('the attacker has no journey id');

    const victim = browser();
    victim.plant(planted);
    const fcUrl = await victim.startLogin();
    const duringLogin = victim.journeyId();
    assert.notEqual(duringLogin, planted, 'the login starts under a new id');
    const callback = await new FranceConnectBrowser().loginAs('angela', fcUrl);
    const back = await victim.visit(callback);
    assert.equal(back.status, 303);
    assert.match(back.location ?? '', /\/verification$/);
    const review = await victim.visit('/verification');
    assert.equal(review.status, 200);
    assert.match(review.html, /DUBOIS/i);
    assert.notEqual(victim.journeyId(), duringLogin, 'renewed when FranceConnect answered');

    for (const id of [planted, duringLogin]) {
      const stolen = await attacker.visit('/verification', undefined, `${COOKIE}=${id}`);
      assert.ok(!/DUBOIS/i.test(stolen.html), `the old id ${id} reads the review`);
      assert.notEqual(stolen.status, 200);
    }
  });
});
