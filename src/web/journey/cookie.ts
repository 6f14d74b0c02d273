import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config/config.ts';
import type { JourneyStore } from '../../db/repositories/journey-store.ts';
import type { Journey } from '../../usecases/journey.ts';

/**
 * The journey cookie holds only a random id; what it points to lives encrypted in the journey store. SameSite=Lax
 * because the FranceConnect callback arrives as a top-level navigation from another site.
 */
export function journeyCookieName(config: Config): string {
  return config.env === 'production' ? '__Host-fqf_journey' : 'fqf_journey';
}

export interface JourneyAccess {
  /** The journey, or why there is none: no cookie at all (cookies off, or another browser) or an expired one. */
  load(request: FastifyRequest): Promise<{ id: string; journey: Journey } | { id: null; missing: 'no_cookie' | 'expired' }>;
  save(reply: FastifyReply, id: string | null, journey: Journey): Promise<string>;
  /**
   * Saves the journey under a new id and destroys the one the request carried, whatever it was: at each change of
   * authentication (the login starts, FranceConnect answers), so that an id planted in the family's browser before
   * (session fixation) reads nothing after.
   */
  renew(request: FastifyRequest, reply: FastifyReply, journey: Journey): Promise<string>;
  end(request: FastifyRequest, reply: FastifyReply): Promise<void>;
}

export function journeyAccess(config: Config, store: JourneyStore<Journey>): JourneyAccess {
  const name = journeyCookieName(config);
  const cookieOptions = {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: config.env === 'production',
    maxAge: 30 * 60,
  };
  return {
    async load(request) {
      const id = request.cookies[name];
      if (!id) return { id: null, missing: 'no_cookie' };
      const journey = await store.load(id);
      return journey ? { id, journey } : { id: null, missing: 'expired' };
    },
    async save(reply, id, journey) {
      const journeyId = id ?? store.newId();
      await store.save(journeyId, journey);
      reply.setCookie(name, journeyId, cookieOptions);
      return journeyId;
    },
    async renew(request, reply, journey) {
      const old = request.cookies[name];
      const journeyId = store.newId();
      await store.save(journeyId, journey);
      if (old) await store.destroy(old);
      reply.setCookie(name, journeyId, cookieOptions);
      return journeyId;
    },
    async end(request, reply) {
      const id = request.cookies[name];
      if (id) await store.destroy(id);
      reply.clearCookie(name, { path: '/' });
    },
  };
}
