import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { LOCAL_API_PARTICULIER_TOKENS } from '../../src/sandbox/api-particulier/index.ts';
import { AgentOverHttp } from '../support/agent-over-http.ts';
import { browserSuite } from './support/suite.ts';

/**
 * The Guichet QF (issue 13) as an agent of Majastres uses it, on the local sandbox: register the commune's API
 * Particulier token, look up API Particulier staging's test identities (../shared/fixtures/api-particulier-staging-qf.json),
 * someone unknown, a field the API refuses then corrected, the PDF summary, and the refusals.
 */
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TOKEN = LOCAL_API_PARTICULIER_TOKENS.collectivity;

async function agentBrowser(browser: Browser, width: number) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale: 'fr-FR', acceptDownloads: true });
  await context.addInitScript({ content: axeSource });
  return { context, page: await context.newPage() };
}

async function accessibilityProblems(page: Page, width: number): Promise<string[]> {
  const problems = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')))`)) as string[];
  const scrollWidth = Number(await page.evaluate('document.documentElement.scrollWidth'));
  if (scrollWidth > width) problems.push(`${scrollWidth}px wide at ${width}px`);
  return problems.map((p) => `${new URL(page.url()).pathname} at ${width}px: ${p}`);
}

async function signIn(page: Page, appUrl: string, personaName: RegExp): Promise<void> {
  await page.goto(`${appUrl}/espace`);
  await page.getByRole('button', { name: /S’identifier avec\s*ProConnect/ }).click();
  await page.getByRole('button', { name: personaName }).click();
  await page.waitForURL(/\/espace\/transmissions$/);
}

type Identity = { nom: string; prenoms: string; sexe: 'F' | 'M'; jour?: string; mois: string; annee: string } & ({ commune: string } | { pays: string });

async function lookUp(page: Page, appUrl: string, who: Identity): Promise<void> {
  if (!page.url().endsWith('/espace/guichet')) await page.goto(`${appUrl}/espace/guichet`);
  await page.fill('#champ-nom-naissance', who.nom);
  await page.fill('#champ-prenoms', who.prenoms);
  await page.click(`label[for=champ-sexe-${who.sexe}]`);
  await page.fill('#champ-jour-naissance', who.jour ?? '');
  await page.fill('#champ-mois-naissance', who.mois);
  await page.fill('#champ-annee-naissance', who.annee);
  if ('commune' in who) {
    await page.click('label[for=champ-lieu-naissance-france]');
    await page.fill('#champ-commune-naissance', who.commune);
    await page.fill('#champ-pays-naissance', '');
  } else {
    await page.click('label[for=champ-lieu-naissance-etranger]');
    await page.fill('#champ-pays-naissance', who.pays);
    await page.fill('#champ-commune-naissance', '');
  }
  await page.getByRole('button', { name: 'Rechercher le quotient familial' }).click();
  await page.waitForLoadState('domcontentloaded');
}

// Staging's 200-seul-1_enfant-qf_caf_650 (no day of birth) and 200-etranger-celibataire-2_enfants-qf_cnaf_300_sept2024.
const ELODIE: Identity = { nom: 'BERNARD', prenoms: 'ELODIE', sexe: 'F', mois: '3', annee: '1990', commune: 'Villers-Semeuse' };
const MARGE: Identity = { nom: 'SIMPSON', prenoms: 'Marge', sexe: 'F', jour: '15', mois: '11', annee: '1980', pays: 'États-Unis' };
// Staging's 404-identite-cas-nominal-trop-peu-de-donnee-prenom and its 429.yaml (always 429, Retry-After: 1).
const UNKNOWN: Identity = { nom: 'DUPONT', prenoms: 'ALEXIS', sexe: 'F', jour: '27', mois: '12', annee: '1982', commune: '08480' };
const RENE: Identity = { nom: 'DESFOUIN', prenoms: 'René', sexe: 'M', jour: '5', mois: '12', annee: '2002', commune: 'Villers-Semeuse (08)' };

