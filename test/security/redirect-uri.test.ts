import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loginAs, unescapeHtml } from '../../src/integrations/franceconnect/testing/login-as.ts';
import { startTestService, type TestService } from '../support/service.ts';
import { Citizen, type Page } from './support/citizen.ts';
import { journeyInCookie } from '../../src/web/journey/cookie.ts';

/**
 * A commune's portal sends families to the form with a `redirect_uri` for the "return to my commune's site"
 * button. An open redirect on a State domain is a phishing tool: only URLs under the commune's allowed prefix
 * are kept; anything else is dropped at the door, never put in a hidden field, a link or a Location header.
 */

const MAJASTRES = '21040107100019';
const BELLEY = '21010034300016';

describe('redirect_uri at the app\'s doors', () => {
  let test: TestService;
  let allowed: string;
  before(async () => {
    test = await startTestService();
    allowed = `${test.sandboxUrl}/portail-commune/${MAJASTRES}/`;
  });
  after(() => test.stop());

  /** Every way we know to dress another destination as the commune's own page. */
  const hostileValues = (): string[] => {
    const sandbox = new URL(test.sandboxUrl);
    const host = sandbox.host;
    const prefix = `/portail-commune/${MAJASTRES}/`;
    return [
      // Other hosts, and the allowed host under another scheme, port or name.
      'https://evil.com/',
      `https://evil.com${prefix}`,
      `http://localhost:${sandbox.port}${prefix}`,
      `http://127.0.0.1:${Number(sandbox.port) + 1}${prefix}`,
      `https://${host}${prefix}`,
      `ftp://${host}${prefix}`,
      // Another commune's own prefix is not this one's.
      `${test.sandboxUrl}/portail-commune/${BELLEY}/`,
      // Look-alikes.
      'https://commune.fr.evil.com/',
      'https://evil.com/commune.fr',
      `http://${host}.evil.com${prefix}`,
      `${test.sandboxUrl}/portail-commune/${MAJASTRES}-evil/`,
      `${test.sandboxUrl}/portail-commune/${MAJASTRES}`.slice(0, -1),
      // Userinfo.
      'https://portail@evil.com',
      `http://${host}@evil.com${prefix}`,
      `http://portail@${host}${prefix}`,
      `http://${host}:@evil.com${prefix}`,
      // Scripts and inline documents.
      'javascript:alert(document.domain)',
      'JaVaScRiPt:alert(1)',
      'javascript://%0aalert(1)',
      `javascript:alert(1)//${allowed}`,
      'data:text/html,<script>alert(1)</script>',
      'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
      'vbscript:msgbox(1)',
      // Protocol-relative, scheme-relative, relative.
      '//evil.com',
      `//evil.com${prefix}`,
      `//${host}${prefix}`,
      '///evil.com',
      'https:evil.com',
      'http:/evil.com',
      '/suivi',
      `portail-commune/${MAJASTRES}/`,
      // Backslashes.
      '/\\evil.com',
      '\\\\evil.com',
      'http:\\\\evil.com',
      `http://${host}\\@evil.com${prefix}`,
      `${allowed}\\..\\..\\evil`,
      // Encoded forms, once and twice.
      '%2F%2Fevil.com',
      `${allowed}%2F%2Fevil.com`,
      `${allowed}%5C%5Cevil.com`,
      `${allowed}%252F%252Fevil.com`,
      `${allowed}%2e%2e/%2e%2e/%2e%2e/evil`,
      `${allowed}../../../evil`,
      `${allowed}/evil.com`,
      `http://${host}%2F@evil.com${prefix}`,
      `http://%65vil.com${prefix}`,
      '%68ttps://evil.com',
      `${allowed}%00`,
      // Whitespace and control or invisible characters, which browsers strip or read their own way.
      ` ${allowed}`,
      `${allowed} `,
      `${allowed}\t`,
      `${allowed.slice(0, 5)}\n${allowed.slice(5)}`,
      `${allowed}\r\nSet-Cookie: x=1`,
      `${allowed}\u0000`,
      `${allowed}\u200b`,
      `${allowed}\u202egro.live`,
      `\u0000javascript:alert(1)`,
      // Too long to be a page address.
      `${allowed}${'a'.repeat(3000)}`,
    ];
  };

  const hrefsAndActions = (html: string) => [...html.matchAll(/\b(?:href|action|src)="([^"]*)"/g)].map((m) => unescapeHtml(m[1] ?? ''));
  const hiddenRedirectUri = (page: Page) => /<input[^>]*name="redirect_uri"[^>]*>/.exec(page.html)?.[0];

  const pageWith = (citizen: Citizen, value: string) =>
    citizen.get(`/collectivites/${MAJASTRES}?${new URLSearchParams({ redirect_uri: value }).toString()}`);

  const journeyOrigin = async (citizen: Citizen) => {
    const id = citizen.cookie('fqf_journey');
    const journey = id ? await test.service.context.journeys.load(journeyInCookie(id).id) : null;
    assert.ok(journey, 'no journey was started');
    return journey.origin;
  };

  it('keeps the allowed prefix: hidden field on the page, then in the journey', async () => {
    for (const value of [allowed, `${allowed}retour`, `${allowed}retour?dossier=A-12#haut`]) {
      const citizen = new Citizen(test.appUrl);
      const page = await pageWith(citizen, value);
      assert.equal(page.status, 200);
      const field = hiddenRedirectUri(page);
      assert.ok(field, `${value} was dropped`);
      assert.equal(unescapeHtml(/value="([^"]*)"/.exec(field)?.[1] ?? ''), value);
      const pressed = await citizen.pressFranceConnect(MAJASTRES, { redirect_uri: value });
      assert.equal(pressed.status, 303);
      assert.equal((await journeyOrigin(citizen)).redirectUri, value);
    }
  });

  it('drops each hostile value from the collectivity page: no hidden field, no link, no redirection', async () => {
    const problems: string[] = [];
    for (const value of hostileValues()) {
      const page = await pageWith(new Citizen(test.appUrl), value);
      if (page.status !== 200) problems.push(`${JSON.stringify(value)}: HTTP ${page.status}`);
      if (page.location !== null) problems.push(`${JSON.stringify(value)}: redirected to ${page.location}`);
      if (hiddenRedirectUri(page)) problems.push(`${JSON.stringify(value)}: reflected as ${hiddenRedirectUri(page)}`);
      for (const link of hrefsAndActions(page.html)) {
        // The page's own QR code is an inline image; no other data: URL belongs there.
        if (link === value || /evil|javascript:|vbscript:|data:(?!image\/svg\+xml;base64,)/i.test(link)) problems.push(`${JSON.stringify(value)}: link ${link.slice(0, 80)}`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('drops each hostile value posted with the FranceConnect button: the journey keeps no return address', async () => {
    const problems: string[] = [];
    const issuer = test.service.context.config.franceConnect.issuer;
    for (const value of hostileValues()) {
      const citizen = new Citizen(test.appUrl);
      const pressed = await citizen.pressFranceConnect(MAJASTRES, { redirect_uri: value });
      if (pressed.status !== 303 || !pressed.location?.startsWith(`${issuer}/authorize?`)) {
        problems.push(`${JSON.stringify(value)}: HTTP ${pressed.status} to ${pressed.location}`);
        continue;
      }
      const origin = await journeyOrigin(citizen);
      if (origin.redirectUri !== null) problems.push(`${JSON.stringify(value)}: kept as ${JSON.stringify(origin.redirectUri)}`);
    }
    assert.deepEqual(problems, []);
  });

  it('drops a redirect_uri given twice, or as a list', async () => {
    for (const query of [
      `redirect_uri=${encodeURIComponent(allowed)}&redirect_uri=${encodeURIComponent('https://evil.com/')}`,
      `redirect_uri[]=${encodeURIComponent(allowed)}`,
      `redirect_uri[0]=${encodeURIComponent('https://evil.com/')}`,
    ]) {
      const page = await new Citizen(test.appUrl).get(`/collectivites/${MAJASTRES}?${query}`);
      assert.equal(page.status, 200, query);
      const field = hiddenRedirectUri(page);
      assert.ok(field === undefined || !field.includes('evil'), `${query}: ${field}`);
    }
  });

  /** The whole journey with the FranceConnect and HubEE stand-ins, down to the confirmation page. */
  const confirmationAfter = async (redirectUri: string) => {
    const citizen = new Citizen(test.appUrl);
    const pressed = await citizen.pressFranceConnect(MAJASTRES, { redirect_uri: redirectUri });
    assert.ok(pressed.location);
    const back = await citizen.get(await loginAs('angela', pressed.location));
    assert.equal(back.location, '/verification', `callback: HTTP ${back.status} ${back.title}`);
    const _csrf = await citizen.csrfTokenFrom('/verification');
    const sent = await citizen.post('/transmission', { _csrf });
    assert.equal(sent.location, '/confirmation');
    const confirmation = await citizen.get('/confirmation');
    assert.equal(confirmation.status, 200);
    return confirmation;
  };
  const returnButton = (page: Page) => {
    const href = /<a class="fr-btn" href="([^"]*)">\s*Retourner sur le site de ma collectivité/.exec(page.html)?.[1];
    return href === undefined ? undefined : unescapeHtml(href);
  };

  it('offers the allowed address as the return button at the end of the journey', async () => {
    const value = `${allowed}retour`;
    assert.equal(returnButton(await confirmationAfter(value)), value);
  });

  it('offers no return button at the end of a journey started with a hostile address', async () => {
    for (const value of ['https://evil.com/', `javascript:alert(1)//${allowed}`, `//evil.com/portail-commune/${MAJASTRES}/`]) {
      const confirmation = await confirmationAfter(value);
      assert.equal(returnButton(confirmation), undefined, value);
      assert.doesNotMatch(confirmation.html, /evil|javascript:/);
    }
  });
});
