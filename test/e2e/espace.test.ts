import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { journeyOverHttp } from '../support/http-journey.ts';
import { browserSuite } from './support/suite.ts';
import { accessibilityProblems, agentBrowser, signIn } from './support/espace-agent.ts';

const MAJASTRES = '21040107100019';
const day = (d: Date) => d.toISOString().slice(0, 10);

describe('the espace collectivité in a real browser', () => {
  const suite = browserSuite();

  it('an agent of Majastres signs in, finds last week’s transmissions, downloads the poster, sets the contact and a return link; the family sees the contact', async () => {
    const reference = await journeyOverHttp(suite.test.appUrl, { siret: MAJASTRES, persona: 'angela', externalId: 'DOSSIER-E2E' });
    const { context, page } = await agentBrowser(suite.browser, 360);
    try {
      await signIn(page, suite.test.appUrl, /Camille MARTIN/);
      await page.waitForURL(/\/espace\/transmissions$/);
      assert.match(await page.locator('body').innerText(), /Espace collectivité de Majastres/);

      const lastWeek = new Date(Date.now() - 7 * 24 * 3600 * 1000);
      await page.getByLabel('Du').fill(day(lastWeek));
      await page.getByLabel('Au').fill(day(new Date()));
      await page.getByRole('button', { name: 'Afficher' }).click();
      await page.waitForURL(/du=/);
      const table = await page.locator('table').innerText();
      assert.ok(table.includes(reference), 'the week’s transmission is listed');
      assert.ok(table.includes('DOSSIER-E2E'));

      await page.getByRole('link', { name: 'Kit de diffusion', exact: true }).click();
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /Télécharger l’affiche/ }).click()]);
      const poster = readFileSync((await download.path()) ?? '');
      assert.equal(poster.subarray(0, 5).toString('latin1'), '%PDF-');
      assert.match(download.suggestedFilename(), /^affiche-21040107100019\.pdf$/);

      await page.getByRole('link', { name: 'Paramètres', exact: true }).click();
      await page.getByLabel(/Nom du service/).fill('Accueil de la mairie de Majastres');
      await page.getByLabel(/Téléphone/).fill('04 92 34 00 00');
      await page.getByLabel(/Horaires d’ouverture/).fill('Mardi et vendredi, 9 h – 12 h');
      await page.getByRole('button', { name: 'Enregistrer ce que voient les familles' }).click();
      await page.getByText('Ce que voient les familles est enregistré.').waitFor();
      await page.getByLabel(/Adresses de retour/).fill('https://portail.majastres.fr/retour');
      await page.getByRole('button', { name: 'Enregistrer les adresses de retour' }).click();
      await page.getByText('Les adresses de retour sont enregistrées.').waitFor();

      const family = await suite.browser.newContext({ viewport: { width: 360, height: 800 }, locale: 'fr-FR' });
      try {
        const followUp = await family.newPage();
        await followUp.goto(`${suite.test.appUrl}/suivi/${reference}`);
        const text = await followUp.locator('main').innerText();
        assert.match(text, /Contacter Majastres/);
        assert.match(text, /Accueil de la mairie de Majastres/);
        assert.match(text, /04 92 34 00 00/);
        assert.match(text, /Mardi et vendredi/);
      } finally {
        await family.close();
      }

      await page.getByRole('button', { name: 'Se déconnecter' }).first().click();
      await page.waitForURL(/\/espace\?deconnecte/);
      assert.match(await page.locator('main').innerText(), /Vous êtes déconnecté/);
    } finally {
      await context.close();
    }
  });

  it('every page of the espace, and its refusals, has no serious accessibility violation at 360 and 1280 px', async () => {
    const problems: string[] = [];
    for (const width of [360, 1280]) {
      const { context, page } = await agentBrowser(suite.browser, width);
      try {
        await page.goto(`${suite.test.appUrl}/espace`);
        problems.push(...(await accessibilityProblems(page, width)));
        await signIn(page, suite.test.appUrl, /Camille MARTIN/);
        await page.waitForURL(/\/espace\/transmissions$/);
        for (const path of ['/espace/transmissions', '/espace/kit', '/espace/kit?redirect_uri=https%3A%2F%2Fevil.example%2F', '/espace/parametres', '/espace/chiffres', '/espace/agents']) {
          await page.goto(`${suite.test.appUrl}${path}`);
          problems.push(...(await accessibilityProblems(page, width)));
        }
      } finally {
        await context.close();
      }
      const refused = await agentBrowser(suite.browser, width);
      try {
        await signIn(refused.page, suite.test.appUrl, /Lucas ROUX/);
        await refused.page.getByRole('heading', { name: /pas sur la liste des agents de Majastres/ }).waitFor();
        problems.push(...(await accessibilityProblems(refused.page, width)));
      } finally {
        await refused.context.close();
      }
    }
    assert.deepEqual(problems, []);
  });

  it('refuses, with a page saying why and whom to ask: an agent not on the list, an inactive commune, a public agent of no commune, an éditeur', async () => {
    const cases: [RegExp, RegExp][] = [
      [/Lucas ROUX/, /Demandez à un administrateur de l’espace de Majastres/],
      [/Hugo KLEIN/, /Strasbourg n’utilise plus Formulaire QF/],
      [/Nora PETIT/, /Votre organisation n’utilise pas Formulaire QF/],
      [/Théo GIRARD/, /Cet espace est réservé aux collectivités/],
    ];
    for (const [persona, message] of cases) {
      const { context, page } = await agentBrowser(suite.browser, 360);
      try {
        await signIn(page, suite.test.appUrl, persona);
        await page.getByRole('heading', { level: 1 }).waitFor();
        assert.match(await page.locator('main').innerText(), message);
        await page.goto(`${suite.test.appUrl}/espace/transmissions`);
        assert.match(await page.locator('main').innerText(), message, 'the espace stays closed');
      } finally {
        await context.close();
      }
    }
  });

  it('an agent of Belley never sees Majastres’ transmissions', async () => {
    const reference = await journeyOverHttp(suite.test.appUrl, { siret: MAJASTRES, persona: 'angela' });
    const { context, page } = await agentBrowser(suite.browser, 1280);
    try {
      await signIn(page, suite.test.appUrl, /Inès BERNARD/);
      await page.waitForURL(/\/espace\/transmissions$/);
      const body = await page.locator('body').innerText();
      assert.match(body, /Espace collectivité de Belley/);
      assert.ok(!body.includes(reference));
      await page.goto(`${suite.test.appUrl}/espace/transmissions?siret=${MAJASTRES}&du=2020-01-01`);
      assert.ok(!(await page.locator('body').innerText()).includes(reference));
    } finally {
      await context.close();
    }
  });
});
