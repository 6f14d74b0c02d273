import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config/config.ts';
import type { EspaceContext, EspaceSessionData } from '../../espace-context.ts';
import type { ProConnectLoginAttempt } from '../../integrations/proconnect/client.ts';
import { SESSION_ABSOLUTE_SECONDS } from '../../db/repositories/espace-sessions.ts';

/**
 * The cookies of the espace collectivité, apart from the families' journey cookie: the session cookie holds only
 * the opaque random id of a server-side session; the login cookie (signed, 10 minutes) holds the state, nonce and
 * PKCE verifier between our redirection to ProConnect and its callback. SameSite=Lax: the callback arrives as a
 * top-level navigation from ProConnect.
 */
export interface EspaceCookies {
  session(request: FastifyRequest): Promise<{ id: string; data: EspaceSessionData } | null>;
  /** Ends any previous session and starts a new one (a new id at every sign-in). */
  signIn(request: FastifyRequest, reply: FastifyReply, data: EspaceSessionData): Promise<void>;
  signOut(request: FastifyRequest, reply: FastifyReply): Promise<EspaceSessionData | null>;
  hadSession(request: FastifyRequest): boolean;
  saveAttempt(reply: FastifyReply, attempt: ProConnectLoginAttempt): void;
  takeAttempt(request: FastifyRequest, reply: FastifyReply): ProConnectLoginAttempt | null;
}

export function espaceCookies(config: Config, espace: EspaceContext): EspaceCookies {
  const production = config.env === 'production';
  const sessionName = production ? '__Host-fqf_espace' : 'fqf_espace';
  const attemptName = production ? '__Host-fqf_espace_login' : 'fqf_espace_login';
  const base = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: production };

  const readSession = async (request: FastifyRequest) => {
    const id = request.cookies[sessionName];
    if (!id) return null;
    const data = await espace.sessions.touch(id);
    return data ? { id, data } : null;
  };
  return {
    session: readSession,
    async signIn(request, reply, data) {
      const previous = request.cookies[sessionName];
      if (previous) await espace.sessions.destroy(previous);
      const id = await espace.sessions.create(data);
      reply.setCookie(sessionName, id, { ...base, maxAge: SESSION_ABSOLUTE_SECONDS });
    },
    async signOut(request, reply) {
      const current = await readSession(request);
      const id = request.cookies[sessionName];
      if (id) await espace.sessions.destroy(id);
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
