import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { journeyOverHttp } from '../support/http-journey.ts';
import { startTestService, type TestService } from '../support/service.ts';
import { AgentOverHttp } from '../support/agent-over-http.ts';

const MAJASTRES = '21040107100019';
const BELLEY = '21010034300016';
/** Enough for the sign-ins of this file; the last test then reaches it. */
const SIGN_IN_LIMIT = 60;

/** The espace collectivité over HTTP: who gets in, who is refused and why, and that no commune sees another's data. */
describe('espace collectivité over HTTP', () => {
  let test: TestService;
  let reference: string;
  before(async () => {
    test = await startTestService({ PROCONNECT_SIGN_IN_PER_MINUTE: String(SIGN_IN_LIMIT) });
    reference = await journeyOverHttp(test.appUrl, { siret: MAJASTRES, persona: 'angela', externalId: 'MAJ-DOSSIER-77' });
  });
  after(() => test.stop());

  it('lets the administrator of Majastres in and shows Majastres’ transmissions, in the page and the CSV', async () => {
    const agent = new AgentOverHttp(test.appUrl);
    const back = await agent.signIn('secretariat@majastres.fr');
    assert.equal(back.status, 303);
    assert.equal(back.location, '/espace/transmissions');
    const page = await agent.request('/espace/transmissions');
    assert.equal(page.status, 200);
    assert.ok(page.html.includes(reference));
    assert.ok(page.html.includes('MAJ-DOSSIER-77'));
    const csv = await agent.request('/espace/transmissions.csv');
    assert.equal(csv.status, 200);
    assert.match(csv.contentType, /^text\/csv/);
    assert.ok(csv.html.includes(reference));
    // The session cookie holds an opaque id only.
    const cookie = agent.jar.headerFor(new URL(test.appUrl)) ?? '';
    assert.match(cookie, /fqf_espace=[A-Za-z0-9_-]{43}(;|$)/);
    assert.ok(!cookie.includes('majastres'));
  });

  it('never shows Majastres’ data to an agent of Belley, whatever the URL', async () => {
    const majastres = new AgentOverHttp(test.appUrl);
    await majastres.signIn('secretariat@majastres.fr');
    const majastresAgents = await majastres.request('/espace/agents');
    const majastresAgentId = /\/espace\/agents\/([0-9a-f-]{36})\/retirer/.exec(majastresAgents.html)?.[1];
    assert.ok(majastresAgentId, 'an agent id of Majastres');

    const belley = new AgentOverHttp(test.appUrl);
    assert.equal((await belley.signIn('enfance@belley.fr')).status, 303);
    const hostile = `siret=${MAJASTRES}&collectivite=${MAJASTRES}&reference=${reference}&id=${majastresAgentId}`;
    const gets = [
      '/espace', '/espace/transmissions', '/espace/transmissions.csv', '/espace/kit', '/espace/kit/qr.svg', '/espace/parametres',
      '/espace/chiffres', '/espace/agents', `/espace/transmissions/${reference}`, `/espace/${MAJASTRES}/transmissions`,
    ];
    for (const path of gets) {
      for (const url of [path, `${path}?${hostile}`, `${path}?statut=SENT&du=2020-01-01&au=2030-01-01&${hostile}`]) {
        const answer = await belley.request(url);
        assert.ok(answer.status < 500, `${url}: ${answer.status}`);
        assert.ok(!answer.html.includes(reference), `${url} shows Majastres' reference`);
        assert.ok(!answer.html.includes('MAJ-DOSSIER-77'), `${url} shows Majastres' external_id`);
        assert.ok(!answer.html.includes('secretariat@majastres.fr'), `${url} shows Majastres' agent`);
        assert.ok(!/Majastres/.test(answer.html), `${url} names Majastres`);
      }
    }
    // The downloads (QR codes, poster, the Mise à jour template) are Belley's own, whatever the query names.
    for (const suffix of ['', `?${hostile}`]) {
      const poster = await belley.request(`/espace/kit/affiche.pdf${suffix}`);
      assert.equal(poster.status, 200);
      assert.equal(poster.body.subarray(0, 5).toString('latin1'), '%PDF-');
      assert.match(poster.headers.get('content-disposition') ?? '', new RegExp(`affiche-${BELLEY}\\.pdf`));
      const posterText = execFileSync('pdftotext', ['-', '-'], { input: poster.body, encoding: 'utf8' });
      assert.match(posterText, /Belley/);
      assert.ok(!/Majastres/.test(posterText), 'the poster names Majastres');
      assert.ok(!posterText.includes(MAJASTRES), 'the poster carries Majastres’ SIRET');
      const png = await belley.request(`/espace/kit/qr.png${suffix}`);
      assert.equal(png.body.subarray(1, 4).toString('latin1'), 'PNG');
      assert.match(png.headers.get('content-disposition') ?? '', new RegExp(`qr-code-${BELLEY}\\.png`));
      const svg = await belley.request(`/espace/kit/qr.svg${suffix}`);
      assert.match(svg.headers.get('content-disposition') ?? '', new RegExp(`qr-code-${BELLEY}\\.svg`));
      // The QR code draws the link to Belley's form: same drawing as for Belley without any query.
      assert.deepEqual(svg.body, (await belley.request('/espace/kit/qr.svg')).body);
      const template = await belley.request(`/espace/mise-a-jour/modele.csv${suffix}`);
      assert.equal(template.status, 200);
      assert.ok(!/Majastres/i.test(template.html) && !template.html.includes(MAJASTRES), 'the template names Majastres');
    }
    const majastresQr = await majastres.request('/espace/kit/qr.svg');
    assert.notDeepEqual(majastresQr.body, (await belley.request('/espace/kit/qr.svg')).body, 'each commune has its own QR code');

    // Majastres' agents cannot be reached through Belley's session.
    const token = await belley.csrf('/espace/agents');
    for (const action of [`/espace/agents/${majastresAgentId}/retirer`, `/espace/agents/${majastresAgentId}/role`]) {
      const answer = await belley.request(action, { _csrf: token, role: 'agent' });
      assert.equal(answer.status, 404, action);
    }
    assert.ok((await majastres.request('/espace/agents')).html.includes('secretariat@majastres.fr'), 'Majastres’ administrator is still there');

    // Belley's settings change Belley only.
    const saved = await belley.submit('/espace/parametres', '/espace/parametres/contact', { service_name: 'Service enfance de Belley', phone: '04 79 81 00 00' });
    assert.equal(saved.status, 303);
    assert.ok(!(await majastres.request('/espace/parametres')).html.includes('Service enfance de Belley'));
    assert.ok((await belley.request(`/collectivites/${BELLEY}`)).html.includes('Service enfance de Belley'));
    assert.ok(!(await belley.request(`/collectivites/${MAJASTRES}`)).html.includes('Service enfance de Belley'));
  });

  it('refuses everyone else with a page that says why and whom to ask, never a 500', async () => {
    const cases: [string, RegExp][] = [
      ['accueil@majastres.fr', /pas sur la liste des agents de Majastres[\s\S]*Demandez à un administrateur/],
      ['periscolaire@strasbourg.eu', /Strasbourg n’utilise plus Formulaire QF[\s\S]*DataPass/],
      ['agent@numerique.gouv.fr', /Votre organisation n’utilise pas Formulaire QF[\s\S]*reconnectez-vous/],
      ['contact@boulangerie-exemple.fr', /réservé aux collectivités[\s\S]*ni une administration ni un éditeur/],
      ['exploitation@formulaire-qf.beta.gouv.fr', /Votre organisation n’utilise pas Formulaire QF/],
    ];
    for (const [email, message] of cases) {
      const agent = new AgentOverHttp(test.appUrl);
      const answer = await agent.signIn(email);
      assert.equal(answer.status, 403, email);
      assert.match(answer.html, message, email);
      // Every page of the espace stays closed, and the logout works.
      for (const path of ['/espace/transmissions', '/espace/transmissions.csv', '/espace/kit/affiche.pdf', '/espace/agents']) {
        assert.equal((await agent.request(path)).status, 403, `${email} ${path}`);
      }
      const out = await agent.submit('/espace/transmissions', '/espace/deconnexion');
      assert.equal(out.status, 303);
      assert.ok(out.location?.includes('/proconnect/api/v2/session/end'));
    }
  });

  it('sends a visitor without a session to the sign-in page; a cancelled or replayed login gets a clear page', async () => {
    const visitor = new AgentOverHttp(test.appUrl);
    for (const path of ['/espace/transmissions', '/espace/kit/qr.png', '/espace/agents']) {
      const answer = await visitor.request(path);
      assert.equal(answer.status, 303, path);
      assert.equal(answer.location, '/espace');
    }
    const signInPage = await visitor.request('/espace');
    assert.ok(signInPage.html.includes('class="fr-connect fr-connect--pro"'));
    assert.ok(signInPage.html.includes('Qu’est-ce que ProConnect ?'));

    const start = await visitor.submit('/espace', '/espace/connexion');
    const cancelled = await visitor.request(await visitor.proConnect.cancelLogin(start.location ?? ''));
    assert.equal(cancelled.status, 400);
    assert.match(cancelled.html, /Connexion annulée/);

    const again = await visitor.submit('/espace', '/espace/connexion');
    const callback = await new AgentOverHttp(test.appUrl).proConnect.loginAs('secretariat@majastres.fr', again.location ?? '');
    const stranger = new AgentOverHttp(test.appUrl);
    const replayed = await stranger.request(callback);
    assert.equal(replayed.status, 400, 'a callback without our login cookie');
    assert.match(replayed.html, /La connexion a expiré/);
  });

  it('refuses a form without its CSRF token, and the Agents page to a plain agent', async () => {
    const admin = new AgentOverHttp(test.appUrl);
    await admin.signIn('secretariat@majastres.fr');
    assert.equal((await admin.request('/espace/agents', { email: 'x@majastres.fr', role: 'agent' })).status, 403);
    assert.equal((await admin.request('/espace/parametres/retours', { prefixes: 'https://evil.example/' })).status, 403);

    const added = await admin.submit('/espace/agents', '/espace/agents', { email: 'Accueil@Majastres.fr', role: 'agent' });
    assert.equal(added.status, 303);
    const plain = new AgentOverHttp(test.appUrl);
    assert.equal((await plain.signIn('accueil@majastres.fr')).status, 303);
    assert.equal((await plain.request('/espace/transmissions')).status, 200);
    assert.equal((await plain.request('/espace/agents')).status, 403);
    assert.equal((await plain.submit('/espace/parametres', '/espace/parametres/retours', { prefixes: 'https://evil.example/' })).status, 403);

    // Removed by the administrator: refused at the very next request.
    const list = await admin.request('/espace/agents');
    const id = new RegExp(`accueil@majastres\\.fr[\\s\\S]*?/espace/agents/([0-9a-f-]{36})/retirer`).exec(list.html)?.[1];
    assert.ok(id);
    assert.equal((await admin.submit('/espace/agents', `/espace/agents/${id}/retirer`)).status, 303);
    const after = await plain.request('/espace/transmissions');
    assert.equal(after.status, 403);
    assert.match(after.html, /pas sur la liste/);
  });

  it('checks return links as the allowlist does, and bad input gets a 4xx page', async () => {
    const admin = new AgentOverHttp(test.appUrl);
    await admin.signIn('secretariat@majastres.fr');
    for (const bad of ['http://portail.majastres.fr/', 'javascript:alert(1)', 'https://portail.majastres.fr/retour?x=1', 'https://user@evil.example/', 'https:\\\\evil.example']) {
      const answer = await admin.submit('/espace/parametres', '/espace/parametres/retours', { prefixes: bad });
      assert.equal(answer.status, 400, bad);
    }
    const ok = await admin.submit('/espace/parametres', '/espace/parametres/retours', { prefixes: 'https://portail.majastres.fr/retour' });
    assert.equal(ok.status, 303);
    const built = await admin.request('/espace/kit?external_id=F-1&redirect_uri=https%3A%2F%2Fportail.majastres.fr%2Fretour%2Fdossier');
    assert.ok(built.html.includes(`/collectivites/${MAJASTRES}?external_id=F-1&amp;redirect_uri=https%3A%2F%2Fportail.majastres.fr%2Fretour%2Fdossier`));
    assert.equal((await admin.request('/espace/kit?redirect_uri=https%3A%2F%2Fevil.example%2F')).status, 400);
    assert.equal((await admin.request('/espace/transmissions?du=2026-13-45')).status, 400);
    assert.equal((await admin.request('/espace/transmissions.csv?statut=nope')).status, 400);
    assert.equal((await admin.request('/espace/agents/not-an-id/retirer', { _csrf: await admin.csrf('/espace/agents') })).status, 404);
    const invalid = await admin.submit('/espace/parametres', '/espace/parametres/contact', { email: 'not an e-mail', phone: 'call me' });
    assert.equal(invalid.status, 400);
    assert.match(invalid.html, /L’adresse e-mail n’est pas valide/);
  });

  it('sends a test dossier from the Transmissions page: its own commune only, listed as Test, journaled, not counted', async () => {
    const belley = new AgentOverHttp(test.appUrl);
    await belley.signIn('enfance@belley.fr');
    const page = await belley.request('/espace/transmissions');
    assert.match(page.html, /Envoyer un dossier de test/);
    // Whatever the form says, the dossier goes to the session's commune.
    const sent = await belley.submit('/espace/transmissions', '/espace/dossier-de-test', { siret: MAJASTRES });
    assert.equal(sent.status, 303);
    const reference = /test=([0-9A-F]{13})$/.exec(sent.location ?? '')?.[1];
    assert.ok(reference, sent.location ?? 'no location');
    const shipment = await test.service.context.shipments.find(reference);
    assert.deepEqual([shipment?.collectivitySiret, shipment?.isTest], [BELLEY, true]);
    const after = await belley.request(`/espace/transmissions?test=${reference}`);
    assert.match(after.html, new RegExp(`Dossier de test ${reference} envoyé`));
    assert.match(after.html, new RegExp(`${reference}\\s*<p class="fr-badge[^"]*">Test</p>`));
    assert.match(after.html, /Sur la période : 0 transmission</);
    const csv = await belley.request('/espace/transmissions.csv');
    assert.match(csv.html, new RegExp(`${reference},DOSSIER-DE-TEST,.*,oui,[^,\\r\\n]*\\r\\n`));
    const journal = await test.service.context.espace.journal.list(BELLEY, 50);
    assert.ok(journal.some((e) => e.action === 'test_dossier_sent' && e.target === reference && e.actor === 'enfance@belley.fr'), 'journaled');
    const majastres = new AgentOverHttp(test.appUrl);
    await majastres.signIn('secretariat@majastres.fr');
    assert.equal((await majastres.request('/espace/transmissions')).html.includes(reference), false, 'never in another commune’s list');
    assert.equal((await belley.request('/espace/dossier-de-test', { siret: BELLEY })).status, 403, 'no CSRF token, no dossier');
  });

  it('limits sign-ins per address with a clear page (429), never a 500', async () => {
    const agent = new AgentOverHttp(test.appUrl);
    const token = await agent.csrf('/espace');
    let answer = await agent.request('/espace/connexion', { _csrf: token });
    for (let attempt = 0; attempt <= SIGN_IN_LIMIT && answer.status !== 429; attempt++) answer = await agent.request('/espace/connexion', { _csrf: token });
    assert.equal(answer.status, 429);
    assert.match(answer.html, /<html lang="fr"/);
  });

  it('writes no agent’s e-mail or name in the logs', () => {
    const logs = test.logs.join('');
    for (const secret of ['secretariat@majastres.fr', 'enfance@belley.fr', 'accueil@majastres.fr', 'dev@octo.com', 'Camille', 'MARTIN']) {
      assert.ok(!logs.includes(secret), secret);
    }
  });
});
