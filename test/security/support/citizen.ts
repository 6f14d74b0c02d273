import { CookieJar } from '../../../src/integrations/franceconnect/testing/cookie-jar.ts';
import { unescapeHtml } from '../../../src/integrations/franceconnect/testing/login-as.ts';

/**
 * A citizen's browser reduced to what the security tests need: cookies kept per host, redirects not followed
 * (each test looks at where the app sends it), forms posted with the CSRF token read from the page.
 */
export class Citizen {
  readonly #jar = new CookieJar();

  constructor(readonly appUrl: string) {}

  async get(pathOrUrl: string | URL): Promise<Page> {
    return this.#send(new URL(pathOrUrl, this.appUrl), { method: 'GET' });
  }

  /** Posts a form as the page's own form would (urlencoded), with the given fields as they are. */
  async post(path: string, fields: Record<string, string>): Promise<Page> {
    return this.#send(new URL(path, this.appUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  }

  /** The CSRF token of the form a page carries (the page also sets the cookie that goes with it). */
  async csrfTokenFrom(path: string): Promise<string> {
    const page = await this.get(path);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.html)?.[1];
    if (!token) throw new Error(`No CSRF token on ${path} (HTTP ${page.status})`);
    return token;
  }

  /**
   * Presses "S'identifier avec FranceConnect" on a collectivity's page, with the hidden fields given (or the
   * page's own); resolves to the app's answer, a 303 to FranceConnect's authorize URL when all is well.
   */
  async pressFranceConnect(siret: string, fields: Record<string, string> = {}): Promise<Page> {
    const _csrf = await this.csrfTokenFrom(`/collectivites/${siret}`);
    return this.post('/auth/franceconnect', { siret, ...fields, _csrf });
  }

  /** The value of one of the app's cookies, as this browser would send it. */
  cookie(name: string): string | undefined {
    const header = this.#jar.headerFor(new URL(this.appUrl)) ?? '';
    for (const pair of header.split('; ')) {
      const separator = pair.indexOf('=');
      if (pair.slice(0, separator) === name) return pair.slice(separator + 1);
    }
    return undefined;
  }

  async #send(url: URL, init: RequestInit): Promise<Page> {
    const headers = new Headers(init.headers);
    const cookie = this.#jar.headerFor(url);
    if (cookie) headers.set('cookie', cookie);
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    this.#jar.store(url, response.headers);
    const html = await response.text();
    return { status: response.status, location: response.headers.get('location'), html, title: titleOf(html) };
  }
}

export interface Page {
  status: number;
  location: string | null;
  html: string;
  /** The page's <title>, unescaped; empty when there is none. */
  title: string;
}

function titleOf(html: string): string {
  return unescapeHtml(/<title>([^<]*)<\/title>/.exec(html)?.[1] ?? '');
}
