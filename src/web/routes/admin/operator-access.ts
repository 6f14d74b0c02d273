import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.ts';
import { roleOf, type OperatorRole } from '../../../config/operators.ts';
import type { JournalAction } from '../../../db/repositories/espace-journal.ts';
import type { OperatorSessionData } from '../../../operator-context.ts';
import { signInCookies, type SignInCookies } from '../../sign-in/session-cookies.ts';
import type { OperatorFrame } from '../../views/admin/AdminLayout.tsx';
import { OperatorRefusalPage } from '../../views/admin/SignInPages.tsx';
import { sendPage } from '../send-page.ts';

/** The operator a request of /admin acts as, once its session and the allowlist agree. */
export interface SignedInOperator {
  email: string;
  name: string;
  role: OperatorRole;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The operator signed in on /admin (set by the guard of the back office's scope). */
    operator?: SignedInOperator;
  }
}

/** The back office's cookies: `fqf_admin` (the session's id), `fqf_admin_login` (the ProConnect attempt). */
export type OperatorCookies = SignInCookies<OperatorSessionData>;

export function operatorCookies(context: AppContext): OperatorCookies {
  return signInCookies({ production: context.config.env === 'production', name: 'fqf_admin', store: context.operators.sessions });
}

const READS = new Set(['GET', 'HEAD']);

/**
 * The authorisation of every request of the back office, on the server: a live operator's session (else the
 * sign-in page), the e-mail still on the allowlist (read at every request, so that a removal takes effect at the
 * next start), and any change (every method but GET and HEAD) for administrators only.
 */
export function operatorGuard(context: AppContext, cookies: OperatorCookies) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    reply.header('x-robots-tag', 'noindex, nofollow');
    const session = await cookies.session(request);
    if (!session) return reply.redirect(cookies.hadSession(request) ? '/admin/connexion?session=expiree' : '/admin/connexion', 303);
    const { email, name } = session.data;
    const role = roleOf(context.operators.allowlist, email);
    if (role === null) return sendPage(reply.code(403), OperatorRefusalPage({ email, csrfToken: reply.generateCsrf() }));
    if (role !== 'administrateur' && !READS.has(request.method)) {
      request.log.info({ event: 'admin.read_only_refused', route: request.routeOptions.url }, 'change refused to a read-only operator');
      return context.renderError(request, reply, 403, 'ADMIN_READ_ONLY');
    }
    request.operator = { email, name, role };
  };
}

/** What the layout shows of the signed-in operator, with the logout form's token. */
export function operatorFrame(request: FastifyRequest, reply: FastifyReply): OperatorFrame {
  const operator = request.operator;
  // The guard runs before every handler of the scope: a handler without an operator is a wiring mistake.
  if (!operator) throw new Error('operatorFrame outside the back office’s guarded scope');
  return { ...operator, csrfToken: reply.generateCsrf() };
}

/** Who did it, for the journal: the operator's e-mail (encrypted there). */
export function operatorOf(request: FastifyRequest): SignedInOperator {
  if (!request.operator) throw new Error('operatorOf outside the back office’s guarded scope');
  return request.operator;
}

export type OperatorAction = (request: FastifyRequest, entry: { action: JournalAction; siret?: string | null; target?: string | null; detail?: string | null }) => Promise<void>;

/** Every change an operator makes goes to the journal: who, when, what (never anything of a family). */
export function operatorJournal(context: Pick<AppContext, 'espace'>): OperatorAction {
  return (request, entry) =>
    context.espace.journal.record({ siret: entry.siret ?? null, actorKind: 'operator', actor: operatorOf(request).email, action: entry.action, target: entry.target ?? null, detail: entry.detail ?? null });
}
