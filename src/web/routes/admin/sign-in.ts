import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.ts';
import { roleOf } from '../../../config/operators.ts';
import { ProConnectUnreachableError, type ProConnectLoginError } from '../../../integrations/proconnect/client.ts';
import { recordFailedAuth, throttledFor } from '../../../security/failed-auth-limiter.ts';
import { OperatorLogoutUnconfirmedPage, OperatorRefusalPage, OperatorSignedOutPage, OperatorSignInPage, OperatorSignInProblemPage, type OperatorSignInProblem } from '../../views/admin/SignInPages.tsx';
import { sendPage } from '../send-page.ts';
import type { OperatorCookies } from './operator-access.ts';

/** A cancel or an outage is nobody's attempt at getting in; anything else (a forged or replayed callback) counts. */
const NOT_COUNTED: ReadonlySet<ProConnectLoginError['kind']> = new Set(['unreachable', 'access_denied', 'login_required']);

function problemOf(error: ProConnectLoginError): OperatorSignInProblem {
  if (error.kind === 'unreachable') return 'unreachable';
  if (error.kind === 'access_denied' || error.kind === 'login_required') return 'cancelled';
  if (error.kind === 'state_mismatch') return 'expired';
  return 'failed';
}

/**
 * The back office's sign-in with ProConnect (the espace's client, with /admin's own callbacks), its refusal of
 * anyone off the allowlist of OPERATORS, and the logout through ProConnect. Every sign-in, accepted or refused,
 * and every logout is journaled; failed callbacks count against the address (429 past the limit).
 */
export async function operatorSignInRoutes(app: FastifyInstance, context: AppContext, cookies: OperatorCookies): Promise<void> {
  const { operators } = context;
  const { journal } = context.espace;
  const limiter = context.authLimiters.admin;
  const production = context.config.env === 'production';
  const logoutStateCookie = production ? '__Host-fqf_admin_logout' : 'fqf_admin_logout';
  // Per address: a person needs a handful of sign-ins a minute; more is a script.
  const signInRate = { config: { rateLimit: { max: context.config.proConnect.signInPerMinute, timeWindow: '1 minute' } } };
  const noindex = (reply: FastifyReply) => reply.header('x-robots-tag', 'noindex, nofollow');

  const throttled = (request: FastifyRequest, reply: FastifyReply) => throttledFor(limiter, request, reply, null) > 0;
  const problem = (request: FastifyRequest, reply: FastifyReply, status: number, kind: OperatorSignInProblem, counted: boolean) => {
    if (counted) recordFailedAuth(limiter, request, null);
    return sendPage(noindex(reply.code(status)), OperatorSignInProblemPage({ problem: kind }));
  };

  app.get<{ Querystring: { session?: unknown } }>('/admin/connexion', async (request, reply) => {
    if (await cookies.session(request)) return reply.redirect('/admin', 303);
    return sendPage(noindex(reply), OperatorSignInPage({ csrfToken: reply.generateCsrf(), ...(request.query.session !== undefined ? { notice: 'expired' as const } : {}) }));
  });

  app.post('/admin/connexion', { ...signInRate, preHandler: app.csrfProtection }, async (request, reply) => {
    if (throttled(request, reply)) return context.renderError(request, reply, 429);
    let started;
    try {
      started = await operators.proConnect.startLogin();
    } catch (error) {
      if (!(error instanceof ProConnectUnreachableError)) throw error;
      request.log.warn({ event: 'proconnect.unreachable' }, 'ProConnect unreachable at an operator’s sign-in');
      return problem(request, reply, 503, 'unreachable', false);
    }
    cookies.saveAttempt(reply, started.attempt);
    return reply.redirect(started.url, 303);
  });

  app.get('/admin/connexion/retour', signInRate, async (request, reply) => {
    // Before the callback is examined: past the limit, not even ProConnect's token endpoint is called.
    if (throttled(request, reply)) return context.renderError(request, reply, 429);
    const attempt = cookies.takeAttempt(request, reply);
    if (!attempt) return problem(request, reply, 400, 'expired', true);
    const result = await operators.proConnect.completeLogin(new URL(request.url, context.config.proConnect.admin.redirectUri), attempt);
    if (!result.ok) {
      request.log.info({ event: 'admin.sign_in_failed', reason: result.error.kind }, 'operator’s ProConnect sign-in failed');
      return problem(request, reply, result.error.kind === 'unreachable' ? 503 : 400, problemOf(result.error), !NOT_COUNTED.has(result.error.kind));
    }
    const { user } = result;
    const role = roleOf(operators.allowlist, user.email);
    // A session even when refused: it lets the person log out of ProConnect to switch account (and shows the refusal).
    await cookies.signIn(request, reply, { sub: user.sub, email: user.email, name: `${user.givenName} ${user.usualName}`, idToken: result.idToken });
    await journal.record({ siret: null, actorKind: 'operator', actor: user.email, action: role ? 'operator_sign_in' : 'operator_sign_in_refused', detail: role ?? 'absent de OPERATORS' });
    request.log.info({ event: role ? 'admin.signed_in' : 'admin.sign_in_refused', ...(role ? { role } : {}) }, 'operator sign-in');
    if (!role) {
      recordFailedAuth(limiter, request, null);
      return sendPage(noindex(reply.code(403)), OperatorRefusalPage({ email: user.email, csrfToken: reply.generateCsrf() }));
    }
    return reply.redirect('/admin', 303);
  });

  app.post('/admin/deconnexion', { preHandler: app.csrfProtection }, async (request, reply) => {
    const ended = await cookies.signOut(request, reply);
    if (!ended) return reply.redirect('/admin/connexion', 303);
    await journal.record({ siret: null, actorKind: 'operator', actor: ended.email, action: 'operator_sign_out' });
    request.log.info({ event: 'admin.signed_out' }, 'operator signed out');
    const state = randomBytes(24).toString('base64url');
    let url: string;
    try {
      url = await operators.proConnect.logoutUrl(ended.idToken, state);
    } catch {
      // ProConnect unreachable: our side is signed out anyway.
      return reply.redirect('/admin/deconnecte', 303);
    }
    reply.setCookie(logoutStateCookie, state, { path: '/', httpOnly: true, sameSite: 'lax', secure: production, signed: true, maxAge: 600 });
    return reply.redirect(url, 303);
  });

  app.get<{ Querystring: { state?: unknown } }>('/admin/deconnexion/retour', async (request, reply) => {
    const raw = request.cookies[logoutStateCookie];
    reply.clearCookie(logoutStateCookie, { path: '/' });
    const expected = raw ? request.unsignCookie(raw) : null;
    const given = typeof request.query.state === 'string' ? Buffer.from(request.query.state) : null;
    const wanted = expected?.valid && expected.value ? Buffer.from(expected.value) : null;
    if (!given || !wanted || given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
      return sendPage(noindex(reply.code(400)), OperatorLogoutUnconfirmedPage());
    }
    return reply.redirect('/admin/deconnecte', 303);
  });

  app.get('/admin/deconnecte', async (_request, reply) => sendPage(noindex(reply), OperatorSignedOutPage({ csrfToken: reply.generateCsrf() })));
}
