/**
 * Whether a `redirect_uri` given by a commune's portal may be used for the "return to my commune's site"
 * button. An open redirect on a State domain is a phishing tool, so this is an allow-list with a strict
 * reading of URLs: only what a plain browser link to the commune's own pages looks like passes.
 */
export interface RedirectUriOptions {
  /**
   * Accept `http:` for localhost, 127.0.0.1 and [::1] (the local installation, where a commune portal
   * stand-in runs without TLS). Never in production.
   */
  readonly allowHttpLocalhost?: boolean;
}

const MAX_LENGTH = 2048;
const LOCAL_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * True only when `uri` is an absolute https URL (see `allowHttpLocalhost`) whose origin is the origin of one
 * of `prefixes` and whose path is the prefix's path or below it (on a `/` boundary: `/portail` allows
 * `/portail/x`, not `/portail-x`). Refused outright, whatever the prefixes: other schemes (javascript:,
 * data:), protocol-relative or scheme-relative forms, backslashes, userinfo, percent-encoding in the host,
 * encoded slashes, backslashes, dots or percents in the path, `//` in the path, whitespace and control or
 * invisible formatting characters anywhere, and anything longer than 2048 characters.
 */
export function isRedirectUriAllowed(uri: string, prefixes: readonly string[], options: RedirectUriOptions = {}): boolean {
  const target = strictUrl(uri, options);
  if (target === null) return false;
  return prefixes.some((raw) => {
    const prefix = strictUrl(raw, options);
    // A prefix with a query or fragment is a configuration mistake: it allows nothing rather than guessing.
    if (prefix === null || prefix.search !== '' || prefix.hash !== '') return false;
    return target.origin === prefix.origin && isPathWithin(target.pathname, prefix.pathname);
  });
}

function isPathWithin(path: string, prefixPath: string): boolean {
  const base = prefixPath.endsWith('/') ? prefixPath.slice(0, -1) : prefixPath;
  return base === '' || path === base || path.startsWith(`${base}/`);
}

/**
 * The URL, or null when the text is not a plain absolute web URL. Checks run on the raw text first,
 * because the WHATWG parser silently repairs what attackers rely on (`https:evil.com`, `https:\\evil.com`,
 * tabs and newlines removed, `%2e%2e` treated as `..`), and browsers would repair it the same way.
 */
function strictUrl(raw: string, options: RedirectUriOptions): URL | null {
  if (raw.length === 0 || raw.length > MAX_LENGTH) return null;
  if (/[\s\p{C}\\]/u.test(raw)) return null;
  const authority = /^https?:\/\/([^/?#]*)/i.exec(raw)?.[1];
  if (authority === undefined || authority === '' || /[@%]/.test(authority)) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.username !== '' || url.password !== '') return null;
  const localHttp = options.allowHttpLocalhost === true && url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !localHttp) return null;
  if (/%(?:2f|5c|2e|25|00)/i.test(url.pathname) || url.pathname.includes('//')) return null;
  return url;
}
