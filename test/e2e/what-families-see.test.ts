/**
 * What a family reads along the journey (issue 16, families' points), in a real browser: places and the QF in
 * words on the review page, who is logged in, the reference in groups and its récapitulatif, a search that finds
 * every postal code and survives typos, and the retry and logout buttons doing what they say.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { personas } from '../../src/sandbox/fixtures.ts';
import { personalDataIn } from '../support/personal-data.ts';
import { referenceShownIn } from './support/reference.ts';
import { browserSuite } from './support/suite.ts';

const MAJASTRES = '21040107100019';

describe('what a family sees, in a real browser', () => {
  const suite = browserSuite();
  const visit = suite.visit;

  /** From the commune's page through FranceConnect's persona choice, back to our app. */
  const loginAs = async (page: Page, login: string, siret = MAJASTRES) => {
    const persona = personas.find((p) => p.login === login)!;
    await page.goto(`${suite.test.appUrl}/collectivites/${siret}`);
    await page.getByRole('button', { name: /S’identifier avec\s*FranceConnect/ }).click();
    await page.getByRole('button', { name: new RegExp(`^${persona.claims.given_name} ${persona.claims.family_name}`) }).click();
    await page.waitForURL((url) => url.href.startsWith(suite.test.appUrl));
  };
  const main = (page: Page) => page.locator('main').innerText();

  it('the review page names the places, gives the QF with its unit, month, source and date, and says it may be old', async () => {
    await visit(async (page) => {
      await loginAs(page, 'angela');
      const review = await main(page);
      assert.match(review, /Lieu de naissance\s+Paris 7e Arrondissement \(75\)/);
      assert.match(review, /Pays de naissance\s+France/);
      assert.match(review, /Quotient familial\s+2\s550\s€ par mois/);
      assert.match(review, /Valable pour le mois de\s+février 2024/);
      assert.match(review, /Calculé par\s+la CAF/);
      assert.match(review, /Date du calcul\s+\S+ \d{4}/);
      assert.match(review, /il peut donc être ancien/, 'février 2024 is months ago');
      assert.doesNotMatch(review, /INSEE|75107/);
      assert.match(await page.locator('header').innerText(), /Connecté\(e\) : Angela\b/);
      assert.doesNotMatch(await page.locator('header').innerText(), /DUBOIS|Claire/, 'the first name only');
    });
    await visit(async (page) => {
      await loginAs(page, 'vincent');
      const review = await main(page);
      assert.match(review, /Lieu de naissance\s+Hors de France/);
      assert.match(review, /Pays de naissance\s+Algérie/);
    });
  });

  it('the confirmation shows the reference in groups and offers a récapitulatif; /suivi takes it however it is typed', async () => {
    await visit(async (page) => {
      await loginAs(page, 'angela');
      await page.getByRole('button', { name: 'Transmettre les données à la collectivité' }).click();
      await page.waitForURL(/\/confirmation$/);
      const shown = await page.locator('.fqf-reference').innerText();
      assert.match(shown, /^[0-9A-F]{4}\s[0-9A-F]{4}\s[0-9A-F]{5}$/);
      const reference = referenceShownIn(shown)!;

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /Télécharger le récapitulatif/ }).click()]);
      const dir = mkdtempSync(join(tmpdir(), 'fqf-recap-'));
      const file = join(dir, download.suggestedFilename());
      await download.saveAs(file);
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      assert.match(text, /Récapitulatif de votre démarche/);
      assert.ok(text.replace(/\s/g, '').includes(reference), 'the reference');
      assert.match(text, /Transmise à : Majastres/);
      assert.match(text, /2\s550\s€ par mois, pour février 2024/);
      assert.match(text, new RegExp(`/suivi/${reference}`));

      for (const typed of [shown, reference.toLowerCase(), `${reference.slice(0, 4)}-${reference.slice(4, 8)}-${reference.slice(8)}`.toLowerCase()]) {
        await page.goto(`${suite.test.appUrl}/suivi`);
        await page.getByLabel(/Identifiant de la démarche/).fill(typed);
        await page.getByRole('button', { name: 'Voir l’état de ma démarche' }).click();
        await page.waitForURL(new RegExp(`/suivi/${reference}$`));
        assert.equal(await page.locator('h1').innerText(), 'Suivi de ma démarche', typed);
      }
    });
  });

  it('the search finds every postal code of a commune, corrects a typo, and says what to try when nothing matches', async () => {
    await visit(async (page) => {
      for (const [code, name] of [['75015', 'Paris'], ['69001', 'Lyon'], ['13008', 'Marseille'], ['06000', 'Nice']] as const) {
        await page.goto(`${suite.test.appUrl}/collectivites?q=${code}`);
        assert.ok((await page.locator('#resultats-collectivites-liste a').allInnerTexts()).some((t) => t.startsWith(name)), code);
      }
      await page.goto(`${suite.test.appUrl}/collectivites?q=Majsatres`);
      assert.match(await main(page), /Vouliez-vous dire Majastres \?/);
      assert.equal(await page.locator(`#resultats-collectivites-liste a[href="/collectivites/${MAJASTRES}"]`).count(), 1);

      await page.goto(`${suite.test.appUrl}/collectivites?q=Qwxzyt`);
      const empty = await main(page);
      assert.match(empty, /Aucune collectivité ne correspond/);
      assert.match(empty, /Essayez :/);
      assert.match(empty, /code postal à 5 chiffres/);
    });
  });

  it('“Réessayer” after a temporary failure asks for the QF again, for the same commune', async () => {
    await visit(async (page) => {
      await loginAs(page, 'rene');
      const before = await page.locator('h1').innerText();
      let wentToFranceConnect = false;
      page.on('request', (request) => {
        if (request.url().includes('/franceconnect/api/v2/authorize')) wentToFranceConnect = true;
      });
      await page.getByRole('button', { name: 'Réessayer' }).click();
      // FranceConnect's session brings the family straight back; the stand-in may ask for the persona again.
      await page.waitForURL((url) => url.pathname.includes('/auth/franceconnect/callback') || url.href.startsWith(suite.test.sandboxUrl));
      if (page.url().startsWith(suite.test.sandboxUrl)) await page.getByRole('button', { name: /^René/ }).click();
      await page.waitForURL((url) => url.href.startsWith(suite.test.appUrl) && !url.pathname.startsWith('/auth/franceconnect/reessayer'));
      assert.ok(wentToFranceConnect, 'a new login, for a new access token');
      assert.equal(await page.locator('h1').innerText(), before, 'the same QF request, failing the same way here');
    });
  });

  it('“Recommencer avec un autre compte” logs out of FranceConnect first, then comes back to the commune', async () => {
    await visit(async (page) => {
      await loginAs(page, 'jean');
      let loggedOutOfFranceConnect = false;
      page.on('request', (request) => {
        if (request.url().includes('/franceconnect/api/v2/session/end')) loggedOutOfFranceConnect = true;
      });
      await page.getByRole('button', { name: 'Recommencer la démarche avec un autre compte' }).click();
      await page.waitForURL(`${suite.test.appUrl}/collectivites/${MAJASTRES}`);
      assert.ok(loggedOutOfFranceConnect);
      assert.equal(await page.locator('header').getByText(/Connecté/).count(), 0);
    });
  });

  it('wrote no personal data in the logs', () => {
    assert.ok(suite.test.logs.length > 10, 'the service did log');
    assert.deepEqual(personalDataIn(suite.test.logs), []);
  });
});
