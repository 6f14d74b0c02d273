import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { AgentOverHttp } from '../../../../test/support/agent-over-http.ts';
import { operatorSignedIn } from '../../../../test/support/operator-over-http.ts';
import { startTestService, type TestService } from '../../../../test/support/service.ts';

const MAJASTRES = '21040107100019';
const BELLEY = '21010034300016';
const API_TOKEN = 'local-only-api-token-do-not-use-in-production-0123456789';
const HOUR = 3600 * 1000;

describe('operator back office', () => {
  let test: TestService;
  let operator: AgentOverHttp;
  /** The administrator's browser, signed in through the ProConnect stand-in (or a browser without a session). */
  const visit = async (path: string, options: { form?: Record<string, string>; signedIn?: boolean } = {}) => {
    const browser = options.signedIn === false ? new AgentOverHttp(test.appUrl) : operator;
    return browser.request(path, options.form);
  };
  const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? assert.fail('no CSRF token');

  /** A shipment sent `sentHoursAgo` hours ago, then moved by the commune through `actions` (status, hours after sending). */
  const seedShipment = async (reference: string, siret: string, sentAt: Date, actions: [string, number][], status = 'SENT') => {
    const k = test.service.context.db.kysely;
    const finalStatus = (actions.at(-1)?.[0] ?? status) as 'SENT';
    await k
      .insertInto('shipments')
      .values({ reference, collectivity_siret: siret, external_id: null, status: finalStatus, payload: null, give_up_at: new Date(sentAt.getTime() + 24 * HOUR), created_at: new Date(sentAt.getTime() - 1000), sent_at: sentAt })
      .execute();
    await k.insertInto('shipment_status_history').values({ reference, status: 'pending', at: new Date(sentAt.getTime() - 1000) }).execute();
    await k.insertInto('shipment_status_history').values({ reference, status: 'SENT', at: sentAt }).execute();
    for (const [s, hours] of actions) await k.insertInto('shipment_status_history').values({ reference, status: s as 'SENT', at: new Date(sentAt.getTime() + hours * HOUR) }).execute();
  };

  before(async () => {
    test = await startTestService({ RATE_LIMIT_PER_MINUTE: '10000' });
    operator = await operatorSignedIn(test.appUrl);
  });
  after(async () => {
    await test?.stop();
  });

  it('sends to the sign-in every page without a session, changes nothing, and refuses /metrics without the API token', async () => {
    for (const path of ['/admin', '/admin/collectivites', '/admin/transmissions', '/admin/raccordements', '/admin/webhooks', '/admin/file-de-travaux', '/admin/journal', `/admin/collectivites/${MAJASTRES}/agents`]) {
      const response = await visit(path, { signedIn: false });
      assert.equal(response.status, 303, path);
      assert.equal(response.location, '/admin/connexion', path);
      assert.ok(!response.html.includes('Chiffres du service'));
    }
    const post = await visit(`/admin/collectivites/${MAJASTRES}/etat`, { signedIn: false, form: { etat: 'inactive' } });
    assert.equal(post.status, 303);
    assert.equal(post.location, '/admin/connexion');
    assert.ok(await test.service.context.collectivities.findActiveBySiret(MAJASTRES), 'still active');
    const signInPage = await visit('/admin/connexion', { signedIn: false });
    assert.equal(signInPage.status, 200);
    assert.match(signInPage.html, /<form method="post" action="\/admin\/connexion">/);
    for (const authorization of [null, `Basic ${Buffer.from('operateur:local-only-admin-password').toString('base64')}`, 'Bearer faux']) {
      const metrics = await fetch(`${test.appUrl}/metrics`, { headers: authorization ? { authorization } : {} });
      assert.equal(metrics.status, 401, String(authorization));
      await metrics.text();
    }
  });

  it('lets the operator in, and /metrics with the API token', async () => {
    const page = await visit('/admin');
    assert.equal(page.status, 200);
    assert.match(page.html, /Chiffres du service/);
    assert.match(page.html, /Connecté : Sacha LEROY \(exploitation@formulaire-qf.beta.gouv.fr\), administrateur/);
    assert.match(page.html, /<form method="post" action="\/admin\/deconnexion">/);
    assert.equal(page.headers.get('x-robots-tag'), 'noindex, nofollow');
    const metrics = await fetch(`${test.appUrl}/metrics`, { headers: { authorization: `Bearer ${API_TOKEN}` } });
    assert.equal(metrics.status, 200);
    assert.match(metrics.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  });

  it('computes the figures of a period from the counters and the shipments, with the median time to the commune’s first action', async () => {
    const k = test.service.context.db.kysely;
    const day = new Date('2024-03-12T10:00:00Z');
    const counts: [string, string, string, number][] = [
      ['journey.started', MAJASTRES, '', 7],
      ['journey.started', BELLEY, '', 2],
      ['franceconnect.login_succeeded', MAJASTRES, '', 6],
      ['franceconnect.login_refused', MAJASTRES, 'access_denied', 1],
      ['qf.fetched', MAJASTRES, '', 4],
      ['qf.not_found', MAJASTRES, '35003', 1],
      ['qf.failed', MAJASTRES, '37999', 1],
      ['upstream.failed', '', 'api_particulier', 1],
      ['upstream.failed', '', 'hubee', 3],
      ['transmission.sent', MAJASTRES, '', 4],
    ];
    for (const [kind, siret, code, count] of counts) await k.insertInto('metric_counts').values({ kind, collectivity_siret: siret, code, hour: day, count }).execute();
    // Outside the period: not counted.
    await k.insertInto('metric_counts').values({ kind: 'journey.started', collectivity_siret: MAJASTRES, code: '', hour: new Date('2024-04-02T10:00:00Z'), count: 100 }).execute();

    // First actions 1 h, 3 h (then more) and 10 h after sending; one never acted on: the median is 3 h.
    const sent = new Date('2024-03-12T08:00:00Z');
    await seedShipment('AAAAAAAAAAAA1', MAJASTRES, sent, [['SI_RECEIVED', 1]]);
    await seedShipment('AAAAAAAAAAAA2', MAJASTRES, sent, [['IN_PROGRESS', 3], ['DONE', 5]]);
    await seedShipment('AAAAAAAAAAAA3', MAJASTRES, sent, [['REFUSED', 10]]);
    await seedShipment('AAAAAAAAAAAA4', BELLEY, sent, []);

    const page = await visit('/admin?du=2024-03-01&au=2024-03-31');
    assert.equal(page.status, 200);
    const text = page.html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    assert.match(text, /Démarches commencées \(bouton FranceConnect\) 9 /);
    assert.match(text, /Connexions FranceConnect réussies 6 /);
    assert.match(text, /QF introuvables 1 /);
    assert.match(text, /35003 – ni la CAF ni la MSA ne connaît la personne 1/, 'the code with its meaning');
    assert.match(text, /37999 1/);
    assert.match(text, /HubEE 3/);
    assert.match(text, /Délai médian entre l’envoi et la première action de la collectivité : 3 h 0 min \(sur 3 transmissions/);
    assert.match(text, /Majastres 21040107100019 7 3 3/, 'per collectivity: journeys started, shipments, sent');
    assert.match(text, /refusée \(REFUSED\) 1/);

    // Charts: inline SVG images with their text alternative, no style attribute (the CSP forbids them).
    const charts = page.html.match(/<svg role="img"[\s\S]*?<\/svg>/g) ?? [];
    assert.ok(charts.length >= 5, `${charts.length} charts`);
    assert.match(page.html, /<title id="graphique-demarches-titre">Démarches commencées par jour — 9 au total, du 2024-03-01 au 2024-03-31/, "every day of the period, zero-filled");
    assert.ok(charts.some((svg) => /<rect [^>]*fill="#000091"/.test(svg)));
    assert.ok(!/style=/.test(page.html));
    assert.ok(!/<script(?![^>]*src="\/dsfr\/)/.test(page.html));
  });

  it('refuses an invalid period with a 400 page that says so', async () => {
    const page = await visit('/admin?du=2024-03-31&au=2024-03-01');
    assert.equal(page.status, 400);
    assert.match(page.html, /Période invalide/);
  });

  it('deactivates then reactivates a collectivity, with the CSRF token', async () => {
    const list = await visit('/admin/collectivites?q=majastres');
    assert.equal(list.status, 200);
    assert.match(list.html, /Majastres/);
    assert.equal((await visit(`/admin/collectivites/${MAJASTRES}/etat`, { form: { etat: 'inactive' } })).status, 403, 'no CSRF token');
    const done = await visit(`/admin/collectivites/${MAJASTRES}/etat`, { form: { _csrf: csrfOf(list.html), etat: 'inactive', retour: 'q=majastres' } });
    assert.equal(done.status, 303);
    assert.equal(await test.service.context.collectivities.findActiveBySiret(MAJASTRES), null);
    assert.match(done.location ?? '', /^\/admin\/collectivites\?q=majastres&fait=/);
    const inactive = await visit(done.location ?? '');
    assert.match(inactive.html, /Collectivité 21040107100019 désactivée/);
    await visit(`/admin/collectivites/${MAJASTRES}/etat`, { form: { _csrf: csrfOf(inactive.html), etat: 'active' } });
    assert.ok(await test.service.context.collectivities.findActiveBySiret(MAJASTRES));
    // Both changes are journaled under the operator's e-mail, and shown on the journal's page.
    const changes = (await test.service.context.espace.journal.listOperators(10)).filter((e) => e.action === 'collectivity_status_changed');
    assert.deepEqual(changes.map((e) => [e.actor, e.siret, e.detail]), [['exploitation@formulaire-qf.beta.gouv.fr', MAJASTRES, 'active'], ['exploitation@formulaire-qf.beta.gouv.fr', MAJASTRES, 'inactive']]);
    const journal = await visit('/admin/journal');
    assert.match(journal.html, /changement d’état d’une collectivité/);
  });

  it('shows in the success banner only the messages it wrote itself, never text from the address', async () => {
    const phishing = 'Votre session a expiré : appelez le 01 23 45 67 89 pour la réactiver';
    for (const path of ['/admin/collectivites', '/admin/transmissions', '/admin/raccordements', '/admin/webhooks']) {
      for (const query of [new URLSearchParams({ fait: phishing }), new URLSearchParams({ fait: 'collectivite-activee', objet: phishing }), new URLSearchParams({ fait: 'constructor' })]) {
        const page = await visit(`${path}?${query}`);
        assert.equal(page.status, 200, path);
        assert.ok(!page.html.includes('appelez le 01'), `${path}?${query}`);
        assert.doesNotMatch(page.html, /fr-alert--success/, `${path}?${query}`);
      }
    }
    const genuine = await visit(`/admin/transmissions?${new URLSearchParams({ fait: 'transmission-relancee', objet: 'ABCDEF0123456' })}`);
    assert.match(genuine.html, /Transmission ABCDEF0123456 relancée\./);
  });

  it('lists pending and failed transmissions without personal data, and retries a pending one now', async () => {
    const k = test.service.context.db.kysely;
    await k
      .insertInto('shipments')
      .values({ reference: 'BBBBBBBBBBBB1', collectivity_siret: BELLEY, external_id: 'DOSSIER-CONFIDENTIEL', status: 'failed', payload: null, give_up_at: new Date(), attempts: 9, last_error: 'HubeeError: 503' })
      .execute();
    // Pending, its next attempt in an hour; it cannot be decrypted, so the retry will fail again: what matters is that it ran.
    await k
      .insertInto('shipments')
      .values({ reference: 'BBBBBBBBBBBB2', collectivity_siret: BELLEY, external_id: null, status: 'pending', payload: new Uint8Array([1, 2, 3]), give_up_at: new Date(Date.now() + 24 * HOUR), next_attempt_at: new Date(Date.now() + HOUR), attempts: 2, last_error: 'timeout' })
      .execute();
    const page = await visit('/admin/transmissions');
    assert.match(page.html, /BBBBBBBBBBBB1/);
    assert.match(page.html, /HubeeError: 503/);
    assert.ok(!page.html.includes('DOSSIER-CONFIDENTIEL'), 'the commune’s file number is not shown');
    assert.equal((page.html.match(/>Relancer<\/button>/g) ?? []).length, 1, 'only the pending one can be retried');

    const retried = await visit('/admin/transmissions/BBBBBBBBBBBB2/relancer', { form: { _csrf: csrfOf(page.html) } });
    assert.equal(retried.status, 303);
    assert.ok((await test.service.context.espace.journal.listOperators(10)).some((e) => e.action === 'shipment_retried' && e.target === 'BBBBBBBBBBBB2'), 'journaled');
    const deadline = Date.now() + 10_000;
    let attempts = 2;
    while (Date.now() < deadline && attempts === 2) {
      await new Promise((r) => setTimeout(r, 200));
      attempts = (await test.service.context.shipments.find('BBBBBBBBBBBB2'))?.attempts ?? 2;
    }
    assert.equal(attempts, 3, 'the transmission was attempted again at once');
  });

  it('shows the onboardings and the job queue', async () => {
    assert.match((await visit('/admin/raccordements')).html, /Raccordements DataPass/);
    const queue = await visit('/admin/file-de-travaux');
    assert.match(queue.html, /Travaux par file et par état/);
    assert.match(queue.html, /Derniers travaux en échec/);
  });

  it('publishes request, event, upstream and queue metrics in Prometheus format', async () => {
    await fetch(`${test.appUrl}/collectivites/${BELLEY}`);
    const body = await (await fetch(`${test.appUrl}/metrics`, { headers: { authorization: `Bearer ${API_TOKEN}` } })).text();
    assert.match(body, /^# HELP formulaire_qf_http_requests_total /m);
    assert.match(body, /formulaire_qf_http_requests_total\{method="GET",route="\/collectivites\/:siret",status="200"\} \d+/);
    assert.match(body, /formulaire_qf_http_request_duration_seconds_bucket\{method="GET",route="\/collectivites\/:siret",status="200",le="\+Inf"\} \d+/);
    assert.match(body, /formulaire_qf_events_total\{kind="page.viewed",code="collectivity"\} \d+/);
    assert.match(body, /formulaire_qf_upstream_calls_total\{system="hubee",outcome="success"\} \d+/);
    assert.match(body, /formulaire_qf_shipments\{status="failed"\} 1/);
    assert.match(body, /formulaire_qf_queue_jobs\{queue="transmit-shipment",state="\w+"\} \d+/);
    assert.match(body, /process_resident_memory_bytes \d+/);
    assert.ok(!body.includes(BELLEY), 'no SIRET as a label');
  });
});
