import { CookieJar } from '../../src/integrations/franceconnect/testing/cookie-jar.ts';
import { FranceConnectBrowser } from '../../src/integrations/franceconnect/testing/login-as.ts';

/**
 * A citizen's browser without JavaScript, scripted over HTTP with a cookie jar, timing each step of the journey:
 * the home page, the chooser (a search), the collectivity's page, FranceConnect (the button, then the persona on
 * the stand-in's page, until FranceConnect sends back), the callback (token, userinfo, API Particulier), the
 * review, "Transmettre" (the HubEE transmission, inline) and the confirmation.
 */
export const JOURNEY_STEPS = ['home', 'chooser', 'collectivity', 'franceconnect', 'callback', 'review', 'transmit', 'confirmation'] as const;
export type JourneyStep = (typeof JOURNEY_STEPS)[number];

interface Page {
  status: number;
  location: string | null;
  html: string;
}

export class Citizen {
  readonly jar = new CookieJar();
  readonly timings: Partial<Record<JourneyStep, number>> = {};

  constructor(readonly appUrl: string) {}

  async visit(path: string | URL, form?: URLSearchParams): Promise<Page> {
    const url = new URL(path, this.appUrl);
    const headers: Record<string, string> = {};
    const cookie = this.jar.headerFor(url);
    if (cookie) headers.cookie = cookie;
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(url, { method: form ? 'POST' : 'GET', headers, redirect: 'manual', ...(form ? { body: form } : {}) });
    this.jar.store(url, response.headers);
    return { status: response.status, location: response.headers.get('location'), html: await response.text() };
  }

  /** The cookie header a browser would send to the app (the journey cookie among others). */
  cookieHeader(): string {
    return this.jar.headerFor(new URL('/', this.appUrl)) ?? '';
  }

  async #timed<T>(step: JourneyStep, run: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const result = await run();
    this.timings[step] = performance.now() - started;
    return result;
  }

  /** From the home page to the review page, logged in as `persona`; returns the review page's HTML. */
  async reachReview(options: { siret: string; search: string; persona: string }): Promise<string> {
    const expect = (page: Page, status: number, what: string) => {
      if (page.status !== status) throw new Error(`${what} answered ${page.status} instead of ${status}`);
      return page;
    };
    await this.#timed('home', async () => expect(await this.visit('/'), 200, 'the home page'));
    await this.#timed('chooser', async () => expect(await this.visit(`/collectivites?q=${encodeURIComponent(options.search)}`), 200, 'the chooser'));
    const collectivity = await this.#timed('collectivity', async () => expect(await this.visit(`/collectivites/${options.siret}`), 200, 'the collectivity page'));
    const callback = await this.#timed('franceconnect', async () => {
      const start = await this.visit('/auth/franceconnect', new URLSearchParams({ _csrf: csrfOf(collectivity.html), siret: options.siret }));
      if (start.status !== 303 || !start.location) throw new Error(`the FranceConnect button answered ${start.status}`);
      return new FranceConnectBrowser().loginAs(options.persona, start.location);
    });
    await this.#timed('callback', async () => {
      const back = await this.visit(callback);
      if (back.status !== 303 || !back.location?.endsWith('/verification')) throw new Error(`the callback answered ${back.status} ${back.location ?? ''}`);
    });
    return (await this.#timed('review', async () => expect(await this.visit('/verification'), 200, 'the review page'))).html;
  }

  /** "Transmettre" on the review page, then the confirmation; returns the reference shown. */
  async transmit(reviewHtml: string): Promise<string> {
    await this.#timed('transmit', async () => {
      const sent = await this.visit('/transmission', new URLSearchParams({ _csrf: csrfOf(reviewHtml) }));
      if (sent.status !== 303) throw new Error(`the transmission answered ${sent.status}`);
    });
    const confirmation = await this.#timed('confirmation', () => this.visit('/confirmation'));
    const reference = /\b([0-9A-F]{13})\b/.exec(confirmation.html)?.[1];
    if (confirmation.status !== 200 || !reference) throw new Error(`the confirmation answered ${confirmation.status} without a reference`);
    return reference;
  }
}

function csrfOf(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('no CSRF token on the page');
  return token;
}
