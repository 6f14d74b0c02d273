import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config/config.ts';
import type { JourneyStore } from '../../db/repositories/journey-store.ts';
import type { Journey } from '../../usecases/journey.ts';

/**
 * The journey cookie holds only a random id and the version of its last save (`id.version`, see JourneyStore);
 * what it points to lives encrypted in the journey store. SameSite=Lax
 * because the FranceConnect callback arrives as a top-level navigation from another site.
 */
export function journeyCookieName(config: Config): string {
  return config.env === 'production' ? '__Host-fqf_journey' : 'fqf_journey';
}

/**
 * The cookie outlives the stored journey (30 minutes) on purpose: after the journey has expired the browser still
 * sends its id, so that we can say "expired" rather than blame the browser's cookie settings. The id alone reveals
 * nothing once its row is gone.
 */
export const JOURNEY_COOKIE_MAX_AGE_SECONDS = 24 * 60 * 60;

/**
 * Why there is no journey, each with its own explanation to the family:
 * - `cookies`: the request carries no cookie of ours at all (cookies blocked, or another browser);
 * - `no_journey`: cookies work (our CSRF cookie came back) but no journey was started or it was ended (logout);
 * - `expired`: the journey's id came back, its row is gone (past 30 minutes).
 */
export type MissingJourney = 'cookies' | 'no_journey' | 'expired';

export interface JourneyAccess {
  load(request: FastifyRequest): Promise<{ id: string; journey: Journey } | { id: null; missing: MissingJourney }>;
  save(reply: FastifyReply, id: string | null, journey: Journey): Promise<string>;
  /**
   * Saves the journey under a new id and destroys the one the request carried, whatever it was: at each change of
   * authentication (the login starts, FranceConnect answers), so that an id planted in the family's browser before
   * (session fixation) reads nothing after.
   */
  renew(request: FastifyRequest, reply: FastifyReply, journey: Journey): Promise<string>;
  end(request: FastifyRequest, reply: FastifyReply): Promise<void>;
}

/**
 * One of our cookies came back (all are named fqf_…, __Host-fqf_… in production): the browser keeps cookies for this
 * site. Only ours count: a browser may send others for the same host (another service on another port, locally).
 */
export function sentAnyCookie(request: FastifyRequest): boolean {
  return Object.keys(request.cookies ?? {}).some((name) => /^(__Host-)?fqf_/.test(name));
}

/** The id and version a journey cookie holds; a cookie set before versions were (a bare id) reads from the database. */
export function journeyInCookie(value: string): { id: string; version: string | null } {
  const dot = value.indexOf('.');
  return dot === -1 ? { id: value, version: null } : { id: value.slice(0, dot), version: value.slice(dot + 1) };
}

export function journeyAccess(config: Config, store: JourneyStore<Journey>): JourneyAccess {
  const name = journeyCookieName(config);
  const cookieOptions = {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: config.env === 'production',
    maxAge: JOURNEY_COOKIE_MAX_AGE_SECONDS,
  };
  return {
    async load(request) {
      const sent = request.cookies[name];
      if (!sent) return { id: null, missing: sentAnyCookie(request) ? 'no_journey' : 'cookies' };
      const { id, version } = journeyInCookie(sent);
      const journey = await store.load(id, version);
      return journey ? { id, journey } : { id: null, missing: 'expired' };
    },
    async save(reply, id, journey) {
      const journeyId = id ?? store.newId();
      const version = await store.save(journeyId, journey);
      reply.setCookie(name, `${journeyId}.${version}`, cookieOptions);
      return journeyId;
    },
    async renew(request, reply, journey) {
      const sent = request.cookies[name];
      const journeyId = store.newId();
      const version = sent ? await store.replace(journeyInCookie(sent).id, journeyId, journey) : await store.save(journeyId, journey);
      reply.setCookie(name, `${journeyId}.${version}`, cookieOptions);
      return journeyId;
    },
    async end(request, reply) {
      const sent = request.cookies[name];
      if (sent) await store.destroy(journeyInCookie(sent).id);
      reply.clearCookie(name, { path: '/' });
    },
  };
}
