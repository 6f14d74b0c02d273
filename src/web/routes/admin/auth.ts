import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { decoyHashLike, verifyPassword } from './password.ts';

/**
 * HTTP Basic authentication of the operators (over HTTPS in production: APP_URL must be https and HSTS is on).
 * Every attempt costs one scrypt, known user or not, so that timing does not tell which names exist; a success
 * is remembered for a few minutes (by an HMAC of the header, never the header itself) so that browsing the
 * back office does not pay scrypt on every page.
 */
export interface AdminUser {
  name: string;
  passwordHash: string;
}

export const ADMIN_REALM = 'Formulaire QF - administration';
const REMEMBER_MS = 5 * 60 * 1000;
const MAX_REMEMBERED = 200;

export interface AdminAuthenticator {
  /** The user name a request's Basic credentials try (for the failed-authentication limiter), or null without any. */
  attemptedName(request: FastifyRequest): string | null;
  /** The operator's name, or null. */
  authenticate(request: FastifyRequest): Promise<string | null>;
  /** A 401 asking the browser for credentials. */
  challenge(reply: FastifyReply): FastifyReply;
}

export function createAdminAuthenticator(users: readonly AdminUser[], now: () => number = Date.now): AdminAuthenticator {
  const key = randomBytes(32);
  const remembered = new Map<string, { name: string; until: number }>();
  const digest = (value: string) => createHash('sha256').update(value).digest();
  // Verified against when the name is unknown, at the operators' cost, so that both paths take the same time.
  const decoyHash = decoyHashLike(users[0]?.passwordHash);

  return {
    attemptedName(request) {
      const header = request.headers.authorization;
      if (typeof header !== 'string' || !/^Basic [A-Za-z0-9+/=]{1,1024}$/i.test(header.trim())) return null;
      const decoded = Buffer.from(header.trim().slice(6), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      return colon < 0 ? null : decoded.slice(0, colon);
    },
    async authenticate(request) {
      const header = request.headers.authorization;
      if (typeof header !== 'string' || !/^Basic [A-Za-z0-9+/=]{1,1024}$/i.test(header.trim())) return null;
      const mark = createHmac('sha256', key).update(header.trim()).digest('base64url');
      const known = remembered.get(mark);
      if (known && known.until > now()) return known.name;
      remembered.delete(mark);

      const decoded = Buffer.from(header.trim().slice(6), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) return null;
      const name = decoded.slice(0, colon);
      const password = decoded.slice(colon + 1);
      // Every name is compared, in constant time, so that neither the match nor its position shows.
      let user: AdminUser | null = null;
      for (const candidate of users) {
        if (timingSafeEqual(digest(candidate.name), digest(name))) user = candidate;
      }
      const valid = await verifyPassword(password, user?.passwordHash ?? decoyHash);
      if (!valid || user === null) return null;
      if (remembered.size >= MAX_REMEMBERED) remembered.clear();
      remembered.set(mark, { name: user.name, until: now() + REMEMBER_MS });
      return user.name;
    },
    challenge(reply) {
      return reply.code(401).header('www-authenticate', `Basic realm="${ADMIN_REALM}", charset="UTF-8"`);
    },
  };
}
