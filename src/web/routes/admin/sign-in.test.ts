import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FranceConnectBrowser } from '../../../integrations/franceconnect/testing/login-as.ts';
import { AgentOverHttp, BACK_OFFICE } from '../../../../test/support/agent-over-http.ts';
import { ADMINISTRATOR, operatorSignedIn, READ_ONLY_OPERATOR } from '../../../../test/support/operator-over-http.ts';
import { freePort } from '../../../../test/support/ports.ts';
import { startTestService, type TestService } from '../../../../test/support/service.ts';

const MAJASTRES = '21040107100019';
const MINUTE = 60 * 1000;

/** The back office's ProConnect sign-in, over HTTP against the ProConnect stand-in: who gets in, for how long, and what they may do. */
describe('back office sign-in with ProConnect', () => {
  let test: TestService;
  /** The sessions' clock runs this far ahead of the real one (ProConnect's stays real). */
  let ahead = 0;
  before(async () => {
    test = await startTestService({ PROCONNECT_SIGN_IN_PER_MINUTE: '1000', RATE_LIMIT_PER_MINUTE: '10000' }, { now: () => new Date(Date.now() + ahead) });
  });
  after(() => test.stop());
  const cookieOf = (browser: AgentOverHttp) => /fqf_admin=([A-Za-z0-9_-]{43})/.exec(browser.jar.headerFor(new URL(test.appUrl)) ?? '')?.[1] ?? assert.fail('no session cookie');
  /** A request with nothing but this session cookie, as a stolen or kept cookie would be replayed. */
  const withCookie = (id: string, path: string) => fetch(new URL(path, test.appUrl), { headers: { cookie: `fqf_admin=${id}` }, redirect: 'manual' });

  it('lets an operator of the allowlist in with a new session id at every sign-in, journaled; the id opens nothing of the espace', async () => {
    const operator = await operatorSignedIn(test.appUrl);
    const first = cookieOf(operator);
    const page = await operator.request('/admin');
    assert.equal(page.status, 200);
    assert.match(page.html, /Connecté : Sacha LEROY/);
    assert.ok(!(operator.jar.headerFor(new URL(test.appUrl)) ?? '').includes('exploitation'), 'the cookie holds an opaque id only');

    // Signed in already, the sign-in page sends to /admin: a new sign-in starts from the token of an /admin page.
    assert.equal((await operator.request('/admin/connexion')).location, '/admin');
    const start = await operator.submit('/admin', '/admin/connexion');
    const again = await operator.request(await new FranceConnectBrowser().loginAs(ADMINISTRATOR, start.location ?? assert.fail('no redirection')));
    assert.equal(again.location, '/admin');
    const second = cookieOf(operator);
    assert.notEqual(second, first, 'a new id at the sign-in');
    assert.equal((await withCookie(first, '/admin')).status, 303, 'the previous id opens nothing');
    assert.equal((await withCookie(second, '/admin')).status, 200);
    // An operator's session is no agent's: the same id under the espace's cookie is no session there.
    const espace = await fetch(new URL('/espace/transmissions', test.appUrl), { headers: { cookie: `fqf_espace=${second}` }, redirect: 'manual' });
    assert.equal(espace.headers.get('location'), '/espace?session=expiree');

    const signIns = (await test.service.context.espace.journal.listOperators(50)).filter((e) => e.action === 'operator_sign_in');
    assert.ok(signIns.length >= 2);
    assert.deepEqual([signIns[0]?.actor, signIns[0]?.detail, signIns[0]?.siret], [ADMINISTRATOR, 'administrateur', null]);
  });

  it('refuses a ProConnect user off the allowlist with a 403 page saying whom to ask, and shows no admin data on any page', async () => {
    const agent = new AgentOverHttp(test.appUrl);
    const refused = await agent.signIn('secretariat@majastres.fr', BACK_OFFICE);
    assert.equal(refused.status, 403);
    assert.match(refused.html, /Vous n’êtes pas sur la liste des opérateurs/);
    assert.match(refused.html, /formulaire-qf@api\.gouv\.fr/);
    assert.match(refused.html, /<form method="post" action="\/admin\/deconnexion">/);
    for (const path of ['/admin', '/admin/collectivites', '/admin/transmissions', '/admin/journal', `/admin/collectivites/${MAJASTRES}/agents`]) {
      const answer = await agent.request(path);
      assert.equal(answer.status, 403, path);
      assert.ok(!answer.html.includes('Chiffres du service') && !answer.html.includes('Majastres'), path);
    }
    const token = await agent.csrf('/admin');
    assert.equal((await agent.request(`/admin/collectivites/${MAJASTRES}/etat`, { _csrf: token, etat: 'inactive' })).status, 403);
    assert.ok(await test.service.context.collectivities.findActiveBySiret(MAJASTRES), 'still active');
    const entry = (await test.service.context.espace.journal.listOperators(50)).find((e) => e.action === 'operator_sign_in_refused');
    assert.equal(entry?.actor, 'secretariat@majastres.fr');
  });

  it('lets a read-only operator see the figures and the failures but refuses every change with a 403', async () => {
    const reader = await operatorSignedIn(test.appUrl, READ_ONLY_OPERATOR);
    const list = await reader.request('/admin/collectivites?q=majastres');
    assert.equal(list.status, 200);
    assert.match(list.html, /accès en lecture seule/);
    for (const path of ['/admin', '/admin/transmissions', '/admin/raccordements', '/admin/webhooks', '/admin/file-de-travaux', '/admin/journal']) {
      assert.equal((await reader.request(path)).status, 200, path);
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(list.html)?.[1] ?? assert.fail('no CSRF token');
    const changes: [string, Record<string, string>][] = [
      [`/admin/collectivites/${MAJASTRES}/etat`, { etat: 'inactive' }],
      ['/admin/transmissions/ABCDEF0123456/relancer', {}],
      ['/admin/raccordements/1/relancer', {}],
      ['/admin/webhooks', { siret: MAJASTRES, url: 'https://example.org/hook', events: 'transmission.sent' }],
      [`/admin/collectivites/${MAJASTRES}/agents`, { email: 'intrus@majastres.fr', role: 'administrateur' }],
    ];
    for (const [path, fields] of changes) {
      const answer = await reader.request(path, { _csrf: token, ...fields });
      assert.equal(answer.status, 403, path);
      assert.match(answer.html, /lecture seule/, path);
    }
    assert.ok(await test.service.context.collectivities.findActiveBySiret(MAJASTRES), 'still active');
    assert.equal(await test.service.context.espace.agents.findByEmail(MAJASTRES, 'intrus@majastres.fr'), null);
    assert.deepEqual(await test.service.context.webhooks.listEndpoints(), []);
  });

  it('refuses a change without the CSRF token, and a sign-in started without it', async () => {
    const operator = await operatorSignedIn(test.appUrl);
    const refused = await operator.request(`/admin/collectivites/${MAJASTRES}/etat`, { etat: 'inactive' });
    assert.equal(refused.status, 403);
    const forged = await operator.request(`/admin/collectivites/${MAJASTRES}/etat`, { _csrf: 'faux-jeton', etat: 'inactive' });
    assert.equal(forged.status, 403);
    assert.ok(await test.service.context.collectivities.findActiveBySiret(MAJASTRES), 'still active');
    const start = await new AgentOverHttp(test.appUrl).request('/admin/connexion', {});
    assert.equal(start.status, 403);
    assert.equal(start.location, null, 'not sent to ProConnect');
  });

  it('ends a session after 30 minutes without a request, and 8 hours after the sign-in however busy', async () => {
    const idle = await operatorSignedIn(test.appUrl);
    ahead += 29 * MINUTE;
    assert.equal((await idle.request('/admin')).status, 200, 'within 30 minutes');
    ahead += 31 * MINUTE;
    const expired = await idle.request('/admin');
    assert.equal(expired.status, 303);
    assert.equal(expired.location, '/admin/connexion?session=expiree');
    assert.match((await idle.request('/admin/connexion?session=expiree')).html, /Votre session a expiré/);

    const busy = await operatorSignedIn(test.appUrl);
    const signedInAt = ahead;
    for (let minutes = 25; minutes < 8 * 60; minutes += 25) {
      ahead = signedInAt + minutes * MINUTE;
      assert.equal((await busy.request('/admin/transmissions')).status, 200, `still open after ${minutes} minutes of activity`);
    }
    ahead = signedInAt + 8 * 60 * MINUTE + 1000;
    assert.equal((await busy.request('/admin/transmissions')).location, '/admin/connexion?session=expiree');
  });

  it('logs out for real: our session destroyed, then ProConnect’s end-session with id_token_hint and state, checked on return', async () => {
    const operator = await operatorSignedIn(test.appUrl);
    const id = cookieOf(operator);
    const out = await operator.submit('/admin', '/admin/deconnexion');
    assert.equal(out.status, 303);
    const endSession = new URL(out.location ?? assert.fail('no redirection'));
    assert.equal(endSession.origin, test.sandboxUrl);
    assert.ok(endSession.searchParams.get('id_token_hint'), 'id_token_hint');
    const state = endSession.searchParams.get('state') ?? assert.fail('no state');
    assert.equal(endSession.searchParams.get('post_logout_redirect_uri'), `${test.appUrl}/admin/deconnexion/retour`);
    assert.equal((await withCookie(id, '/admin')).status, 303, 'the old cookie no longer opens /admin, before ProConnect even answers');

    const landing = await operator.proConnect.logout(endSession);
    assert.equal(landing.searchParams.get('state'), state);
    const back = await operator.request(landing);
    assert.equal(back.status, 303);
    assert.equal(back.location, '/admin/deconnecte');
    const page = await operator.request('/admin/deconnecte');
    assert.equal(page.status, 200);
    assert.match(page.html, /Vous êtes déconnecté du back office/);
    assert.equal((await operator.request('/admin')).location, '/admin/connexion', 'signed out');
    assert.equal((await withCookie(id, '/admin')).status, 303);
    const entry = (await test.service.context.espace.journal.listOperators(50)).find((e) => e.action === 'operator_sign_out');
    assert.equal(entry?.actor, ADMINISTRATOR);

    // A return whose state is not the one we sent: said so, without claiming ProConnect's session ended.
    const forged = await operator.request(`/admin/deconnexion/retour?state=${'x'.repeat(32)}`);
    assert.equal(forged.status, 400);
    assert.match(forged.html, /Déconnexion à vérifier/);
  });

  it('answers a forged or replayed callback with a clear page, never a 500', async () => {
    const browser = new AgentOverHttp(test.appUrl);
    const replay = await browser.request('/admin/connexion/retour?code=volé&state=inventé');
    assert.equal(replay.status, 400);
    assert.match(replay.html, /La connexion a expiré/);
    const start = await browser.submit('/admin/connexion', '/admin/connexion');
    const mismatch = await browser.request(`/admin/connexion/retour?code=x&state=${new URL(start.location ?? '').searchParams.get('state')}x`);
    assert.equal(mismatch.status, 400);
  });
});

describe('back office sign-in when ProConnect does not answer', () => {
  let test: TestService;
  before(async () => {
    // Nothing listens there: the discovery fails as an outage would.
    test = await startTestService({ PROCONNECT_ISSUER: `http://127.0.0.1:${await freePort()}/api/v2` });
  });
  after(() => test.stop());

  it('says so in French with a 503, and counts it as nobody’s failed attempt', async () => {
    const browser = new AgentOverHttp(test.appUrl);
    for (let i = 0; i < 3; i++) {
      const answer = await browser.submit('/admin/connexion', '/admin/connexion');
      assert.equal(answer.status, 503);
      assert.match(answer.html, /ProConnect ne répond pas/);
    }
    assert.ok(!test.logs.join('').includes('"event":"auth.failed"'), 'an outage is no failed sign-in');
  });
});
