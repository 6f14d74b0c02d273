import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.ts';
import { ProConnectUnreachableError } from '../../../integrations/proconnect/client.ts';
import { decideAccess } from '../../../usecases/espace-access.ts';
import { decideEditeurAccess } from '../../../usecases/editeur-access.ts';
import { sendPage } from '../../routes/send-page.ts';
import type { EspaceCookies } from '../session.ts';
import { RefusalPage, SignInPage, SignInProblemPage } from '../views/SignInPages.tsx';

const LOGOUT_STATE_COOKIE = 'fqf_espace_logout_state';
/** Which space's logged-out page the logout comes back to (ProConnect knows one return address for both). */
const LOGOUT_SPACE_COOKIE = 'fqf_espace_logout_space';

/**
 * Sign-in with ProConnect, its callback, and the logout through ProConnect: one way in for both spaces. The
 * callback sends the person to the espace éditeur when the organisation chosen at login is an éditeur of ours,
 * and to the espace collectivité otherwise.
 */
export async function signInRoutes(app: FastifyInstance, context: AppContext, cookies: EspaceCookies): Promise<void> {
  const { espace } = context;
  // Per address: a person needs a handful of sign-ins a minute; more is a script.
  const SIGN_IN_RATE = { max: context.config.proConnect.signInPerMinute, timeWindow: '1 minute' };

  app.get<{ Querystring: { session?: unknown; deconnecte?: unknown } }>('/espace', async (request, reply) => {
    const session = await cookies.session(request);
    if (session) return reply.redirect((await espace.editeurs.findBySiret(session.data.user.siret)) ? '/editeur/clients' : '/espace/transmissions', 303);
    const notice = request.query.deconnecte !== undefined ? 'signed_out' : request.query.session !== undefined ? 'expired' : undefined;
    return sendPage(reply, SignInPage({ csrfToken: reply.generateCsrf(), ...(notice ? { notice } : {}) }));
  });

  app.post('/espace/connexion', { preHandler: app.csrfProtection, config: { rateLimit: SIGN_IN_RATE } }, async (request, reply) => {
    let started;
    try {
      started = await espace.proConnect.startLogin();
    } catch (error) {
      if (!(error instanceof ProConnectUnreachableError)) throw error;
      request.log.warn({ event: 'proconnect.unreachable' }, 'ProConnect unreachable at sign-in');
      return sendPage(reply.code(503), SignInProblemPage({ problem: 'unreachable' }));
    }
    cookies.saveAttempt(reply, started.attempt);
    return reply.redirect(started.url, 303);
  });

  app.get('/espace/connexion/retour', { config: { rateLimit: SIGN_IN_RATE } }, async (request, reply) => {
    const attempt = cookies.takeAttempt(request, reply);
    if (!attempt) return sendPage(reply.code(400), SignInProblemPage({ problem: 'expired' }));
    const result = await espace.proConnect.completeLogin(new URL(request.url, context.config.proConnect.redirectUri), attempt);
    if (!result.ok) {
      const { error } = result;
      request.log.info({ event: 'espace.sign_in_failed', reason: error.kind }, 'ProConnect sign-in failed');
      if (error.kind === 'unreachable') return sendPage(reply.code(503), SignInProblemPage({ problem: 'unreachable' }));
      if (error.kind === 'access_denied' || error.kind === 'login_required') return sendPage(reply.code(400), SignInProblemPage({ problem: 'cancelled' }));
      if (error.kind === 'state_mismatch') return sendPage(reply.code(400), SignInProblemPage({ problem: 'expired' }));
      return sendPage(reply.code(400), SignInProblemPage({ problem: 'failed' }));
    }
    const { user } = result;
    const editeurAccess = await decideEditeurAccess({ editeurs: espace.editeurs, members: espace.editeurMembers }, user);
    if (editeurAccess) {
      await cookies.signIn(request, reply, { user, idToken: result.idToken });
      await espace.editeurJournal.record({
        siret: user.siret,
        actorKind: 'agent',
        actor: user.email,
        action: editeurAccess.ok ? 'sign_in' : 'sign_in_refused',
        detail: editeurAccess.ok ? editeurAccess.role : editeurAccess.refusal.kind,
      });
      request.log.info({ event: editeurAccess.ok ? 'editeur.signed_in' : 'editeur.sign_in_refused', siret: user.siret }, 'espace éditeur sign-in');
      if (!editeurAccess.ok) return sendPage(reply.code(403), RefusalPage({ refusal: editeurAccess.refusal, csrfToken: reply.generateCsrf() }));
      return reply.redirect('/editeur/clients', 303);
    }
    const decision = await decideAccess({ collectivities: context.collectivities, agents: espace.agents }, user);
    // The session exists even when refused: it lets the person log out of ProConnect to switch account.
    await cookies.signIn(request, reply, { user, idToken: result.idToken });
    await espace.journal.record({
      siret: decision.ok ? decision.collectivity.siret : user.siret,
      actorKind: 'agent',
      actor: user.email,
      action: decision.ok ? 'sign_in' : 'sign_in_refused',
      detail: decision.ok ? decision.role : decision.refusal.kind,
    });
    request.log.info({ event: decision.ok ? 'espace.signed_in' : 'espace.sign_in_refused', siret: user.siret, ...(decision.ok ? {} : { reason: decision.refusal.kind }) }, 'espace sign-in');
    if (!decision.ok) return sendPage(reply.code(403), RefusalPage({ refusal: decision.refusal, csrfToken: reply.generateCsrf() }));
    return reply.redirect('/espace/transmissions', 303);
  });

  app.post('/espace/deconnexion', { preHandler: app.csrfProtection }, async (request, reply) => {
    const ended = await cookies.signOut(request, reply);
    if (!ended) return reply.redirect('/espace?deconnecte', 303);
    const fromEditeur = (await espace.editeurs.findBySiret(ended.user.siret)) !== null;
    const journal = fromEditeur ? espace.editeurJournal : espace.journal;
    await journal.record({ siret: ended.user.siret, actorKind: 'agent', actor: ended.user.email, action: 'sign_out' });
    const signedOut = fromEditeur ? '/editeur?deconnecte' : '/espace?deconnecte';
    const state = randomBytes(24).toString('base64url');
    let url: string;
    try {
      url = await espace.proConnect.logoutUrl(ended.idToken, state);
    } catch {
      // ProConnect unreachable: our side is signed out anyway.
      return reply.redirect(signedOut, 303);
    }
    const logoutCookie = { path: '/espace', httpOnly: true, sameSite: 'lax' as const, secure: context.config.env === 'production', maxAge: 600 };
    reply.setCookie(LOGOUT_STATE_COOKIE, state, logoutCookie);
    if (fromEditeur) reply.setCookie(LOGOUT_SPACE_COOKIE, 'editeur', logoutCookie);
    return reply.redirect(url, 303);
  });

  app.get<{ Querystring: { state?: unknown } }>('/espace/deconnexion/retour', async (request, reply) => {
    const expected = request.cookies[LOGOUT_STATE_COOKIE];
    reply.clearCookie(LOGOUT_STATE_COOKIE, { path: '/espace' });
    const editeur = request.cookies[LOGOUT_SPACE_COOKIE] === 'editeur';
    if (editeur) reply.clearCookie(LOGOUT_SPACE_COOKIE, { path: '/espace' });
    // Only the return of the logout this browser started says "vous êtes déconnecté" (a forged link must not).
    const given = typeof request.query.state === 'string' ? Buffer.from(request.query.state) : null;
    const wanted = expected ? Buffer.from(expected) : null;
    if (!given || !wanted || given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
      return sendPage(reply.code(400), SignInProblemPage({ problem: 'logout_unconfirmed' }));
    }
    return reply.redirect(editeur ? '/editeur?deconnecte' : '/espace?deconnecte', 303);
  });
}
