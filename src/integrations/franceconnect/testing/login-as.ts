import { httpRequest, type HttpResponse } from '../../http.ts';
import { CookieJar } from './cookie-jar.ts';

/**
 * Drives the FranceConnect stand-in the way a browser would, for tests at any level: follow FranceConnect's
 * redirects with a cookie jar, pick a persona (or "Annuler") on the login page, confirm a logout, and stop at
 * the first URL outside FranceConnect (the service provider's callback or post-logout page).
 */
export type FranceConnectOutcome =
  /** FranceConnect sent the browser away: to the callback (success or error) or the post-logout page. */
  | { kind: 'redirected'; url: URL }
  /** FranceConnect shows a page: its login page (200) or an error page (e.g. 400 with Y030007). */
  | { kind: 'page'; url: URL; status: number; html: string };

export interface BrowserOptions {
  timeoutMs?: number;
}

const MAX_REDIRECTS = 10;

/** One browser: keeps FranceConnect's cookies between a login and a logout, as FC's SSO session would. */
export class FranceConnectBrowser {
  readonly #jar = new CookieJar();
  readonly #timeoutMs: number;

  constructor(options: BrowserOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** Logs in as the persona whose login (e.g. "angela") is given; resolves to the callback URL. */
  async loginAs(login: string, authorizeUrl: string | URL): Promise<URL> {
    const page = await this.#loginPage(new URL(authorizeUrl));
    return this.#leave(await this.#submit(page, 'login', { login }), 'the login page');
  }

  /** Presses "Annuler" on the login page; resolves to the callback URL (carrying error=access_denied). */
  async cancelLogin(authorizeUrl: string | URL): Promise<URL> {
    const page = await this.#loginPage(new URL(authorizeUrl));
    return this.#leave(await this.#submit(page, 'abort', {}), 'the login page');
  }

  /** Follows an end-session URL, confirming like FC's self-submitting page; resolves to where FC sends back. */
  async logout(endSessionUrl: string | URL): Promise<URL> {
    const landing = await this.open(endSessionUrl);
    if (landing.kind === 'redirected') return landing.url;
    if (landing.status !== 200) throw new Error(`FranceConnect answered ${landing.status} to the logout`);
    const form = landing.html.match(/<form\b[^>]*\baction="([^"]+)"/);
    if (!form) throw new Error('No confirmation form on the FranceConnect logout page');
    const fields = new URLSearchParams();
    for (const input of landing.html.matchAll(/<input\b[^>]*>/g)) {
      const name = attribute(input[0], 'name');
      if (attribute(input[0], 'type') === 'hidden' && name) fields.append(name, attribute(input[0], 'value') ?? '');
    }
    const action = new URL(unescapeHtml(form[1] ?? ''), landing.url);
    return this.#leave(await this.#visit(action, boundaryOf(landing.url), fields), 'the logout page');
  }

  /** Opens a URL on FranceConnect and follows it until FC sends the browser away or shows a page. */
  open(url: string | URL): Promise<FranceConnectOutcome> {
    const target = new URL(url);
    return this.#visit(target, boundaryOf(target));
  }

  async #loginPage(authorizeUrl: URL): Promise<{ url: URL; html: string }> {
    const landing = await this.open(authorizeUrl);
    if (landing.kind === 'redirected') {
      throw new Error(`FranceConnect redirected before its login page, to ${summary(landing.url)}`);
    }
    if (landing.status !== 200) throw new Error(`FranceConnect answered ${landing.status} instead of its login page`);
    return landing;
  }

  #submit(page: { url: URL; html: string }, ending: 'login' | 'abort', fields: Record<string, string>) {
    for (const match of page.html.matchAll(/<form\b[^>]*\baction="([^"]+)"/g)) {
      const action = new URL(unescapeHtml(match[1] ?? ''), page.url);
      if (action.pathname.endsWith(`/${ending}`)) return this.#visit(action, boundaryOf(page.url), new URLSearchParams(fields));
    }
    throw new Error(`No "${ending}" form on the FranceConnect login page`);
  }

  #leave(outcome: FranceConnectOutcome, from: string): URL {
    if (outcome.kind === 'page') throw new Error(`FranceConnect answered ${outcome.status} after ${from}: ${textOf(outcome.html).slice(0, 300)}`);
    return outcome.url;
  }

  async #visit(url: URL, boundary: Boundary, form?: URLSearchParams): Promise<FranceConnectOutcome> {
    let next = url;
    let body = form;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      if (next.origin !== boundary.origin || !next.pathname.startsWith(boundary.prefix)) return { kind: 'redirected', url: next };
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

/** Logs in as a persona in a fresh browser; resolves to the callback URL. */
export function loginAs(login: string, authorizeUrl: string | URL, options: BrowserOptions = {}): Promise<URL> {
  return new FranceConnectBrowser(options).loginAs(login, authorizeUrl);
}

/** Presses "Annuler" in a fresh browser; resolves to the callback URL. */
export function cancelLogin(authorizeUrl: string | URL, options: BrowserOptions = {}): Promise<URL> {
  return new FranceConnectBrowser(options).cancelLogin(authorizeUrl);
}

/** Opens an authorize URL in a fresh browser: where does FranceConnect end up? */
export function openAuthorize(authorizeUrl: string | URL, options: BrowserOptions = {}): Promise<FranceConnectOutcome> {
  return new FranceConnectBrowser(options).open(authorizeUrl);
}

interface Boundary {
  origin: string;
  prefix: string;
}

/** FranceConnect mounts everything under its issuer, which ends with /api/v2 (contract §1). */
function boundaryOf(url: URL): Boundary {
  const at = url.pathname.indexOf('/api/v2/');
  const issuerPath = at >= 0 ? url.pathname.slice(0, at + '/api/v2'.length) : url.pathname.slice(0, url.pathname.lastIndexOf('/'));
  return { origin: url.origin, prefix: `${issuerPath}/` };
}

function attribute(tag: string, name: string): string | undefined {
  const match = tag.match(new RegExp(`\\b${name}="([^"]*)"`));
  return match?.[1] === undefined ? undefined : unescapeHtml(match[1]);
}

/** The text of an HTML attribute or element as hono/jsx and oidc-provider escape it. */
export function unescapeHtml(value: string): string {
  return value
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}

/** The URL without its query, which may carry a code. */
function summary(url: URL): string {
  const error = url.searchParams.get('error');
  return `${url.origin}${url.pathname}${error ? ` (error=${error})` : ''}`;
}

/** A page's words without its markup, to say in an error what FranceConnect showed. */
function textOf(html: string): string {
  return html.replace(/<(script|style)\b[\s\S]*?<\/\1>/g, ' ').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
}
