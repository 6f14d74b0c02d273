/**
 * Pages beyond the families' journey (issue 16, points 7, 10 and 11), in a real browser: the demo commune portal
 * passes axe, the API documentation and the back office fit 1280 px, the back office has its own frame, a
 * commune has its own "sans FranceConnect" page, a commune that left the service is named.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { browserSuite } from './support/suite.ts';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const MAJASTRES = '21040107100019';
const STRASBOURG_INACTIVE = '21670482500019';

describe('operator and commune pages, in a real browser', () => {
  const suite = browserSuite();

  const desktop = async <T>(run: (page: Page) => Promise<T>): Promise<T> => {
    const context = await suite.browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'fr-FR',
      httpCredentials: { username: 'operateur', password: 'local-only-admin-password' },
    });
    await context.addInitScript({ content: axeSource });
    try {
      return await run(await context.newPage());
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
      for (const path of ['/api/documentation', '/admin', '/admin/collectivites', '/admin/transmissions', '/admin/raccordements', '/admin/webhooks', '/admin/file-de-travaux']) {
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
