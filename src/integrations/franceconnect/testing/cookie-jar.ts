/**
 * Just enough of a browser's cookie store for tests that walk through redirects by hand: host-only cookies,
 * path matching, and deletion by an expiry in the past. Not for production use.
 */
interface StoredCookie {
  name: string;
  value: string;
  host: string;
  path: string;
}

export class CookieJar {
  readonly #cookies: StoredCookie[] = [];

  /** Stores the Set-Cookie headers of a response to `url`. */
  store(url: URL, headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const separator = pair.indexOf('=');
      if (separator <= 0) continue;
      const name = pair.slice(0, separator);
      const value = pair.slice(separator + 1);
      let path = defaultPath(url);
      let expired = false;
      for (const attribute of attributes) {
        const [key = '', attributeValue = ''] = attribute.split('=');
        const lower = key.toLowerCase();
        if (lower === 'path' && attributeValue.startsWith('/')) path = attributeValue;
        if (lower === 'max-age' && Number(attributeValue) <= 0) expired = true;
        if (lower === 'expires' && Date.parse(attributeValue) <= Date.now()) expired = true;
      }
      const index = this.#cookies.findIndex((c) => c.name === name && c.host === url.host && c.path === path);
      if (index >= 0) this.#cookies.splice(index, 1);
      if (!expired) this.#cookies.push({ name, value, host: url.host, path });
    }
  }

  /** The Cookie header a browser would send to `url`, or undefined when it would send none. */
  headerFor(url: URL): string | undefined {
    const matching = this.#cookies.filter((c) => c.host === url.host && pathMatches(url.pathname, c.path));
    // Longer paths first, as browsers do.
    matching.sort((a, b) => b.path.length - a.path.length);
    return matching.length > 0 ? matching.map((c) => `${c.name}=${c.value}`).join('; ') : undefined;
  }
}

function defaultPath(url: URL): string {
  const last = url.pathname.lastIndexOf('/');
  return last <= 0 ? '/' : url.pathname.slice(0, last);
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath.charAt(cookiePath.length) === '/';
}
