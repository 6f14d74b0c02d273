import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startWebhookReceiver, type WebhookReceiver } from '../../src/webhooks/testing/receiver.ts';
import { verifyWebhook } from '../../src/webhooks/index.ts';
import { journeyOverHttp } from '../support/http-journey.ts';
import { sentCaseId } from '../support/sent-case.ts';
import { communeInbox } from './support/commune-inbox.ts';
import { accessibilityProblems, agentBrowser, signIn } from './support/espace.ts';
import { browserSuite } from './support/suite.ts';

const MAJASTRES = '21040107100019';
const BELLEY = '21010034300016';

/**
 * The espace éditeur as an éditeur's developer tries it, from the sign-in to a key, webhooks for two communes and
 * a test dossier (the service linked to the qualification stand-in, where test dossiers then go).
 */
describe('the espace éditeur in a real browser', () => {
  // About fifteen sign-ins from one address: more than the ten a minute the service allows by default when the machine is quick.
  const suite = browserSuite({ PROCONNECT_SIGN_IN_PER_MINUTE: '100' }, { qualification: true });
  let receiver: WebhookReceiver;
  before(async () => {
    receiver = await startWebhookReceiver();
  });
  after(async () => {
    await receiver?.close();
  });

  it('the éditeur’s employee signs in, sees two client communes and their transmissions by status, creates a key (shown once) and a webhook for both communes', async () => {
    const reference = await journeyOverHttp(suite.test.appUrl, { siret: MAJASTRES, persona: 'angela', externalId: 'EDITEUR-E2E' });
    const { context, page } = await agentBrowser(suite.browser, 1280);
    try {
      await signIn(page, suite.test.appUrl, /Théo GIRARD/, '/editeur');
      await page.waitForURL(/\/editeur\/clients$/);
      const clients = await page.locator('main').innerText();
      assert.match(clients, /Espace éditeur de OCTO Technology/);
      const table = await page.getByRole('table', { name: 'Communes clientes' }).innerText();
      assert.match(table, /Majastres/);
      assert.match(table, /Belley/);
      assert.ok(!/Melgven/.test(table), 'another éditeur’s client is not listed');
      assert.match(table, /Majastres[^\n]*(transmise|en cours d'envoi|reçue par la commune) : 1/);
      assert.ok(!clients.includes(reference), 'no transmission reference (nor anything personal) on the page');
      assert.match(clients, /Intégrer Majastres[\s\S]*21040107100019[\s\S]*04107/);

      // A key, shown once.
      await page.getByRole('link', { name: 'Clés d’API', exact: true }).click();
      await page.getByLabel(/Nom de la clé/).fill('Logiciel enfance – recette');
      await page.getByRole('button', { name: 'Créer la clé' }).click();
      const key = (await page.getByTestId('cle-creee').innerText()).trim();
      assert.match(key, /^fqf_live_[a-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
      await page.goto(`${suite.test.appUrl}/editeur/cles`);
      const keysPage = await page.locator('main').innerText();
      assert.ok(!keysPage.includes(key), 'never shown again');
      assert.ok(keysPage.includes(key.slice(0, 17)), 'its prefix is listed');
      const viaKey = await fetch(`${suite.test.appUrl}/api/v2/transmissions/${reference}`, { headers: { authorization: `Bearer ${key}` } });
      assert.equal(viaKey.status, 200);

      // A webhook for both communes, each with its own secret.
      await page.getByRole('link', { name: 'Webhooks', exact: true }).click();
      await page.getByLabel(/Adresse du récepteur/).fill(receiver.url);
      // The DSFR draws the box over the label: a person clicks the label.
      await page.locator('label', { hasText: 'Majastres (SIRET' }).click();
      await page.locator('label', { hasText: 'Belley (SIRET' }).click();
      assert.equal(await page.getByLabel(/Majastres \(SIRET/).isChecked(), true);
      await page.getByRole('button', { name: 'Enregistrer le webhook' }).click();
      await page.getByText('Webhook enregistré').waitFor();
      const secrets = await page.locator('.fqf-secret').allInnerTexts();
      assert.equal(secrets.length, 2);
      for (const secret of secrets) assert.match(secret, /^whsec_/);
      const listed = await page.getByRole('table', { name: 'Webhooks' }).innerText();
      assert.match(listed, /Majastres[\s\S]*Belley|Belley[\s\S]*Majastres/);

      const hooks = (await (await fetch(`${suite.test.appUrl}/api/webhooks`, { headers: { authorization: `Bearer ${key}` } })).json()) as { data: { owner: { siret?: string } }[] };
      assert.deepEqual(hooks.data.map((h) => h.owner.siret).sort(), [BELLEY, MAJASTRES]);

      // The next transmission of Majastres reaches the receiver, signed with Majastres' secret.
      const next = await journeyOverHttp(suite.test.appUrl, { siret: MAJASTRES, persona: 'angela' });
      const received = await receiver.waitFor(1, 120_000);
      const message = received.find((m) => m.body.includes(next));
      assert.ok(message, 'the webhook of the new transmission');
      assert.ok(secrets.some((secret) => verifyWebhook(message.headers, message.body, secret)), 'signed with one of the secrets shown');

      // The delivery log of Majastres' webhook.
      await page.goto(`${suite.test.appUrl}/editeur/webhooks`);
      await page.getByRole('link', { name: 'Livraisons' }).first().click();
      await page.getByRole('heading', { name: 'Livraisons du webhook' }).waitFor();
    } finally {
      await context.close();
    }
  });

  it('sends a test dossier to a client commune from its block: the answer says it went to qualification, with the reference and its follow-up', async () => {
    const problems: string[] = [];
    for (const width of [360, 1280]) {
      const { context, page } = await agentBrowser(suite.browser, width);
      try {
        await signIn(page, suite.test.appUrl, /Théo GIRARD/, '/editeur');
        await page.waitForURL(/\/editeur\/clients$/);
        const belley = page.locator(`#commune-${BELLEY}`);
        assert.match(await belley.innerText(), /envoyé à Belley par l’environnement de qualification de HubEE/);
        await belley.getByRole('button', { name: 'Envoyer un dossier de test' }).click();
        const answer = belley.getByRole('alert');
        await answer.waitFor();
        const text = await answer.innerText();
        const reference = /Dossier de test ([0-9A-F]{13}) envoyé à Belley par l’environnement de qualification de HubEE/.exec(text)?.[1];
        assert.ok(reference, text);
        assert.equal((await suite.test.service.context.shipments.find(reference))?.hubeeEnvironment, 'qualification');
        problems.push(...(await accessibilityProblems(page, width)));
        await answer.getByRole('link', { name: `Suivre le dossier de test ${reference}` }).click();
        await page.waitForURL(new RegExp(`/suivi/${reference}$`));
        const caseId = await sentCaseId(suite.test, reference);
        assert.ok((await communeInbox(suite.test, BELLEY, { in: 'qualification' })).some((folder) => folder.case.id === caseId), 'in Belley’s qualification HubEE');
      } finally {
        await context.close();
      }
    }
    assert.deepEqual(problems, []);
  });

  it('refuses an employee of the éditeur who is not on its list, and every page stays closed', async () => {
    const { context, page } = await agentBrowser(suite.browser, 360);
    try {
      await signIn(page, suite.test.appUrl, /Léa FONTAINE/, '/editeur');
      await page.getByRole('heading', { level: 1, name: /pas membre de l’espace éditeur de OCTO Technology/ }).waitFor();
      for (const path of ['/editeur/clients', '/editeur/cles', '/editeur/webhooks', '/editeur/membres']) {
        const response = await page.goto(`${suite.test.appUrl}${path}`);
        assert.equal(response?.status(), 403, path);
      }
    } finally {
      await context.close();
    }
  });

  it('refuses a form posted without its CSRF token, and creates nothing', async () => {
    const { context, page } = await agentBrowser(suite.browser, 1280);
    try {
      await signIn(page, suite.test.appUrl, /Théo GIRARD/, '/editeur');
      await page.waitForURL(/\/editeur\/clients$/);
      const before = await suite.test.service.context.espace.apiKeys.listFor({ kind: 'editeur', siret: '41816609600069' });
      const forged = await page.request.post(`${suite.test.appUrl}/editeur/cles`, { form: { nom: 'Sans jeton', duree: '30' }, maxRedirects: 0 });
      assert.equal(forged.status(), 403);
      const hook = await page.request.post(`${suite.test.appUrl}/editeur/webhooks`, { form: { url: receiver.url, communes: MAJASTRES }, maxRedirects: 0 });
      assert.equal(hook.status(), 403);
      const afterwards = await suite.test.service.context.espace.apiKeys.listFor({ kind: 'editeur', siret: '41816609600069' });
      assert.equal(afterwards.length, before.length);
    } finally {
      await context.close();
    }
  });

  it('every page of the espace éditeur, and its refusal, has no serious accessibility violation at 360 and 1280 px', async () => {
    const problems: string[] = [];
    for (const width of [360, 1280]) {
      const { context, page } = await agentBrowser(suite.browser, width);
      try {
        await page.goto(`${suite.test.appUrl}/editeur`);
        problems.push(...(await accessibilityProblems(page, width)));
        await signIn(page, suite.test.appUrl, /Théo GIRARD/, '/editeur');
        await page.waitForURL(/\/editeur\/clients$/);
        for (const path of ['/editeur/clients', '/editeur/cles', '/editeur/webhooks', '/editeur/membres']) {
          await page.goto(`${suite.test.appUrl}${path}`);
          problems.push(...(await accessibilityProblems(page, width)));
        }
        await page.goto(`${suite.test.appUrl}/editeur/cles`);
        await page.getByLabel(/Nom de la clé/).fill(`Clé ${width}`);
        await page.getByRole('button', { name: 'Créer la clé' }).click();
        await page.getByTestId('cle-creee').waitFor();
        problems.push(...(await accessibilityProblems(page, width)));
      } finally {
        await context.close();
      }
      const commune = await agentBrowser(suite.browser, width);
      try {
        await signIn(commune.page, suite.test.appUrl, /Camille MARTIN/);
        await commune.page.waitForURL(/\/espace\/transmissions$/);
        for (const path of ['/espace/cles', '/espace/webhooks']) {
          await commune.page.goto(`${suite.test.appUrl}${path}`);
          problems.push(...(await accessibilityProblems(commune.page, width)));
        }
      } finally {
        await commune.context.close();
      }
      const refused = await agentBrowser(suite.browser, width);
      try {
        await signIn(refused.page, suite.test.appUrl, /Léa FONTAINE/, '/editeur');
        await refused.page.getByRole('heading', { level: 1 }).waitFor();
        problems.push(...(await accessibilityProblems(refused.page, width)));
      } finally {
        await refused.context.close();
      }
    }
    assert.deepEqual(problems, []);
  });
});
