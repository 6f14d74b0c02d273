import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isRedirectUriAllowed } from './redirect-uri.ts';

const PREFIXES = ['https://www.majastres.fr/portail-famille', 'https://espace-citoyens.net/majastres/'];
const allowed = (uri: string, prefixes = PREFIXES): boolean => isRedirectUriAllowed(uri, prefixes);

describe('isRedirectUriAllowed', () => {
  it('accepts pages at or under an allowed prefix', () => {
    for (const uri of [
      'https://www.majastres.fr/portail-famille',
      'https://www.majastres.fr/portail-famille/',
      'https://www.majastres.fr/portail-famille/retour?dossier=42&etape=fin#haut',
      'https://WWW.Majastres.FR:443/portail-famille/retour',
      'HTTPS://www.majastres.fr/portail-famille/a/./b',
      'https://espace-citoyens.net/majastres/',
      'https://espace-citoyens.net/majastres',
      'https://espace-citoyens.net/majastres/qf?retour=%2Faccueil',
      'https://www.majastres.fr/portail-famille/caf%C3%A9',
    ]) {
      assert.equal(allowed(uri), true, uri);
    }
  });

  it('refuses everything else', () => {
    const attacks = [
      // other places on the same site, or paths that merely start with the same letters
      'https://www.majastres.fr/',
      'https://www.majastres.fr/portail-familles',
      'https://www.majastres.fr/portail-famille/../admin',
      'https://www.majastres.fr/portail-famille/%2e%2e/admin',
      'https://espace-citoyens.net/majastres-evil/',
      'https://espace-citoyens.net/autre-commune/',
      // other hosts, including look-alikes
      'https://www.majastres.fr.evil.com/portail-famille',
      'https://evil.com/www.majastres.fr/portail-famille',
      'https://wwwmajastres.fr/portail-famille',
      'https://majastres.fr/portail-famille',
      'https://www.majastres.fr./portail-famille',
      'https://www.mаjastres.fr/portail-famille', // Cyrillic а
      'https://www.majastres.fr:8443/portail-famille',
      // other schemes and scheme tricks
      'http://www.majastres.fr/portail-famille',
      'javascript:alert(1)//https://www.majastres.fr/portail-famille',
      'JaVaScRiPt:alert(document.domain)',
      'data:text/html,<script>alert(1)</script>',
      'ftp://www.majastres.fr/portail-famille',
      '//evil.com/portail-famille',
      '///evil.com',
      '/portail-famille',
      'portail-famille',
      'https:www.majastres.fr/portail-famille',
      'https:/www.majastres.fr/portail-famille',
      'https:///www.majastres.fr/portail-famille',
      // userinfo
      'https://www.majastres.fr@evil.com/portail-famille',
      'https://www.majastres.fr:443@evil.com/portail-famille',
      'https://user:pass@www.majastres.fr/portail-famille',
      'https://@www.majastres.fr/portail-famille',
      // backslashes and encoded separators
      'https://www.majastres.fr\\@evil.com/portail-famille',
      'https:\\\\evil.com/portail-famille',
      'https://evil.com\\www.majastres.fr/portail-famille',
      'https://www.majastres.fr/portail-famille\\..\\admin',
      'https://www.majastres.fr/portail-famille/%2F%2Fevil.com',
      'https://www.majastres.fr/portail-famille/%5C%5Cevil.com',
      'https://www.majastres.fr/portail-famille/%252e%252e/admin',
      'https://www.majastres.fr/portail-famille//evil.com',
      'https://www.majastres.fr%2Fportail-famille@evil.com',
      'https://www%2emajastres%2efr/portail-famille',
      'https://www.majastres.fr/portail-famille/%00',
      // whitespace, control and invisible characters
      ' https://www.majastres.fr/portail-famille',
      'https://www.majastres.fr/portail-famille ',
      'https://www.majastres.fr/portail-famille\n',
      'https://www.majastres.fr/portail-famille/\tx',
      'java\tscript:alert(1)',
      'https://www.majastres.fr/portail-famille/\u0000',
      'https://www.majastres.fr/portail-famille/\u200b',
      'https://www.majastres.fr/portail-famille/\u202e',
      'https://www.majastres.fr/portail-famille/\u00a0',
      // empty or oversized
      '',
      `https://www.majastres.fr/portail-famille/${'a'.repeat(2048)}`,
    ];
    for (const uri of attacks) assert.equal(allowed(uri), false, JSON.stringify(uri));
  });

  it('allows nothing without prefixes, and ignores malformed prefixes', () => {
    assert.equal(allowed('https://www.majastres.fr/portail-famille', []), false);
    for (const prefix of ['www.majastres.fr', 'http://www.majastres.fr/', 'https://www.majastres.fr/?a=1', 'https://www.majastres.fr/#x', 'https://u@www.majastres.fr/', 'javascript:']) {
      assert.equal(allowed('https://www.majastres.fr/portail-famille', [prefix]), false, prefix);
    }
  });

  it('treats an origin-only prefix as the whole site', () => {
    assert.equal(allowed('https://www.majastres.fr/any/page', ['https://www.majastres.fr']), true);
    assert.equal(allowed('https://www.majastres.fr/any/page', ['https://www.majastres.fr/']), true);
  });

  it('accepts http only for the local installation, and only when asked', () => {
    const local = ['http://localhost:3000/portail', 'http://127.0.0.1:8080/', 'http://[::1]:3000/'];
    for (const uri of ['http://localhost:3000/portail/retour', 'http://127.0.0.1:8080/x', 'http://[::1]:3000/']) {
      assert.equal(isRedirectUriAllowed(uri, local, { allowHttpLocalhost: true }), true, uri);
      assert.equal(isRedirectUriAllowed(uri, local), false, uri);
    }
    assert.equal(isRedirectUriAllowed('http://localhost:3001/portail', local, { allowHttpLocalhost: true }), false);
    assert.equal(isRedirectUriAllowed('http://localhost.evil.com:3000/portail', local, { allowHttpLocalhost: true }), false);
    assert.equal(isRedirectUriAllowed('http://evil.com/', ['http://evil.com/'], { allowHttpLocalhost: true }), false);
  });

  const segment = fc.stringMatching(/^[A-Za-z0-9_~-][A-Za-z0-9._~-]{0,11}$/).filter((s) => s !== '.' && s !== '..');

  it('property: any plain path under a prefix is allowed', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PREFIXES), fc.array(segment, { maxLength: 5 }), fc.option(segment), (prefix, segments, query) => {
        const base = prefix.endsWith('/') ? prefix : `${prefix}/`;
        const uri = `${base}${segments.join('/')}${query === null ? '' : `?q=${query}`}`;
        assert.equal(allowed(uri), true, uri);
      }),
    );
  });

  it('property: whatever is allowed stays on an allowed origin, under its path, without userinfo', () => {
    const fragment = fc.constantFrom('@', '\\', '/', '//', '%2F', '%5C', '%2e%2e', '..', '.', ':', '#', '?', '%', ' ', '\t', '\n', 'evil.com', '.evil.com', '@evil.com', 'javascript:', 'https://', '\u0000', '\u202e', '-x', '%40');
    const candidate = fc.tuple(fc.constantFrom(...PREFIXES, 'https://www.majastres.fr', 'https://evil.com', ''), fc.array(fc.oneof(fragment, segment), { maxLength: 6 }));
    fc.assert(
      fc.property(candidate, ([start, pieces]) => {
        const uri = `${start}${pieces.join('')}`;
        if (!allowed(uri)) return;
        const url = new URL(uri);
        assert.equal(url.username + url.password, '', uri);
        const home = PREFIXES.map((p) => new URL(p)).find((p) => p.origin === url.origin);
        assert.ok(home, `foreign origin: ${uri}`);
        const base = home.pathname.replace(/\/$/, '');
        assert.ok(url.pathname === base || url.pathname.startsWith(`${base}/`), `outside the prefix: ${uri}`);
      }),
      { numRuns: 5000 },
    );
  });

  it('property: random web URLs pass only on an allowed origin', () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (uri) => {
        if (allowed(uri)) assert.ok(PREFIXES.some((p) => new URL(p).origin === new URL(uri).origin), uri);
      }),
      { numRuns: 2000 },
    );
  });
});
