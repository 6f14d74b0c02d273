import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { FranceConnectUnreachableError } from '../../integrations/franceconnect/client.ts';
import { completeFranceConnectLogin } from '../../usecases/complete-franceconnect-login.ts';
import type { JourneyAccess } from '../journey/cookie.ts';
import { LoginErrorPage } from '../views/pages/LoginErrorPage.tsx';
import { QF_RETRY_ACTION, QfErrorPage } from '../views/pages/QfErrorPage.tsx';
import { LOGGED_OUT_PATH, LoggedOutPage } from '../views/pages/LoggedOutPage.tsx';
import type { JourneyOrigin } from '../../usecases/journey.ts';
import { acceptExternalId, acceptRedirectUri } from './collectivities.ts';
import { LEGACY_FRANCECONNECT_CALLBACK, LEGACY_FRANCECONNECT_LOGOUT_CALLBACK } from './legacy-urls.ts';
import { sendPage } from './send-page.ts';

const LOGOUT_STATE_COOKIE = 'fqf_logout_state';
const LOGOUT_NEXT_COOKIE = 'fqf_logout_next';

function sameState(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** Login with FranceConnect (POST, so that it is CSRF-protected), its callback, and the logout through FC. */
export async function franceConnectRoutes(app: FastifyInstance, context: AppContext, journeys: JourneyAccess): Promise<void> {
  /** A new FranceConnect login for this origin: the journey (new or retried) waits for the callback. */
  const startLogin = async (request: FastifyRequest, reply: FastifyReply, origin: JourneyOrigin) => {
    let login;
    try {
      login = await context.franceConnect.startLogin();
    } catch (error) {
      if (error instanceof FranceConnectUnreachableError) {
        request.log.warn({ event: 'franceconnect.unreachable' }, 'FranceConnect unreachable at login');
        context.metrics.record({ kind: 'upstream.failed', code: 'franceconnect' });
        return sendPage(reply.code(503), LoginErrorPage({ kind: 'unreachable', restartUrl: `/collectivites/${origin.siret}` }));
      }
      throw error;
    }
    // A new journey id at every login, the previous one destroyed: an id planted before login reads nothing after.
    await journeys.renew(request, reply, { stage: 'login', origin, state: login.state, nonce: login.nonce });
    request.log.info({ event: 'journey.started', siret: origin.siret }, 'journey started');
    context.metrics.record({ kind: 'journey.started', siret: origin.siret });
    return reply.redirect(login.url, 303);
  };

  app.post<{ Body: { siret?: unknown; external_id?: unknown; redirect_uri?: unknown } }>(
    '/auth/franceconnect',
    { preHandler: app.csrfProtection },
    async (request, reply) => {
      const body = request.body ?? {};
      const siret = typeof body.siret === 'string' && /^[0-9]{14}$/.test(body.siret) ? body.siret : null;
      // From memory, at most 30 s stale: "Transmettre" checks it afresh (AppContext.activeCollectivities).
      const collectivity = siret ? await context.activeCollectivities.get(siret) : null;
      if (!collectivity) return context.renderError(request, reply, 400, 'UNKNOWN_COLLECTIVITY');
      const origin = {
        siret: collectivity.siret,
        externalId: acceptExternalId(body.external_id) ?? null,
        redirectUri: acceptRedirectUri(context, collectivity.allowedRedirectPrefixes, body.redirect_uri) ?? null,
      };
      return startLogin(request, reply, origin);
    },
  );

  const callback = async (request: FastifyRequest, reply: FastifyReply) => {
    const loaded = await journeys.load(request);
    if (loaded.id === null) {
      return sendPage(reply.code(400), LoginErrorPage({ kind: loaded.missing }));
    }
    const { journey } = loaded;
    const restartUrl = `/collectivites/${journey.origin.siret}`;
    // A callback for a journey already past the login: a reused link (back button, replay).
    if (journey.stage !== 'login') return sendPage(reply.code(400), LoginErrorPage({ kind: 'state_mismatch', restartUrl }));

    const callbackUrl = new URL(request.url, context.config.franceConnect.redirectUri);
    const outcome = await completeFranceConnectLogin(context, journey, callbackUrl);
    switch (outcome.kind) {
      case 'login_error':
        // The login attempt is spent: a second try must start again from the collectivity.
        await journeys.end(request, reply);
        return sendPage(reply.code(outcome.problem === 'unreachable' ? 503 : 400), LoginErrorPage({ kind: outcome.problem, restartUrl }));
      case 'qf_error': {
        // Logged in from here on: a new id.
        await journeys.renew(request, reply, outcome.journey);
        const collectivity = await context.collectivities.findBySiret(journey.origin.siret);
        const status = outcome.error.kind === 'not_found' ? 404 : outcome.error.kind === 'rate_limited' ? 429 : 502;
        return sendPage(
          reply.code(status),
          QfErrorPage({
            kind: outcome.journey.problem,
            collectivityName: collectivity?.name ?? 'votre collectivité',
            restartUrl,
            session: { loggedIn: true, logoutCsrfToken: reply.generateCsrf(), firstName: outcome.journey.firstName },
          }),
        );
      }
      case 'review':
        await journeys.renew(request, reply, outcome.journey);
        return reply.redirect('/verification', 303);
    }
  };
  // Also at the old form's registered address, so that FranceConnect needs no new registration.
  for (const path of ['/auth/franceconnect/callback', LEGACY_FRANCECONNECT_CALLBACK]) app.get(path, callback);

  // "Réessayer" after a temporary QF failure: the same family and collectivity, asked again. The access token of the
  // first login is spent (60 s), so it goes through FranceConnect, whose session brings the family straight back.
  app.post(QF_RETRY_ACTION, { preHandler: app.csrfProtection }, async (request, reply) => {
    const loaded = await journeys.load(request);
    if (loaded.id === null) return sendPage(reply.code(400), LoginErrorPage({ kind: loaded.missing }));
    if (loaded.journey.stage !== 'qf_error') return reply.redirect('/verification', 303);
    return startLogin(request, reply, loaded.journey.origin);
  });

  app.post<{ Body: { next?: unknown } }>('/auth/franceconnect/logout', { preHandler: app.csrfProtection }, async (request, reply) => {
    // Where to land afterwards: a collectivity's page ("Recommencer avec un autre compte"), else the logged-out page.
    const next = typeof request.body?.next === 'string' && /^\/collectivites\/[0-9]{14}$/.test(request.body.next) ? request.body.next : LOGGED_OUT_PATH;
    const loaded = await journeys.load(request);
    await journeys.end(request, reply);
    if (loaded.id === null || loaded.journey.stage === 'login') return reply.redirect(next, 303);
    const state = randomBytes(24).toString('base64url');
    let url: string;
    try {
      url = await context.franceConnect.logoutUrl(loaded.journey.idToken, state);
    } catch {
      // FranceConnect unreachable: our side is logged out anyway.
      return reply.redirect(next, 303);
    }
    reply.setCookie(LOGOUT_NEXT_COOKIE, next, { path: '/auth/franceconnect', httpOnly: true, sameSite: 'lax', secure: context.config.env === 'production', maxAge: 600 });
    reply.setCookie(LOGOUT_STATE_COOKIE, state, { path: '/auth/franceconnect', httpOnly: true, sameSite: 'lax', secure: context.config.env === 'production', maxAge: 600 });
    return reply.redirect(url, 303);
  });

  // FranceConnect sends back the state we gave it: a callback without our cookie's state is not the answer to our logout.
  for (const path of ['/auth/franceconnect/logout-callback', LEGACY_FRANCECONNECT_LOGOUT_CALLBACK]) {
    app.get<{ Querystring: { state?: unknown } }>(path, async (request, reply) => {
      const expected = request.cookies[LOGOUT_STATE_COOKIE];
      const next = request.cookies[LOGOUT_NEXT_COOKIE];
      reply.clearCookie(LOGOUT_STATE_COOKIE, { path: '/auth/franceconnect' });
      reply.clearCookie(LOGOUT_NEXT_COOKIE, { path: '/auth/franceconnect' });
      const given = request.query.state;
      if (!expected || typeof given !== 'string' || !sameState(given, expected)) {
        request.log.info({ event: 'franceconnect.logout_state_mismatch', cookie: Boolean(expected) }, 'logout callback refused: state does not match');
        return context.renderError(request, reply, 400);
      }
      return reply.redirect(next && /^\/collectivites\/[0-9]{14}$/.test(next) ? next : LOGGED_OUT_PATH, 303);
    });
  }

  app.get(LOGGED_OUT_PATH, async (_request, reply) => sendPage(reply, LoggedOutPage()));
}
