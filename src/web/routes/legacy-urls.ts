import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { acceptExternalId, acceptRedirectUri } from './collectivities.ts';

/**
 * The addresses of the existing national form (`etalab/formulaire-qf`, in production since June 2024), which
 * communes' portals, éditeurs' software, bookmarks and e-mails still point at. Each answers with a permanent
 * redirect to its equivalent here: 301 for pages only ever fetched with GET. The one address that received a
 * form, the review page's "send my data" (`POST …/shipments`; `…/envoyer_mes_donnees` is the page), is not
 * redirected with a 308: replaying a stale body onto /transmission would send data the family has not just
 * reviewed. A post is CSRF-checked like every form here (an old page's post has no token of ours: it is told to
 * reload), and one that passes is sent to the review page with a 303, where the family confirms with our form.
 *
 * The FranceConnect callbacks registered at FranceConnect are not redirected: FranceConnect sends the browser
 * back to the exact registered address, so the same handler answers there too (see franceconnect.ts), and the
 * service can move over without a new registration.
 */
export const LEGACY_FRANCECONNECT_CALLBACK = '/callback';
export const LEGACY_FRANCECONNECT_LOGOUT_CALLBACK = '/logout-callback';

interface LegacyRedirect {
  readonly method: 'GET' | 'POST';
  /** Fastify path of the old address. */
  readonly from: string;
  readonly status: 301 | 303;
  /** The new address, built only from what was checked (never a raw parameter). */
  to(request: FastifyRequest, context: Pick<AppContext, 'config' | 'collectivities'>): Promise<string> | string;
}

type Params = Record<string, string | undefined>;
type Query = Record<string, unknown>;

const SIRET = /^[0-9]{14}$/;
const params = (request: FastifyRequest): Params => request.params as Params;
const query = (request: FastifyRequest): Query => (request.query ?? {}) as Query;

/** The collectivity's page, or the chooser when the old link carries no usable SIRET. */
const collectivityPage = (siret: string | undefined): string => (siret !== undefined && SIRET.test(siret) ? `/collectivites/${siret}` : '/collectivites');

/**
 * The collectivity's page with the portal's `external_id` (kept exactly, when printable) and `redirect_uri`
 * (kept only when the collectivity's allow-list permits it, as on the page itself: a refused one is dropped).
 */
async function journeyStart(siret: string | undefined, request: FastifyRequest, context: Pick<AppContext, 'config' | 'collectivities'>): Promise<string> {
  const page = collectivityPage(siret);
  if (page === '/collectivites' || siret === undefined) return page;
  const kept = new URLSearchParams();
  const externalId = acceptExternalId(query(request).external_id);
  if (externalId !== undefined) kept.set('external_id', externalId);
  const collectivity = await context.collectivities.findActiveBySiret(siret);
  const redirectUri = collectivity ? acceptRedirectUri(context, collectivity.allowedRedirectPrefixes, query(request).redirect_uri) : undefined;
  if (redirectUri !== undefined) kept.set('redirect_uri', redirectUri);
  const search = kept.toString();
  return search === '' ? page : `${page}?${search}`;
}

/** A follow-up reference goes on only when it looks like one; the follow-up page explains anything else. */
const followUp = (reference: string | undefined): string =>
  reference !== undefined && /^[0-9A-Fa-f]{13}$/.test(reference) ? `/suivi/${reference.toUpperCase()}` : '/suivi';

export const LEGACY_REDIRECTS: readonly LegacyRedirect[] = [
  // The portal's deep link, with the commune's file number and its return address.
  { method: 'GET', from: '/collectivites/:siret/me_connecter', status: 301, to: (r, c) => journeyStart(params(r).siret, r, c) },
  // The old chooser submitted its <select name="id"> here with GET.
  { method: 'GET', from: '/collectivites/select', status: 301, to: (r, c) => journeyStart(typeof query(r).id === 'string' ? (query(r).id as string) : undefined, r, c) },
  { method: 'GET', from: '/collectivites/:siret/sans_france_connect', status: 301, to: () => '/sans-franceconnect' },
  // The review page, and the form on it that sent the data (see above for why a post is not replayed).
  { method: 'GET', from: '/collectivites/:siret/envoyer_mes_donnees', status: 301, to: () => '/verification' },
  { method: 'POST', from: '/collectivites/:siret/envoyer_mes_donnees', status: 303, to: () => '/verification' },
  { method: 'POST', from: '/collectivites/:siret/shipments', status: 303, to: () => '/verification' },
  // The page shown when the QF could not be obtained: starting again from the collectivity is what it offered.
  { method: 'GET', from: '/collectivites/:siret/erreur', status: 301, to: (r) => collectivityPage(params(r).siret) },
  // The confirmation page with the reference, the address families kept to follow their transmission.
  { method: 'GET', from: '/collectivites/:siret/confirmation/:reference', status: 301, to: (r) => followUp(params(r).reference) },
  { method: 'GET', from: '/collectivites/:siret/shipments/:reference', status: 301, to: (r) => followUp(params(r).reference) },
  { method: 'GET', from: '/cgu_usagers', status: 301, to: () => '/cgu-usagers' },
  { method: 'GET', from: '/cgu_administrations', status: 301, to: () => '/cgu-administrations' },
  { method: 'GET', from: '/cgu', status: 301, to: () => '/cgu-usagers' },
];

/**
 * `/up`, the old health check, answers as `/health` does rather than redirecting: load balancers and uptime
 * monitors often count a 301 as "down" and do not follow it.
 */
export const LEGACY_HEALTH_PATH = '/up';

export async function legacyUrlRoutes(app: FastifyInstance, context: Pick<AppContext, 'config' | 'collectivities'>): Promise<void> {
  for (const legacy of LEGACY_REDIRECTS) {
    app.route({
      method: legacy.method,
      url: legacy.from,
      ...(legacy.method === 'POST' ? { preHandler: app.csrfProtection } : {}),
      handler: async (request, reply) => reply.header('cache-control', 'no-store').redirect(await legacy.to(request, context), legacy.status),
    });
  }
}
