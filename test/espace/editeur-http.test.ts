import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { verifyWebhook } from '../../src/webhooks/signature.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../src/webhooks/testing/receiver.ts';
import { AgentOverHttp } from '../support/agent-over-http.ts';
import { operatorSignedIn, READ_ONLY_OPERATOR } from '../support/operator-over-http.ts';
import { startTestService, type TestService } from '../support/service.ts';
import { sentCaseId } from '../support/sent-case.ts';
import { communeInbox } from '../e2e/support/commune-inbox.ts';

const MAJASTRES = '21040107100019';
const BELLEY = '21010034300016';
const MELGVEN = '21290146600012';
const OCTO = '41816609600069';

const keyIn = (html: string) => /fqf_live_[a-z0-9]{8}_[A-Za-z0-9_-]{43}/.exec(html)?.[0] ?? null;

/** The espace éditeur and the keys and webhooks pages of both spaces over HTTP, without JavaScript. */
describe('espace éditeur, keys and webhooks pages over HTTP', () => {
  let test: TestService;
  let receiver: WebhookReceiver;
  before(async () => {
    test = await startTestService({ PROCONNECT_SIGN_IN_PER_MINUTE: '60' });
    receiver = await startWebhookReceiver();
  });
  after(async () => {
    await receiver?.close();
    await test?.stop();
  });
  const api = (path: string, key: string) => fetch(`${test.appUrl}${path}`, { headers: { authorization: `Bearer ${key}` } });

  it('signs the éditeur’s administrator in to its own space, with its clients only, and journals it', async () => {
    const theo = new AgentOverHttp(test.appUrl);
    const back = await theo.signIn('dev@octo.com');
    assert.equal(back.status, 303);
    assert.equal(back.location, '/editeur/clients');
    const page = await theo.request('/editeur/clients');
    assert.equal(page.status, 200);
    assert.ok(page.html.includes('Majastres') && page.html.includes('Belley'));
    assert.ok(!page.html.includes('Melgven') && !page.html.includes(MELGVEN));
    assert.equal((await theo.request('/editeur')).location, '/editeur/clients');
    const journal = await test.service.context.espace.editeurJournal.list(OCTO, 10);
    assert.ok(journal.some((e) => e.action === 'sign_in' && e.actor === 'dev@octo.com'));
    // The espace collectivité is not theirs.
    assert.equal((await theo.request('/espace/transmissions')).status, 403);
    // The logout goes through ProConnect and comes back to the espace éditeur's page.
    const out = await theo.submit('/editeur/clients', '/espace/deconnexion');
    assert.ok(out.location?.includes('/proconnect/api/v2/session/end'));
    const state = new URL(out.location ?? '', test.appUrl).searchParams.get('state') ?? '';
    const returned = await theo.request(`/espace/deconnexion/retour?state=${encodeURIComponent(state)}`);
    assert.equal(returned.location, '/editeur?deconnecte');
    assert.equal((await theo.request(`/espace/deconnexion/retour?state=${encodeURIComponent(state)}`)).status, 400, 'a second return of the same logout, or a forged one, says nothing of it');
    assert.match((await theo.request('/editeur?deconnecte')).html, /Vous êtes déconnecté de l’espace éditeur/);
    assert.equal((await theo.request('/editeur/clients')).status, 303, 'signed out');
  });

  it('lets an administrator invite a colleague, who then gets in as a plain member', async () => {
    const theo = new AgentOverHttp(test.appUrl);
    await theo.signIn('dev@octo.com');
    const refusedFirst = new AgentOverHttp(test.appUrl);
    assert.equal((await refusedFirst.signIn('stagiaire@octo.com')).status, 403);
    const added = await theo.submit('/editeur/membres', '/editeur/membres', { email: 'Stagiaire@Octo.com', role: 'agent' });
    assert.equal(added.status, 303);
    const lea = new AgentOverHttp(test.appUrl);
    assert.equal((await lea.signIn('stagiaire@octo.com')).location, '/editeur/clients');
    assert.equal((await lea.request('/editeur/clients')).status, 200);
    for (const path of ['/editeur/cles', '/editeur/webhooks', '/editeur/membres']) assert.equal((await lea.request(path)).status, 403, path);
  });

  it('a commune’s administrator creates a key in the espace collectivité: shown once, acting for the commune only, revocable; another commune cannot revoke it', async () => {
    const camille = new AgentOverHttp(test.appUrl);
    await camille.signIn('secretariat@majastres.fr');
    const created = await camille.submit('/espace/cles', '/espace/cles', { nom: 'Portail famille', duree: '30' });
    assert.equal(created.status, 200);
    const key = keyIn(created.html);
    assert.ok(key, 'the key is shown');
    assert.equal(keyIn((await camille.request('/espace/cles')).html), null, 'and never again');
    assert.equal((await api(`/api/v2/transmissions?siret=${MAJASTRES}`, key)).status, 200);
    assert.equal((await api(`/api/v2/transmissions?siret=${BELLEY}`, key)).status, 403);
    const journal = await test.service.context.espace.journal.list(MAJASTRES, 10);
    assert.ok(journal.some((e) => e.action === 'api_key_created' && e.actor === 'secretariat@majastres.fr' && e.detail?.includes(key.slice(0, 17))));

    const id = /\/espace\/cles\/([0-9a-f-]{36})\/revoquer/.exec((await camille.request('/espace/cles')).html)?.[1];
    assert.ok(id);
    const ines = new AgentOverHttp(test.appUrl);
    await ines.signIn('enfance@belley.fr');
    assert.equal((await ines.submit('/espace/cles', `/espace/cles/${id}/revoquer`)).status, 404);
    assert.equal((await api(`/api/v2/transmissions?siret=${MAJASTRES}`, key)).status, 200, 'still valid');
    assert.equal((await camille.submit('/espace/cles', `/espace/cles/${id}/revoquer`)).status, 303);
    assert.equal((await api(`/api/v2/transmissions?siret=${MAJASTRES}`, key)).status, 401);
    assert.equal((await camille.submit('/espace/cles', '/espace/cles', { nom: '', duree: '30' })).status, 400);
    assert.equal((await camille.submit('/espace/cles', '/espace/cles', { nom: 'x', duree: '10000' })).status, 400);
  });

  it('registers webhooks only for the member’s own communes, and another éditeur reaches none of them', async () => {
    const theo = new AgentOverHttp(test.appUrl);
    await theo.signIn('dev@octo.com');
    const created = await theo.submit('/editeur/webhooks', '/editeur/webhooks', { url: receiver.url, communes: MAJASTRES, evenements: 'transmission.sent' });
    assert.equal(created.status, 200);
    assert.match(created.html, /whsec_/);
    const endpoint = (await test.service.context.webhooks.listEndpoints()).find((e) => e.owner.kind === 'collectivity' && e.owner.siret === MAJASTRES);
    assert.ok(endpoint);
    assert.equal((await theo.submit('/editeur/webhooks', '/editeur/webhooks', { url: receiver.url, communes: MELGVEN })).status, 400, 'not a client');

    const yanis = new AgentOverHttp(test.appUrl);
    assert.equal((await yanis.signIn('integration@logiciels-territoires.fr')).location, '/editeur/clients');
    const theirs = await yanis.request('/editeur/webhooks');
    assert.ok(!theirs.html.includes(endpoint.id) && !theirs.html.includes('Majastres'));
    assert.equal((await yanis.request(`/editeur/webhooks/${endpoint.id}/livraisons`)).status, 404);
    assert.equal((await yanis.submit('/editeur/webhooks', `/editeur/webhooks/${endpoint.id}/desactiver`)).status, 404);
    assert.equal((await yanis.submit('/editeur/webhooks', '/editeur/webhooks', { url: receiver.url, communes: MAJASTRES })).status, 400);
    assert.equal((await test.service.context.webhooks.findEndpoint(endpoint.id))?.status, 'active');

    // The commune sees it in its own space, and can disable it.
    const camille = new AgentOverHttp(test.appUrl);
    await camille.signIn('secretariat@majastres.fr');
    assert.ok((await camille.request('/espace/webhooks')).html.includes(receiver.url));
    assert.equal((await camille.submit('/espace/webhooks', `/espace/webhooks/${endpoint.id}/desactiver`)).status, 303);
    assert.equal((await test.service.context.webhooks.findEndpoint(endpoint.id))?.status, 'disabled');
  });

  it('sends a test event and changes a secret from the webhooks page; both secrets verify during the grace period; another éditeur can do neither', async () => {
    const theo = new AgentOverHttp(test.appUrl);
    await theo.signIn('dev@octo.com');
    const created = await theo.submit('/editeur/webhooks', '/editeur/webhooks', { url: receiver.url, communes: BELLEY, evenements: 'transmission.sent' });
    const oldSecret = /whsec_[A-Za-z0-9+/=]+/.exec(created.html)?.[0];
    assert.ok(oldSecret, 'the secret is shown once');
    const endpoint = (await test.service.context.webhooks.listEndpoints()).find((e) => e.owner.kind === 'collectivity' && e.owner.siret === BELLEY && e.status === 'active');
    assert.ok(endpoint);

    const yanis = new AgentOverHttp(test.appUrl);
    await yanis.signIn('integration@logiciels-territoires.fr');
    assert.equal((await yanis.submit('/editeur/webhooks', `/editeur/webhooks/${endpoint.id}/tester`)).status, 404);
    assert.equal((await yanis.submit('/editeur/webhooks', `/editeur/webhooks/${endpoint.id}/changer-secret`)).status, 404);

    const before = receiver.received.length;
    const tested = await theo.submit('/editeur/webhooks', `/editeur/webhooks/${endpoint.id}/tester`);
    assert.equal(tested.status, 303);
    assert.match((await theo.request('/editeur/webhooks?fait=test')).html, /Événement de test envoyé/);
    const [testEvent] = (await receiver.waitFor(before + 1)).slice(before);
    assert.ok(testEvent && /webhook\.test/.test(testEvent.body));
    assert.ok(verifyWebhook(testEvent.headers, testEvent.body, oldSecret));

    const rotated = await theo.submit('/editeur/webhooks', `/editeur/webhooks/${endpoint.id}/changer-secret`);
    assert.equal(rotated.status, 200);
    assert.match(rotated.html, /Secret changé/);
    const newSecret = /whsec_[A-Za-z0-9+/=]+/.exec(rotated.html)?.[0];
    assert.ok(newSecret && newSecret !== oldSecret, 'a new secret, shown once');
    assert.ok(!(await theo.request('/editeur/webhooks')).html.includes(newSecret), 'never shown again');

    const next = receiver.received.length;
    assert.equal((await theo.submit('/editeur/webhooks', `/editeur/webhooks/${endpoint.id}/tester`)).status, 303);
    const [afterRotation] = (await receiver.waitFor(next + 1)).slice(next);
    assert.ok(afterRotation);
    assert.ok(verifyWebhook(afterRotation.headers, afterRotation.body, oldSecret), 'the old secret still verifies during the grace period');
    assert.ok(verifyWebhook(afterRotation.headers, afterRotation.body, newSecret), 'and so does the new one');

    const journal = await test.service.context.espace.editeurJournal.list(OCTO, 20);
    assert.ok(journal.some((e) => e.action === 'webhook_test_sent') && journal.some((e) => e.action === 'webhook_secret_rotated'));
  });

  it('sends a test dossier from a client commune’s block: its own active clients only, with CSRF, journaled, saying where it went; the folder arrives', async () => {
    const theo = new AgentOverHttp(test.appUrl);
    await theo.signIn('dev@octo.com');
    const page = await theo.request('/editeur/clients');
    assert.match(page.html, new RegExp(`action="/editeur/clients/${BELLEY}/dossier-de-test"`));
    assert.match(page.html, /Envoyer un dossier de test/);
    assert.doesNotMatch(page.html, new RegExp(`/editeur/clients/${MELGVEN}/`), 'no button for another’s commune');

    const count = async () => Number((await test.service.context.db.kysely.selectFrom('shipments').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    // Another éditeur's commune (not OCTO's client), a SIRET of nobody, no CSRF token, nobody signed in: nothing sent.
    assert.equal((await theo.submit('/editeur/clients', `/editeur/clients/${MELGVEN}/dossier-de-test`)).status, 404);
    assert.equal((await theo.submit('/editeur/clients', '/editeur/clients/not-a-siret/dossier-de-test')).status, 404);
    assert.equal((await theo.request(`/editeur/clients/${BELLEY}/dossier-de-test`, { siret: BELLEY })).status, 403, 'no CSRF token');
    const stranger = new AgentOverHttp(test.appUrl);
    const anonymous = await stranger.request(`/editeur/clients/${BELLEY}/dossier-de-test`, { _csrf: await stranger.csrf('/editeur') });
    assert.equal(anonymous.status, 303);
    assert.equal(anonymous.location, '/editeur');
    assert.equal(await count(), before, 'nothing recorded by the refusals');

    const sent = await theo.submit('/editeur/clients', `/editeur/clients/${BELLEY}/dossier-de-test`);
    assert.equal(sent.status, 303);
    const reference = /test=([0-9A-F]{13})#commune-/.exec(sent.location ?? '')?.[1];
    assert.ok(reference, sent.location ?? 'no location');
    const shipment = await test.service.context.shipments.find(reference);
    assert.deepEqual([shipment?.collectivitySiret, shipment?.isTest, shipment?.hubeeEnvironment], [BELLEY, true, 'production']);
    const answer = await theo.request(sent.location ?? '');
    assert.match(answer.html, new RegExp(`Dossier de test ${reference} envoyé à Belley par le bac à sable de HubEE`));
    assert.match(answer.html, new RegExp(`href="/suivi/${reference}"`));
    const journal = await test.service.context.espace.editeurJournal.list(OCTO, 20);
    assert.ok(journal.some((e) => e.action === 'test_dossier_sent' && e.target === reference && e.actor === 'dev@octo.com' && e.detail === `${BELLEY} bac_a_sable`), 'journaled');
    const caseId = await sentCaseId(test, reference);
    assert.ok((await communeInbox(test, BELLEY)).some((folder) => folder.case.id === caseId), 'the folder is in Belley’s HubEE');
  });

  it('offers no test dossier for a client commune that is no longer active, and a forced post sends nothing', async () => {
    const STRASBOURG = '21670482500019'; // inactive in the seed
    await test.service.context.espace.editeurs.linkClient(OCTO, STRASBOURG, 'operator');
    try {
      const theo = new AgentOverHttp(test.appUrl);
      await theo.signIn('dev@octo.com');
      const page = await theo.request('/editeur/clients');
      assert.match(page.html, /Strasbourg/, 'the client is listed');
      assert.doesNotMatch(page.html, new RegExp(`action="/editeur/clients/${STRASBOURG}/dossier-de-test"`), 'without the button');
      const count = async () => Number((await test.service.context.db.kysely.selectFrom('shipments').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
      const before = await count();
      const forced = await theo.submit('/editeur/clients', `/editeur/clients/${STRASBOURG}/dossier-de-test`);
      assert.equal(forced.status, 409);
      assert.equal(await count(), before, 'nothing recorded');
    } finally {
      await test.service.context.espace.editeurs.unlinkClient(OCTO, STRASBOURG);
    }
  });

  it('lets the operator link a commune to an éditeur and add its first administrator, journaled', async () => {
    const operator = await operatorSignedIn(test.appUrl);
    const page = await operator.request('/admin/editeurs');
    assert.equal(page.status, 200);
    assert.match(page.html, /OCTO Technology/);
    const post = (action: string, form: Record<string, string>) => operator.submit('/admin/editeurs', action, form);
    assert.equal((await post('/admin/editeurs/clients', { editeur: OCTO, commune: MELGVEN })).status, 303);
    assert.ok(await test.service.context.espace.editeurs.isClient(OCTO, MELGVEN));
    assert.equal((await post('/admin/editeurs/clients', { editeur: OCTO, commune: '21999999999999' })).status, 404);
    assert.equal((await post('/admin/editeurs', { siret: '123', nom: 'X' })).status, 400);
    assert.equal((await post('/admin/editeurs/administrateurs', { editeur: OCTO, email: 'cto@octo.com' })).status, 303);
    assert.ok(await test.service.context.espace.editeurMembers.findByEmail(OCTO, 'cto@octo.com'));
    const journal = await test.service.context.espace.editeurJournal.list(OCTO, 20);
    assert.ok(journal.some((e) => e.action === 'client_linked' && e.actorKind === 'operator' && e.detail === MELGVEN));
    // Not signed in: sent to the back office's sign-in; a read-only operator changes nothing.
    assert.equal((await new AgentOverHttp(test.appUrl).request('/admin/editeurs')).status, 303);
    const reader = await operatorSignedIn(test.appUrl, READ_ONLY_OPERATOR);
    assert.equal((await reader.submit('/admin/editeurs', '/admin/editeurs/clients', { editeur: OCTO, commune: BELLEY })).status, 403);
    assert.equal((await reader.submit('/admin/editeurs', '/admin/editeurs/clients/detacher', { editeur: OCTO, commune: MELGVEN })).status, 403);
    assert.ok(await test.service.context.espace.editeurs.isClient(OCTO, MELGVEN), 'the read-only operator detached nothing');
  });

  it('lets the operator detach a commune from its éditeur: the page offers it, the éditeur’s keys stop acting for it, journaled', async () => {
    const operator = await operatorSignedIn(test.appUrl);
    await operator.submit('/admin/editeurs', '/admin/editeurs/clients', { editeur: OCTO, commune: MELGVEN });
    const theo = new AgentOverHttp(test.appUrl);
    await theo.signIn('dev@octo.com');
    const key = keyIn((await theo.submit('/editeur/cles', '/editeur/cles', { nom: 'Logiciel enfance', duree: '30' })).html);
    assert.ok(key, 'an éditeur key');
    assert.equal((await api(`/api/v2/transmissions?siret=${MELGVEN}`, key)).status, 200, 'acts for its client');
    const page = await operator.request('/admin/editeurs');
    assert.match(page.html, /aria-label="Détacher Melgven de OCTO Technology"/);
    const detached = await operator.submit('/admin/editeurs', '/admin/editeurs/clients/detacher', { editeur: OCTO, commune: MELGVEN });
    assert.equal(detached.status, 303);
    assert.equal(detached.location, '/admin/editeurs?fait=detachee');
    assert.equal(await test.service.context.espace.editeurs.isClient(OCTO, MELGVEN), false);
    assert.equal((await api(`/api/v2/transmissions?siret=${MELGVEN}`, key)).status, 403, 'no longer acts for it');
    assert.ok(!(await theo.request('/editeur/clients')).html.includes(MELGVEN), 'no longer in its space');
    assert.match((await operator.request('/admin/editeurs?fait=detachee')).html, /Commune détachée[\s\S]*récepteurs de webhooks de la commune restent actifs/);
    assert.equal((await operator.submit('/admin/editeurs', '/admin/editeurs/clients/detacher', { editeur: OCTO, commune: MELGVEN })).location, '/admin/editeurs?fait=deja_detachee');
    const badForms: Record<string, string>[] = [{ editeur: '123', commune: MELGVEN }, { editeur: OCTO, commune: '21999999999999' }, {}];
    for (const form of badForms) {
      const refused = await operator.submit('/admin/editeurs', '/admin/editeurs/clients/detacher', form);
      assert.equal(refused.status, 404, JSON.stringify(form));
      assert.match(refused.html, /Aucun(e)? (éditeur inscrit|collectivité) n’a ce SIRET/);
    }
    const journal = await test.service.context.espace.editeurJournal.list(OCTO, 20);
    assert.equal(journal.filter((e) => e.action === 'client_unlinked' && e.actorKind === 'operator' && e.detail === MELGVEN).length, 1, 'journaled once');
  });

  it('writes no member’s e-mail in the logs, nor any key', () => {
    const logs = test.logs.join('');
    for (const secret of ['dev@octo.com', 'stagiaire@octo.com', 'secretariat@majastres.fr', 'cto@octo.com']) assert.ok(!logs.includes(secret), secret);
    assert.ok(!/fqf_live_[a-z0-9]{8}_[A-Za-z0-9_-]{43}/.test(logs), 'no whole key');
  });
});
