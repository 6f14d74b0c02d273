import { httpRequest, type HttpResponse } from '../../http.ts';
import { CookieJar } from './cookie-jar.ts';

/**
 * Drives the FranceConnect stand-in the way a browser would, for tests at any level: start at an authorize
 * URL, follow FranceConnect's redirects with a cookie jar, pick a persona (or "Annuler") on the login page, and
 * stop at the first URL outside FranceConnect, which is the service provider's callback.
 */
export type AuthorizeOutcome =
  /** FranceConnect sent the browser away (to the callback): a success or an error redirect. */
  | { kind: 'redirected'; url: URL }
  /** FranceConnect shows a page: the login page (200) or an error page (e.g. 400 with Y030007). */
  | { kind: 'page'; url: URL; status: number; html: string };

export interface BrowserOptions {
  timeoutMs?: number;
}

const MAX_REDIRECTS = 10;

/** Logs in as the persona whose login (e.g. "angela") is given; resolves to the callback URL. */
export async function loginAs(login: string, authorizeUrl: string | URL, options: BrowserOptions = {}): Promise<URL> {
  return choose(authorizeUrl, options, (page) => ({ action: formAction(page, 'login'), fields: { login } }));
}

/** Presses "Annuler" on the login page; resolves to the callback URL (carrying error=access_denied). */
export async function cancelLogin(authorizeUrl: string | URL, options: BrowserOptions = {}): Promise<URL> {
  return choose(authorizeUrl, options, (page) => ({ action: formAction(page, 'abort'), fields: {} }));
}

/** Opens an authorize URL and says where FranceConnect ends up: a redirect out of it, or one of its pages. */
export async function openAuthorize(authorizeUrl: string | URL, options: BrowserOptions = {}): Promise<AuthorizeOutcome> {
  return new FranceConnectBrowser(new URL(authorizeUrl), options).visit(new URL(authorizeUrl));
}

async function choose(
  authorizeUrl: string | URL,
  options: BrowserOptions,
  pick: (page: { url: URL; html: string }) => { action: URL; fields: Record<string, string> },
): Promise<URL> {
  const browser = new FranceConnectBrowser(new URL(authorizeUrl), options);
  const landing = await browser.visit(new URL(authorizeUrl));
  if (landing.kind === 'redirected') {
    throw new Error(`FranceConnect redirected before its login page, to ${redirectSummary(landing.url)}`);
  }
  if (landing.status !== 200) throw new Error(`FranceConnect answered ${landing.status} instead of its login page`);
  const { action, fields } = pick(landing);
  const after = await browser.visit(action, new URLSearchParams(fields));
  if (after.kind === 'page') throw new Error(`FranceConnect answered ${after.status} after the login page`);
  return after.url;
}

class FranceConnectBrowser {
  readonly #jar = new CookieJar();
  readonly #origin: string;
  readonly #prefix: string;
  readonly #timeoutMs: number;

  constructor(authorizeUrl: URL, options: BrowserOptions) {
    // Everything under the issuer (the authorize endpoint's folder) is FranceConnect; anything else is the way out.
    this.#origin = authorizeUrl.origin;
    this.#prefix = authorizeUrl.pathname.slice(0, authorizeUrl.pathname.lastIndexOf('/') + 1);
    this.#timeoutMs = options.timeoutMs ?? 10_000;
  }

  async visit(url: URL, form?: URLSearchParams): Promise<AuthorizeOutcome> {
    let next = url;
    let body = form;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      if (!this.#isFranceConnect(next)) return { kind: 'redirected', url: next };
      const response = await this.#request(next, body);
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        next = new URL(location, next);
        body = undefined;
        continue;
      }
      return { kind: 'page', url: next, status: response.status, html: response.text() };
    }
    throw new Error('Too many redirects inside FranceConnect');
  }

  #isFranceConnect(url: URL): boolean {
    return url.origin === this.#origin && url.pathname.startsWith(this.#prefix);
  }

  async #request(url: URL, form: URLSearchParams | undefined): Promise<HttpResponse> {
    const headers: Record<string, string> = { accept: 'text/html' };
    const cookie = this.#jar.headerFor(url);
    if (cookie) headers.cookie = cookie;
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await httpRequest({
      system: 'FranceConnect stand-in',
      method: form ? 'POST' : 'GET',
      url,
      headers,
      ...(form ? { body: form } : {}),
      timeoutMs: this.#timeoutMs,
    });
    this.#jar.store(url, response.headers);
    return response;
  }
}

/** The action of the login page's form whose URL ends with `/${ending}`. */
function formAction(page: { url: URL; html: string }, ending: 'login' | 'abort'): URL {
  for (const match of page.html.matchAll(/<form\b[^>]*\baction="([^"]+)"/g)) {
    const action = new URL(unescapeHtml(match[1] ?? ''), page.url);
    if (action.pathname.endsWith(`/${ending}`)) return action;
  }
  throw new Error(`No "${ending}" form on the FranceConnect page`);
}

function unescapeHtml(value: string): string {
  return value.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

/** The URL without its query, which may carry a code. */
function redirectSummary(url: URL): string {
  const error = url.searchParams.get('error');
  return `${url.origin}${url.pathname}${error ? ` (error=${error})` : ''}`;
}