describe('the Guichet QF in a real browser', () => {
  const suite = browserSuite();

  it('an administrator of Majastres registers the token: a wrong one and one without the QF right are refused, clearly', async () => {
    const { context, page } = await agentBrowser(suite.browser, 1280);
    try {
      await signIn(page, suite.test.appUrl, /Camille MARTIN/);
      await page.goto(`${suite.test.appUrl}/espace/guichet`);
      assert.match(await page.locator('main').innerText(), /Le jeton API Particulier de la commune n’est pas enregistré/);

      await page.goto(`${suite.test.appUrl}/espace/parametres`);
      assert.match(await page.locator('main').innerText(), /Aucun jeton enregistré/);
      const save = async (token: string) => {
        await page.fill('#champ-jeton', token);
        await page.getByRole('button', { name: 'Vérifier et enregistrer le jeton' }).click();
        await page.waitForLoadState('domcontentloaded');
        return page.locator('main').innerText();
      };
      assert.match(await save('pas-un-jeton-de-la-commune'), /API Particulier ne reconnaît pas ce jeton/);
      assert.match(await save(LOCAL_API_PARTICULIER_TOKENS.expired), /Ce jeton a expiré/);
      assert.match(await save(LOCAL_API_PARTICULIER_TOKENS.withoutQuotientFamilialScope), /n’a pas le droit « quotient familial »/);
      assert.match(await page.locator('main').innerText(), /Aucun jeton enregistré/, 'nothing was saved');

      const saved = await save(TOKEN);
      assert.match(saved, /Le jeton est vérifié et enregistré/);
      assert.match(saved, /se termine par …e-qf, enregistré le/);
      assert.ok(!(await page.content()).includes(TOKEN), 'the token is never shown again');
    } finally {
      await context.close();
    }
  });

  it('looks up staging identities: value, month, CAF or MSA, children; someone unknown; a field the API refuses, then corrected; the PDF', async () => {
    const { context, page } = await agentBrowser(suite.browser, 360);
    try {
      await signIn(page, suite.test.appUrl, /Camille MARTIN/);
      await lookUp(page, suite.test.appUrl, ELODIE);
      let text = await page.locator('main').innerText();
      assert.match(text, /Quotient familial : 650\u00a0€/);
      assert.match(text, /calculé par la CAF/);
      assert.match(text, /LEO BERNARD/);

      await lookUp(page, suite.test.appUrl, MARGE);
      text = await page.locator('main').innerText();
      assert.match(text, /Quotient familial : 300\u00a0€/);
      assert.match(text, /Enfants/);

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Télécharger le récapitulatif (PDF)' }).click()]);
      const file = (await download.path()) ?? '';
      assert.equal(readFileSync(file).subarray(0, 5).toString('latin1'), '%PDF-');
      const pdf = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      assert.match(pdf, /Commune : Majastres/);
      assert.match(pdf, /Agent : Camille MARTIN/);
      assert.match(pdf, /Date : \d{2}\/\d{2}\/\d{4} à \d{2}:\d{2}/);
      assert.match(pdf, /Source : API Particulier \(mode identité\), données de la CAF/);
      assert.match(pdf, /Valeur : 300 € par mois/);
      assert.match(pdf, /SIMPSON/);

      await lookUp(page, suite.test.appUrl, UNKNOWN);
      text = await page.locator('main').innerText();
      assert.match(text, /Personne inconnue de la CAF et de la MSA/);
      assert.match(text, /La CAF et la MSA ne trouvent pas cette personne \(code 37003\)\. Vérifiez l’orthographe/);

      await lookUp(page, suite.test.appUrl, { ...ELODIE, nom: 'BERNARD2' });
      const field = page.locator('.fr-input-group--error', { has: page.locator('#champ-nom-naissance') });
      assert.match(await field.innerText(), /API Particulier refuse ce champ : Le nom de naissance est obligatoire et ne contient que des lettres/);
      assert.equal(await page.getAttribute('#champ-nom-naissance', 'aria-invalid'), 'true');
      assert.equal(await page.inputValue('#champ-prenoms'), 'ELODIE', 'what was typed stays');
      await page.fill('#champ-nom-naissance', 'BERNARD');
      await page.getByRole('button', { name: 'Rechercher le quotient familial' }).click();
      await page.waitForLoadState('domcontentloaded');
      assert.match(await page.locator('main').innerText(), /Quotient familial : 650\u00a0€/);

      await lookUp(page, suite.test.appUrl, { ...ELODIE, commune: 'Marseille' });
      assert.match(await page.locator('main').innerText(), /À Marseille, la naissance est enregistrée par arrondissement/);

      await page.goto(`${suite.test.appUrl}/espace/agents`);
      const journal = await page.locator('main').innerText();
      assert.match(journal, /appel à API Particulier — guichet : 200/);
      assert.match(journal, /appel à API Particulier — guichet : 404/);
      assert.match(journal, /appel à API Particulier — guichet : 422/);
      assert.ok(!/BERNARD|SIMPSON|ELODIE/.test(journal), 'the journal names no family');
    } finally {
      await context.close();
    }
  });

  it('refuses an unsigned visitor, another commune’s agent (and its PDF), an agent who is no administrator on the token, and a post without its CSRF token', async () => {
    const visitor = new AgentOverHttp(suite.test.appUrl);
    const unsigned = await visitor.request('/espace/guichet');
    assert.equal(unsigned.status, 303);
    assert.equal(unsigned.location, '/espace');
    const unsignedPost = await visitor.submit('/espace', '/espace/guichet', { 'nom-naissance': 'BERNARD' });
    assert.equal(unsignedPost.status, 303);
    assert.equal(unsignedPost.location, '/espace');

    const camille = new AgentOverHttp(suite.test.appUrl);
    await camille.signIn('secretariat@majastres.fr');
    const withoutCsrf = await camille.request('/espace/guichet', { 'nom-naissance': 'BERNARD', prenoms: 'ELODIE', sexe: 'F', 'mois-naissance': '3', 'annee-naissance': '1990', 'commune-naissance': '08480' });
    assert.equal(withoutCsrf.status, 403);
    assert.ok(!withoutCsrf.html.includes('650'));
    const tokenWithoutCsrf = await camille.request('/espace/parametres/jeton-api-particulier/suppression', {});
    assert.equal(tokenWithoutCsrf.status, 403);
    const answer = await camille.submit('/espace/guichet', '/espace/guichet', { 'nom-naissance': 'BERNARD', prenoms: 'ELODIE', sexe: 'F', 'mois-naissance': '3', 'annee-naissance': '1990', 'lieu-naissance': 'france', 'commune-naissance': '08480' });
    assert.equal(answer.status, 200);
    const ticket = /name="reponse" value="([^"]+)"/.exec(answer.html)?.[1] ?? '';
    assert.ok(ticket.length > 40);
    const ownPdf = await camille.submit('/espace/guichet', '/espace/guichet/recapitulatif.pdf', { reponse: ticket });
    assert.equal(ownPdf.status, 200);
    assert.equal(ownPdf.contentType, 'application/pdf');

    // An agent (not an administrator) of Majastres uses the guichet, but cannot touch the token.
    const added = await camille.submit('/espace/agents', '/espace/agents', { email: 'accueil@majastres.fr', role: 'agent' });
    assert.equal(added.status, 303);
    const lucas = new AgentOverHttp(suite.test.appUrl);
    await lucas.signIn('accueil@majastres.fr');
    const byAgent = await lucas.submit('/espace/guichet', '/espace/guichet', { 'nom-naissance': 'BERNARD', prenoms: 'ELODIE', sexe: 'F', 'mois-naissance': '3', 'annee-naissance': '1990', 'commune-naissance': '08480' });
    assert.equal(byAgent.status, 200);
    assert.match(byAgent.html, /Quotient familial : 650/);
    assert.match((await lucas.request('/espace/parametres')).html, /Seul un administrateur de l’espace peut enregistrer, remplacer ou supprimer le jeton/);
    assert.equal((await lucas.submit('/espace/parametres', '/espace/parametres/jeton-api-particulier', { token: 'un-autre-jeton-1234' })).status, 403);
    assert.equal((await lucas.submit('/espace/parametres', '/espace/parametres/jeton-api-particulier/suppression')).status, 403);
    assert.equal((await lucas.submit('/espace/guichet', '/espace/guichet/recapitulatif.pdf', { reponse: ticket })).status, 410, 'an answer opens only for the agent who got it');

    const ines = new AgentOverHttp(suite.test.appUrl);
    await ines.signIn('enfance@belley.fr');
    const belley = await ines.request('/espace/guichet');
    assert.match(belley.html, /Espace collectivité de <strong>Belley<\/strong>/);
    assert.match(belley.html, /Le jeton API Particulier de la commune n’est pas enregistré/, 'Belley never uses Majastres’ token');
    const lookup = await ines.submit('/espace/guichet', '/espace/guichet', { 'nom-naissance': 'BERNARD', prenoms: 'ELODIE', sexe: 'F', 'mois-naissance': '3', 'annee-naissance': '1990', 'commune-naissance': '08480' });
    assert.equal(lookup.status, 409);
    assert.ok(!lookup.html.includes('650'));
    const stolen = await ines.submit('/espace/guichet', '/espace/guichet/recapitulatif.pdf', { reponse: ticket });
    assert.equal(stolen.status, 410, 'a Majastres answer does not open for Belley');
    assert.match(stolen.html, /Ce récapitulatif n’est plus disponible/);
    const replaced = await ines.submit('/espace/parametres', '/espace/parametres/jeton-api-particulier/suppression');
    assert.equal(replaced.status, 303);
    const majastresStill = await camille.request('/espace/parametres');
    assert.match(majastresStill.html, /se termine par <strong>…e-qf<\/strong>/, 'Belley’s administrator cannot delete Majastres’ token');
  });

  it('has no serious accessibility violation at 360 and 1280 px: form, answer, errors, settings', async () => {
    const problems: string[] = [];
    for (const width of [360, 1280]) {
      const { context, page } = await agentBrowser(suite.browser, width);
      try {
        await signIn(page, suite.test.appUrl, /Camille MARTIN/);
        await page.goto(`${suite.test.appUrl}/espace/guichet`);
        problems.push(...(await accessibilityProblems(page, width)));
        await lookUp(page, suite.test.appUrl, ELODIE);
        problems.push(...(await accessibilityProblems(page, width)));
        await lookUp(page, suite.test.appUrl, { ...ELODIE, nom: 'BERNARD2', commune: 'Saint-Martin' });
        problems.push(...(await accessibilityProblems(page, width)));
        await lookUp(page, suite.test.appUrl, UNKNOWN);
        problems.push(...(await accessibilityProblems(page, width)));
        await page.goto(`${suite.test.appUrl}/espace/parametres`);
        problems.push(...(await accessibilityProblems(page, width)));
      } finally {
        await context.close();
      }
    }
    assert.deepEqual(problems, []);
  });

  it('stops at the second 429 in a row and says until when; the logs hold no family’s data nor the token', async () => {
    const { context, page } = await agentBrowser(suite.browser, 1280);
    try {
      await signIn(page, suite.test.appUrl, /Camille MARTIN/);
      await lookUp(page, suite.test.appUrl, RENE);
      const text = await page.locator('main').innerText();
      assert.match(text, /Recherches arrêtées : trop de demandes à API Particulier/);
      assert.match(text, /deux fois de suite « trop de requêtes » \(429\) : les demandes avec le jeton de la collectivité sont arrêtées jusqu’à \d{2}:\d{2}:\d{2}/);
      await page.goto(`${suite.test.appUrl}/espace/agents`);
      assert.match(await page.locator('main').innerText(), /appel à API Particulier — guichet : 429/);
    } finally {
      await context.close();
    }
    const logs = suite.test.logs.join('\n');
    for (const secret of [TOKEN, 'BERNARD', 'ELODIE', 'SIMPSON', 'Marge', 'DESFOUIN', 'DUPONT', 'Villers-Semeuse']) {
      assert.ok(!logs.includes(secret), `the logs hold ${secret}`);
    }
  });
});
