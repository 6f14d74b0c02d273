import type { FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_ABSOLUTE_SECONDS, type SessionStore } from '../../db/repositories/espace-sessions.ts';
import type { ProConnectLoginAttempt } from '../../integrations/proconnect/client.ts';

/**
 * The cookies of a ProConnect sign-in (the espace collectivité's, the back office's), apart from the families'
 * journey cookie: the session cookie holds only the opaque random id of a server-side session; the login cookie
 * (signed, 10 minutes) holds the state, nonce and PKCE verifier between our redirection to ProConnect and its
 * callback. SameSite=Lax: the callback arrives as a top-level navigation from ProConnect.
 */
export interface SignInCookies<T> {
  session(request: FastifyRequest): Promise<{ id: string; data: T } | null>;
  /** Ends any previous session and starts a new one (a new id at every sign-in). */
  signIn(request: FastifyRequest, reply: FastifyReply, data: T): Promise<void>;
  signOut(request: FastifyRequest, reply: FastifyReply): Promise<T | null>;
  hadSession(request: FastifyRequest): boolean;
  saveAttempt(reply: FastifyReply, attempt: ProConnectLoginAttempt): void;
  takeAttempt(request: FastifyRequest, reply: FastifyReply): ProConnectLoginAttempt | null;
}

/** `name`: the cookies' stem (`fqf_espace`), `__Host-` prefixed in production. */
export function signInCookies<T>(options: { production: boolean; name: string; store: SessionStore<T> }): SignInCookies<T> {
  const { production, store } = options;
  const sessionName = production ? `__Host-${options.name}` : options.name;
  const attemptName = `${sessionName}_login`;
  const base = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: production };

  const readSession = async (request: FastifyRequest) => {
    const id = request.cookies[sessionName];
    if (!id) return null;
    const data = await store.touch(id);
    return data ? { id, data } : null;
  };
  return {
    session: readSession,
    async signIn(request, reply, data) {
      const previous = request.cookies[sessionName];
      if (previous) await store.destroy(previous);
      const id = await store.create(data);
      reply.setCookie(sessionName, id, { ...base, maxAge: SESSION_ABSOLUTE_SECONDS });
    },
    async signOut(request, reply) {
      const current = await readSession(request);
      const id = request.cookies[sessionName];
      if (id) await store.destroy(id);
      reply.clearCookie(sessionName, { path: '/' });
      return current?.data ?? null;
    },
    hadSession: (request) => Boolean(request.cookies[sessionName]),
    saveAttempt(reply, attempt) {
      reply.setCookie(attemptName, JSON.stringify(attempt), { ...base, signed: true, maxAge: 600 });
    },
    takeAttempt(request, reply) {
      const raw = request.cookies[attemptName];
      reply.clearCookie(attemptName, { path: '/' });
      if (!raw) return null;
      const unsigned = request.unsignCookie(raw);
      if (!unsigned.valid || unsigned.value === null) return null;
      try {
        const parsed = JSON.parse(unsigned.value) as Partial<ProConnectLoginAttempt>;
        if (typeof parsed.state !== 'string' || typeof parsed.nonce !== 'string' || typeof parsed.codeVerifier !== 'string') return null;
        return { state: parsed.state, nonce: parsed.nonce, codeVerifier: parsed.codeVerifier };
      } catch {
        return null;
      }
    },
  };
}
