import type { FastifyRequest } from 'fastify';
import { LoginErrorPage } from '../views/pages/LoginErrorPage.tsx';
import { sentAnyCookie } from './cookie.ts';

/**
 * A family's form posted without the CSRF cookie, by a browser that sent no cookie at all: cookies are blocked, and
 * "reload the page" would not help. It gets the cookies page, with the way back to its collectivity. `null` when the
 * cookies page would not be true (some cookie came back) or the form is not a family's (the back office, the API).
 */
export function cookiesBlockedPage(request: FastifyRequest) {
  if (sentAnyCookie(request) || request.url.startsWith('/admin') || request.url.startsWith('/api/')) return null;
  const siret = (request.body as { siret?: unknown } | undefined)?.siret;
  const restartUrl = typeof siret === 'string' && /^[0-9]{14}$/.test(siret) ? `/collectivites/${siret}` : undefined;
  return LoginErrorPage({ kind: 'cookies', restartUrl });
}
