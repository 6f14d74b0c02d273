import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { personas } from '../../src/sandbox/fixtures.ts';
import { personalDataIn } from '../support/personal-data.ts';
import { browserSuite } from './support/suite.ts';

const MAJASTRES = '21040107100019';
const STRASBOURG_INACTIVE = '21670482500019';

describe('every way the journey can go wrong has its own page, in a real browser', () => {
  // The service's clock, moved forward by a test instead of waiting.
  let ahead = 0;
  const suite = browserSuite({}, { now: () => new Date(Date.now() + ahead) });
  const visit = suite.visit;

  /** Up to FranceConnect's login page; returns the authorize URL our app sent the browser to. */
  const startLogin = async (page: Page): Promise<URL> => {
    let authorize: URL | null = null;
    page.on('request', (request) => {
      if (request.url().includes('/franceconnect/api/v2/authorize')) authorize = new URL(request.url());
    });
    await page.goto(`${suite.test.appUrl}/collectivites/${MAJASTRES}`);
    await page.getByRole('button', { name: /S’identifier avec\s*FranceConnect/ }).click();
    await page.waitForURL((url) => url.href.startsWith(suite.test.sandboxUrl));
    if (!authorize) throw new Error('the app did not send the browser to FranceConnect');
    return authorize;
  };
  const loginAs = async (page: Page, login: string) => {
    const persona = personas.find((p) => p.login === login)!;
    await startLogin(page);
    await page.getByRole('button', { name: new RegExp(`^${persona.claims.given_name} ${persona.claims.family_name}`) }).click();
    await page.waitForURL((url) => url.href.startsWith(suite.test.appUrl));
  };
  const heading = (page: Page) => page.locator('h1').innerText();

  for (const [login, expected] of [
    ['jean', /Ni la CAF ni la MSA/],
    ['paul', /CAF/],
    ['lucie', /MSA/],
    ['sylvain', /.+/],
    ['jean-marie', /plus tard|indisponible/i],
    ['clement', /plus tard|indisponible|répond pas/i],
    ['rene', /trop de demandes|plus tard/i],
    ['bernadette', /plus tard|temps|délai/i],
  ] as const) {
    it(`QF error for ${login}: its own explanation, the alternatives, an error title`, async () => {
      await visit(async (page) => {
        await loginAs(page, login);
        const title = await page.title();
        assert.match(title, /^Erreur - /);
        const main = await page.locator('main').innerText();
        assert.match(main, expected);
        assert.match(main, /attestation/i, 'the alternatives are offered');
        assert.ok(!main.includes('Transmettre les données'), 'nothing can be transmitted');
      });
    });
  }

  it('each QF error has a different explanation', async () => {
    const texts = new Set<string>();
    for (const login of ['jean', 'paul', 'lucie', 'sylvain', 'jean-marie', 'rene', 'bernadette']) {
      texts.add(await visit(async (page) => {
        await loginAs(page, login);
        return heading(page);
      }));
    }
    assert.equal(texts.size, 7, [...texts].join(' | '));
  });

  it('“Annuler” at FranceConnect says the login was cancelled', async () => {
    await visit(async (page) => {
      await startLogin(page);
      await page.getByRole('button', { name: 'Annuler' }).click();
      await page.waitForURL((url) => url.href.startsWith(suite.test.appUrl));
      assert.match(await page.title(), /^Erreur - /);
      assert.match(await page.locator('main').innerText(), /annulé/i);
    });
  });

  it('an invalid_acr answer from FranceConnect has its page', async () => {
    await visit(async (page) => {
      const authorize = await startLogin(page);
      const state = authorize.searchParams.get('state');
      assert.equal(state?.length, 43);
      assert.equal(authorize.searchParams.get('acr_values'), 'eidas1');
      assert.equal(authorize.searchParams.get('scope'), 'openid identite_pivot cnaf_quotient_familial cnaf_allocataires cnaf_enfants');
      assert.equal(authorize.searchParams.has('code_challenge'), false);
      assert.ok((authorize.searchParams.get('nonce')?.length ?? 0) >= 32);
      await page.goto(`${suite.test.appUrl}/auth/franceconnect/callback?error=invalid_acr&state=${state}&iss=${encodeURIComponent(suite.test.service.context.config.franceConnect.issuer)}`);
      assert.match(await page.title(), /^Erreur - /);
      assert.match(await page.locator('main').innerText(), /niveau|garantie|sécurité/i);
    });
  });

  it('a forged callback (wrong state) is refused', async () => {
    await visit(async (page) => {
      await startLogin(page);
      await page.goto(`${suite.test.appUrl}/auth/franceconnect/callback?code=forged&state=${'x'.repeat(43)}&iss=${encodeURIComponent(suite.test.service.context.config.franceConnect.issuer)}`);
      assert.match(await page.title(), /^Erreur - /);
      assert.equal(await page.locator('text=Transmettre les données à la collectivité').count(), 0);
    });
  });

  it('a reused callback is refused, and the journey is not replayed', async () => {
    await visit(async (page) => {
      let callback = '';
      page.on('request', (request) => {
        if (request.url().includes('/auth/franceconnect/callback')) callback = request.url();
      });
      await loginAs(page, 'angela');
      assert.match(page.url(), /\/verification$/);
      await page.goto(callback);
      assert.match(await page.title(), /^Erreur - /);
    });
  });

  it('a journey older than 30 minutes is expired, and the browser still sends its cookie to say so', async () => {
    await visit(async (page) => {
      await loginAs(page, 'angela');
      // The journey cookie outlives the stored journey: 30 minutes later the browser still has it.
      const journeyCookie = (await page.context().cookies()).find((c) => c.name === 'fqf_journey');
      assert.ok(journeyCookie && journeyCookie.expires * 1000 > Date.now() + 60 * 60 * 1000, 'the cookie lasts past the journey');
      // 30 minutes and a second later, on the service's clock.
      ahead = 30 * 60 * 1000 + 1000;
      try {
        await page.goto(`${suite.test.appUrl}/verification`);
      } finally {
        ahead = 0;
      }
      assert.match(await page.title(), /^Erreur - /);
      const main = await page.locator('main').innerText();
      assert.match(main, /expiré|30 minutes/i);
      assert.doesNotMatch(main, /cookie/i, 'an expired journey is not blamed on cookies');
    });
  });

  it('a browser that blocks cookies is told so at the FranceConnect button, not to reload the page', async () => {
    await visit(async (page) => {
      await page.goto(`${suite.test.appUrl}/collectivites/${MAJASTRES}`);
      // What blocking does: the cookie the page set never comes back with the form.
      await page.context().clearCookies();
      await page.getByRole('button', { name: /S’identifier avec\s*FranceConnect/ }).click();
      await page.waitForLoadState();
      assert.match(await page.title(), /^Erreur - /);
      assert.equal(await heading(page), 'Votre navigateur bloque les cookies');
      assert.doesNotMatch(await page.locator('main').innerText(), /Rechargez la page/);
      assert.equal(await page.getByRole('link', { name: 'Recommencer la démarche' }).getAttribute('href'), `/collectivites/${MAJASTRES}`);
    });
  });

  it('a browser that keeps no cookie is told so at the callback', async () => {
    await visit(async (page) => {
      await startLogin(page);
      await page.context().clearCookies({ domain: new URL(suite.test.appUrl).hostname, path: '/' });
      await page.getByRole('button', { name: /Angela Claire Louise DUBOIS/ }).click();
      await page.waitForURL((url) => url.href.startsWith(suite.test.appUrl));
      assert.match(await page.title(), /^Erreur - /);
      assert.match(await page.locator('main').innerText(), /cookie/i);
    });
  });

  it('an unknown or inactive SIRET shows “Collectivité non trouvée” with a way back to the search', async () => {
    await visit(async (page) => {
      for (const siret of ['21040107100027', STRASBOURG_INACTIVE, 'pas-un-siret']) {
        const response = await page.goto(`${suite.test.appUrl}/collectivites/${siret}`);
        assert.equal(response?.status(), 404);
        assert.match(await page.locator('h1').innerText(), /Collectivité non trouvée/);
        assert.ok((await page.locator('main a[href^="/collectivites"]').count()) > 0);
      }
    });
  });

  it('the chooser never lists an inactive collectivity', async () => {
    await visit(async (page) => {
      await page.goto(`${suite.test.appUrl}/collectivites?q=Strasbourg`);
      assert.equal(await page.locator('a[href="/collectivites/21670482500019"]').count(), 0);
    });
  });

  it('a redirect_uri that is not allowed is ignored (no return button) and logged', async () => {
    await visit(async (page) => {
      await page.goto(`${suite.test.appUrl}/collectivites/${MAJASTRES}?external_id=d-1&redirect_uri=${encodeURIComponent('https://evil.example/phish')}`);
      assert.equal(await page.locator('input[name="redirect_uri"]').count(), 0);
      assert.ok(suite.test.logs.some((line) => line.includes('journey.redirect_uri_refused')));
    });
  });

  it('“Se déconnecter” ends the FranceConnect session too and lands on a page that says so', async () => {
    await visit(async (page) => {
      await loginAs(page, 'angela');
      await page.getByRole('button', { name: /Annuler et me déconnecter|Se déconnecter/ }).first().click();
      await page.waitForURL(`${suite.test.appUrl}/deconnexion`);
      assert.equal(await heading(page), 'Vous êtes déconnecté');
      assert.match(await page.locator('main').innerText(), /déconnecté de ce service et de FranceConnect/);
      // Back to the review afterwards: no démarche here any more, and the browser's cookies are not blamed.
      await page.goto(`${suite.test.appUrl}/verification`);
      assert.match(await page.title(), /^Erreur - /);
      assert.match(await heading(page), /Aucune démarche n’est en cours/);
    });
  });

  it('a form posted without its CSRF token is refused with a clear page', async () => {
    const response = await fetch(`${suite.test.appUrl}/transmission`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    assert.equal(response.status, 403);
    assert.match(await response.text(), /<title>Erreur - /);
  });

  it('wrote no personal data in the logs during the error paths', () => {
    assert.ok(suite.test.logs.length > 10, 'the service did log');
    assert.deepEqual(personalDataIn(suite.test.logs), []);
  });
});

