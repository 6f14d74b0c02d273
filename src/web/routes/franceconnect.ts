import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { FranceConnectUnreachableError } from '../../integrations/franceconnect/client.ts';
import { completeFranceConnectLogin } from '../../usecases/complete-franceconnect-login.ts';
import type { JourneyAccess } from '../journey/cookie.ts';
import { LoginErrorPage } from '../views/pages/LoginErrorPage.tsx';
import { QfErrorPage } from '../views/pages/QfErrorPage.tsx';
import { acceptExternalId, acceptRedirectUri } from './collectivities.ts';
import { sendPage } from './send-page.ts';

const LOGOUT_STATE_COOKIE = 'fqf_logout_state';

function sameState(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** Login with FranceConnect (POST, so that it is CSRF-protected), its callback, and the logout through FC. */
export async function franceConnectRoutes(app: FastifyInstance, context: AppContext, journeys: JourneyAccess): Promise<void> {
  app.post<{ Body: { siret?: unknown; external_id?: unknown; redirect_uri?: unknown } }>(
    '/auth/franceconnect',
    { preHandler: app.csrfProtection },
    async (request, reply) => {
      const body = request.body ?? {};
      const siret = typeof body.siret === 'string' && /^[0-9]{14}$/.test(body.siret) ? body.siret : null;
      const collectivity = siret ? await context.collectivities.findActiveBySiret(siret) : null;
      if (!collectivity) return context.renderError(request, reply, 400, 'UNKNOWN_COLLECTIVITY');
      let login;
      try {
        login = await context.franceConnect.startLogin();
      } catch (error) {
        if (error instanceof FranceConnectUnreachableError) {
          request.log.warn({ event: 'franceconnect.unreachable' }, 'FranceConnect unreachable at login');
          context.metrics.record({ kind: 'upstream.failed', code: 'franceconnect' });
          return sendPage(reply.code(503), LoginErrorPage({ kind: 'unreachable', restartUrl: `/collectivites/${collectivity.siret}` }));
        }
        throw error;
      }
      await journeys.renew(request, reply, {
        stage: 'login',
        origin: {
          siret: collectivity.siret,
          externalId: acceptExternalId(body.external_id) ?? null,
          redirectUri: acceptRedirectUri(context, collectivity.allowedRedirectPrefixes, body.redirect_uri) ?? null,
        },
        state: login.state,
        nonce: login.nonce,
      });
      request.log.info({ event: 'journey.started', siret: collectivity.siret }, 'journey started');
      context.metrics.record({ kind: 'journey.started', siret: collectivity.siret });
      return reply.redirect(login.url, 303);
    },
  );

  app.get('/auth/franceconnect/callback', async (request, reply) => {
    const loaded = await journeys.load(request);
    if (loaded.id === null) {
      return sendPage(reply.code(400), LoginErrorPage({ kind: loaded.missing === 'no_cookie' ? 'cookies' : 'expired' }));
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
          QfErrorPage({ kind: outcome.journey.problem, collectivityName: collectivity?.name ?? 'votre collectivité', retryUrl: restartUrl, session: { loggedIn: true, logoutCsrfToken: reply.generateCsrf() } }),
        );
      }
      case 'review':
        await journeys.renew(request, reply, outcome.journey);
        return reply.redirect('/verification', 303);
    }
  });

  app.post('/auth/franceconnect/logout', { preHandler: app.csrfProtection }, async (request, reply) => {
    const loaded = await journeys.load(request);
    await journeys.end(request, reply);
    if (loaded.id === null || loaded.journey.stage === 'login') return reply.redirect('/', 303);
    const state = randomBytes(24).toString('base64url');
    let url: string;
    try {
      url = await context.franceConnect.logoutUrl(loaded.journey.idToken, state);
    } catch {
      // FranceConnect unreachable: our side is logged out anyway.
      return reply.redirect('/', 303);
    }
    reply.setCookie(LOGOUT_STATE_COOKIE, state, { path: '/auth/franceconnect', httpOnly: true, sameSite: 'lax', secure: context.config.env === 'production', maxAge: 600 });
    return reply.redirect(url, 303);
  });

  // FranceConnect sends back the state we gave it: a callback without our cookie's state is not the answer to our logout.
  app.get<{ Querystring: { state?: unknown } }>('/auth/franceconnect/logout-callback', async (request, reply) => {
    const expected = request.cookies[LOGOUT_STATE_COOKIE];
    reply.clearCookie(LOGOUT_STATE_COOKIE, { path: '/auth/franceconnect' });
    const given = request.query.state;
    if (!expected || typeof given !== 'string' || !sameState(given, expected)) {
      request.log.info({ event: 'franceconnect.logout_state_mismatch', cookie: Boolean(expected) }, 'logout callback refused: state does not match');
      return context.renderError(request, reply, 400);
    }
    return reply.redirect('/', 303);
  });
}
