import { CookieJar } from '../../src/integrations/franceconnect/testing/cookie-jar.ts';
import { FranceConnectBrowser } from '../../src/integrations/franceconnect/testing/login-as.ts';

/**
 * An agent's browser without JavaScript, over plain HTTP: the espace's cookies in one jar, ProConnect's in the
 * stand-in browser (its pages share FranceConnect's shape: an e-mail form ending in /login, "Annuler" in /abort).
 */
export interface Answer {
  status: number;
  location: string | null;
  headers: Headers;
  contentType: string;
  body: Buffer;
  html: string;
}

/** Where a sign-in starts: the page with the ProConnect button, and the button's form action. */
export interface SignInPage {
  page: string;
  action: string;
}
export const ESPACE: SignInPage = { page: '/espace', action: '/espace/connexion' };
export const BACK_OFFICE: SignInPage = { page: '/admin/connexion', action: '/admin/connexion' };

export class AgentOverHttp {
  readonly jar = new CookieJar();
  readonly proConnect = new FranceConnectBrowser();
  constructor(readonly appUrl: string) {}

  async request(path: string | URL, form?: Record<string, string> | URLSearchParams): Promise<Answer> {
    const url = new URL(path, this.appUrl);
    const headers: Record<string, string> = {};
    const cookie = this.jar.headerFor(url);
    if (cookie) headers.cookie = cookie;
    const body = form ? new URLSearchParams(form) : undefined;
    if (body) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(url, { method: body ? 'POST' : 'GET', headers, redirect: 'manual', ...(body ? { body } : {}) });
    this.jar.store(url, response.headers);
    const bytes = Buffer.from(await response.arrayBuffer());
    return { status: response.status, location: response.headers.get('location'), headers: response.headers, contentType: response.headers.get('content-type') ?? '', body: bytes, html: bytes.toString('utf8') };
  }

  /** A CSRF token from one of our pages (every form of the page carries the same). */
  async csrf(path = '/espace'): Promise<string> {
    const page = await this.request(path);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.html)?.[1];
    if (!token) throw new Error(`no CSRF token on ${path} (${page.status})`);
    return token;
  }

  /** Posts a form of `page` with its CSRF token. */
  async submit(page: string, action: string, fields: Record<string, string> = {}): Promise<Answer> {
    return this.request(action, { _csrf: await this.csrf(page), ...fields });
  }

  /**
   * "S'identifier avec ProConnect" on `from` (the espace's sign-in page by default, the back office's with
   * BACK_OFFICE), the persona on ProConnect's page, and our callback; resolves to the callback's answer.
   */
  async signIn(email: string, from: SignInPage = ESPACE): Promise<Answer> {
    const start = await this.submit(from.page, from.action);
    if (start.status !== 303 || !start.location) throw new Error(`sign-in start answered ${start.status}`);
    const callback = await this.proConnect.loginAs(email, start.location);
    return this.request(callback);
  }
}
