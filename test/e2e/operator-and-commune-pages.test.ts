/**
 * Pages beyond the families' journey (issue 16, points 7, 10 and 11), in a real browser: the demo commune portal
 * passes axe, the API documentation and the back office fit 1280 px, the back office has its own frame, a
 * commune has its own "sans FranceConnect" page, a commune that left the service is named; the operator signs in
 * with ProConnect, is refused off the allowlist, and logs out, every page passing axe at 360 and 1280 px.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { accessibilityProblems, signIn } from './support/espace.ts';
import { browserSuite } from './support/suite.ts';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const MAJASTRES = '21040107100019';
const STRASBOURG_INACTIVE = '21670482500019';

describe('operator and commune pages, in a real browser', () => {
  // Every test signs an operator in: more than a person's handful of sign-ins a minute.
  const suite = browserSuite({ PROCONNECT_SIGN_IN_PER_MINUTE: '100' });

  /** A fresh browser profile at `width` px, signed in to /admin as `operator` (the stand-in's administrator by default) unless null. */
  const desktop = async <T>(run: (page: Page) => Promise<T>, options: { width?: number; operator?: RegExp | null } = {}): Promise<T> => {
    const width = options.width ?? 1280;
    const context = await suite.browser.newContext({ viewport: { width, height: 900 }, locale: 'fr-FR' });
    await context.addInitScript({ content: axeSource });
    try {
      const page = await context.newPage();
      const operator = options.operator === undefined ? /Sacha LEROY/ : options.operator;
      if (operator) {
        await signIn(page, suite.test.appUrl, operator, '/admin/connexion');
        await page.waitForURL(`${suite.test.appUrl}/admin`);
      }
      return await run(page);
    } finally {
      await context.close();
    }
  };
  const violations = (page: Page) => page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => v.id))`) as Promise<string[]>;
  const width = async (page: Page) => Number(await page.evaluate('document.documentElement.scrollWidth'));

  it('the demo commune portal passes axe', async () => {
    await desktop(async (page) => {
      await page.goto(`${suite.test.sandboxUrl}/portail-commune/${MAJASTRES}/`);
      assert.deepEqual(await violations(page), []);
      await page.goto(`${suite.test.sandboxUrl}/portail-commune/${MAJASTRES}/retour`);
      assert.deepEqual(await violations(page), []);
    });
  });

  it('the API documentation and every back-office page fit 1280 px', async () => {
    await desktop(async (page) => {
      for (const path of ['/api/documentation', '/admin', '/admin/collectivites', '/admin/transmissions', '/admin/raccordements', '/admin/webhooks', '/admin/file-de-travaux', '/admin/journal']) {
        await page.goto(`${suite.test.appUrl}${path}`);
        assert.equal(await width(page), 1280, path);
      }
    });
  });

  it('the back office has its own header and footer, and its figures start with alerts and the funnel', async () => {
    await desktop(async (page) => {
      await page.goto(`${suite.test.appUrl}/admin`);
      assert.match(await page.locator('header').innerText(), /Administration/);
      assert.doesNotMatch(await page.locator('footer').innerText(), /legifrance|Accessibilité/);
      const main = await page.locator('main').innerText();
      assert.match(main, /Parcours des familles sur la période/);
      assert.ok(main.indexOf('Parcours des familles') < main.indexOf('Période (dates incluses'), 'the funnel before the date picker');
    });
  });

  it('the operator signs in with ProConnect, is refused off the allowlist, logs out; every page passes axe at 360 and 1280 px', async () => {
    for (const width of [360, 1280]) {
      const problems: string[] = [];
      await desktop(
        async (page) => {
          await page.goto(`${suite.test.appUrl}/admin`);
          await page.waitForURL(`${suite.test.appUrl}/admin/connexion`);
          problems.push(...(await accessibilityProblems(page, width)));
          await page.getByRole('button', { name: /S’identifier avec\s*ProConnect/ }).click();
          await page.getByRole('button', { name: /Sacha LEROY/ }).click();
          await page.waitForURL(`${suite.test.appUrl}/admin`);
          for (const path of ['/admin', '/admin/collectivites', '/admin/transmissions', '/admin/webhooks', '/admin/journal']) {
            await page.goto(`${suite.test.appUrl}${path}`);
            problems.push(...(await accessibilityProblems(page, width)));
          }
          await page.getByRole('button', { name: 'Se déconnecter' }).click();
          await page.waitForURL(`${suite.test.appUrl}/admin/deconnecte`);
          assert.match(await page.locator('h1').innerText(), /Vous êtes déconnecté du back office/);
          problems.push(...(await accessibilityProblems(page, width)));
          await page.goto(`${suite.test.appUrl}/admin`);
          await page.waitForURL(`${suite.test.appUrl}/admin/connexion`);
        },
        { width, operator: null },
      );
      await desktop(
        async (page) => {
          await signIn(page, suite.test.appUrl, /Camille MARTIN/, '/admin/connexion');
          await page.waitForURL(`${suite.test.appUrl}/admin/connexion/retour**`);
          assert.equal(await page.locator('h1').innerText(), 'Vous n’êtes pas sur la liste des opérateurs');
          problems.push(...(await accessibilityProblems(page, width)));
        },
        { width, operator: null },
      );
      assert.deepEqual(problems, [], `${width} px`);
    }
  });

  it('a commune has its own page without FranceConnect; a commune that left is named, not its SIRET', async () => {
    await desktop(async (page) => {
      await page.goto(`${suite.test.appUrl}/collectivites/${MAJASTRES}`);
      await page.getByRole('link', { name: 'Vous n’utilisez pas FranceConnect ?' }).click();
      await page.waitForURL(new RegExp(`/collectivites/${MAJASTRES}/sans-franceconnect$`));
      assert.equal(await page.locator('h1').innerText(), 'Vous n’utilisez pas FranceConnect ? (Majastres)');
      assert.match(await page.locator('main').innerText(), /Au guichet de votre commune/);
      assert.deepEqual(await violations(page), []);

      await page.goto(`${suite.test.appUrl}/collectivites/${STRASBOURG_INACTIVE}`);
      const main = await page.locator('main').innerText();
      assert.match(main, /Strasbourg n’utilise pas ou plus ce service/);
      assert.doesNotMatch(main, new RegExp(STRASBOURG_INACTIVE));
    });
  });
});
