import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { journeyOverHttp } from '../../../test/support/http-journey.ts';
import { freePort } from '../../../test/support/ports.ts';
import { startTestService, type TestService } from '../../../test/support/service.ts';

const MAJASTRES = '21040107100019';

/**
 * Every address of the existing national form, replayed against the service: each answers a permanent redirect
 * to a page that exists, and the FranceConnect callbacks registered for the old form work at their old paths.
 */
describe('the old form’s addresses', () => {
  let test: TestService;
  let appUrl: string;
  let allowedReturn: string;
  const get = (path: string) => fetch(`${appUrl}${path}`, { redirect: 'manual' });

  before(async () => {
    // The app listens where FranceConnect was told the old callbacks are: the old paths are the registered ones.
    const port = await freePort();
    appUrl = `http://127.0.0.1:${port}`;
    test = await startTestService({
      PORT: String(port),
      APP_URL: appUrl,
      FRANCECONNECT_REDIRECT_URI: `${appUrl}/callback`,
      FRANCECONNECT_POST_LOGOUT_REDIRECT_URI: `${appUrl}/logout-callback`,
    });
    allowedReturn = `${test.sandboxUrl}/portail-commune/${MAJASTRES}/retour`;
  });
  after(() => test?.stop());

  /** The redirect, then the page it leads to, which must exist. */
  const walk = async (path: string, status: 301 | 303 = 301): Promise<URL> => {
    const response = await get(path);
    assert.equal(response.status, status, path);
    const location = new URL(response.headers.get('location') ?? '', appUrl);
    assert.equal(location.origin, appUrl, `${path} stays on the service`);
    const target = await get(`${location.pathname}${location.search}`);
    assert.ok(target.status === 200 || target.status === 303, `${path} → ${location.pathname} answers ${target.status}`);
    return location;
  };

  it('sends the portal’s deep link to the collectivity’s page, external_id and an allowed redirect_uri kept exactly', async () => {
    const externalId = '  Dossier n°42 / été ';
    const query = new URLSearchParams({ external_id: externalId, redirect_uri: allowedReturn });
    const location = await walk(`/collectivites/${MAJASTRES}/me_connecter?${query}`);
    assert.equal(location.pathname, `/collectivites/${MAJASTRES}`);
    assert.equal(location.searchParams.get('external_id'), externalId);
    assert.equal(location.searchParams.get('redirect_uri'), allowedReturn);
    const page = await (await get(`${location.pathname}${location.search}`)).text();
    assert.ok(page.includes(`value="${allowedReturn}"`), 'the page carries the return address into the login form');
  });

  it('drops a redirect_uri the collectivity does not allow, and never reflects it', async () => {
    const query = new URLSearchParams({ external_id: 'abc', redirect_uri: 'https://evil.example/phish' });
    const response = await get(`/collectivites/${MAJASTRES}/me_connecter?${query}`);
    assert.equal(response.status, 301);
    const location = response.headers.get('location') ?? '';
    assert.equal(location, `/collectivites/${MAJASTRES}?external_id=abc`);
    assert.ok(!location.includes('evil'));
  });

  it('drops an external_id made of control characters', async () => {
    const response = await get(`/collectivites/${MAJASTRES}/me_connecter?external_id=a%0Ab`);
    assert.equal(response.headers.get('location'), `/collectivites/${MAJASTRES}`);
  });

  it('walks every other old page to its new equivalent', async () => {
    const expected: [string, string][] = [
      [`/collectivites/select?id=${MAJASTRES}`, `/collectivites/${MAJASTRES}`],
      ['/collectivites/select', '/collectivites'],
      [`/collectivites/not-a-siret/me_connecter`, '/collectivites'],
      [`/collectivites/${MAJASTRES}/sans_france_connect`, '/sans-franceconnect'],
      [`/collectivites/${MAJASTRES}/envoyer_mes_donnees`, '/verification'],
      [`/collectivites/${MAJASTRES}/erreur`, `/collectivites/${MAJASTRES}`],
      [`/collectivites/${MAJASTRES}/confirmation/0123456789abc`, '/suivi/0123456789ABC'],
      [`/collectivites/${MAJASTRES}/shipments/0123456789ABC`, '/suivi/0123456789ABC'],
      [`/collectivites/${MAJASTRES}/confirmation/pas-une-reference`, '/suivi'],
      ['/cgu_usagers', '/cgu-usagers'],
      ['/cgu_administrations', '/cgu-administrations'],
      ['/cgu', '/cgu-usagers'],
    ];
    for (const [old, now] of expected) {
      const response = await get(old);
      assert.equal(response.status, 301, old);
      assert.equal(response.headers.get('location'), now, old);
      // The new page exists (the review page without a journey explains itself with a 400 page).
      const target = await get(now);
      assert.ok([200, 400, 404].includes(target.status) && (target.headers.get('content-type') ?? '').startsWith('text/html'), `${now}: ${target.status}`);
    }
    assert.equal((await get('/cgu-usagers')).status, 200);
  });

  it('answers the old health check as /health does', async () => {
    const response = await get('/up');
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'ok' });
  });

  it('asks a stale post of the old review page to reload, rather than losing it silently', async () => {
    const response = await fetch(`${appUrl}/collectivites/${MAJASTRES}/envoyer_mes_donnees`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
      redirect: 'manual',
    });
    assert.equal(response.status, 403);
    // No cookie of ours came with it (an old page's post): the page says so, as for any post without them.
    assert.match(await response.text(), /Cookies désactivés/);
  });

  it('sends a post that carries our token to the review page, never replaying it onto /transmission', async () => {
    const page = await get(`/collectivites/${MAJASTRES}`);
    const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
    const cookie = (page.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
    for (const path of [`/collectivites/${MAJASTRES}/envoyer_mes_donnees`, `/collectivites/${MAJASTRES}/shipments`]) {
      const response = await fetch(`${appUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
        body: new URLSearchParams({ _csrf: token }),
        redirect: 'manual',
      });
      assert.equal(response.status, 303, path);
      assert.equal(response.headers.get('location'), '/verification', path);
    }
  });

  it('completes a whole journey with FranceConnect sending the family back to the old /callback', async () => {
    const reference = await journeyOverHttp(appUrl, { siret: MAJASTRES, persona: 'angela', externalId: 'dossier-legacy' });
    assert.match(reference, /^[0-9A-F]{13}$/);
    const followUp = await get(`/collectivites/${MAJASTRES}/confirmation/${reference}`);
    assert.equal(followUp.headers.get('location'), `/suivi/${reference}`);
    assert.equal((await get(`/suivi/${reference}`)).status, 200);
  });

  it('answers the old logout callback as the new one does (without the state of our logout: refused)', async () => {
    const [old, current] = [await get('/logout-callback'), await get('/auth/franceconnect/logout-callback')];
    assert.equal(old.status, 400);
    assert.equal(current.status, 400);
  });
});
