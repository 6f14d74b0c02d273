import { createHash, randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Persona } from '../fixtures.ts';
import type { FaultPlan } from '../faults/registry.ts';
import type { StandIn } from '../stand-in.ts';
import {
  franceConnectTimeout,
  franceConnectTokenMalformed,
  franceConnectTokenMissing,
  franceConnectTokenNotFoundOrExpired,
  franceConnectTokenWithoutIdentityScopes,
  franceConnectUnavailable,
  expiredToken,
  insufficientPrivileges,
  invalidToken,
  tooManyRequests,
  type ErrorAnswer,
} from './error-bodies.ts';
import { injectApiParticulierFaults } from './faults.ts';
import { checktokenChecker, isWellFormedBearer, type FranceConnectTokenChecker } from './france-connect-token.ts';
import { resolveAnswer, type ResolvedAnswer } from './answers.ts';
import { registerIntrospection } from './introspection.ts';
import {
  criteriaOfFranceConnectIdentity,
  findByFranceConnectIdentity,
  hasAnyQuotientFamilialScope,
  loadKnownPersonas,
  maskByScopes,
  type KnownPersona,
} from './personas.ts';
import { checkIdentityQuery, checkRecipientAndPeriod, type RawQuery } from './query-validation.ts';
import { CONTRACT_IP_RATE_LIMIT, CONTRACT_RATE_LIMIT, createRateLimiter, type RateLimitOptions } from '../rate-limiter.ts';
import { createResponseCache, UNCACHED } from './response-cache.ts';
import { hasIdentityScopes, STAGING_FRANCE_CONNECT_TOKENS } from './staging-france-connect-tokens.ts';
import { localTokenRegistry } from './tokens.ts';

export { LOCAL_API_PARTICULIER_TOKENS } from './tokens.ts';

/**
 * API Particulier's two quotient familial v3 routes (`contracts/api-particulier-qf.md`), under /api-particulier:
 * - `GET /v3/dss/quotient_familial/identite`: an API Particulier token (see tokens.ts) and the civility parameters;
 * - `GET /v3/dss/quotient_familial/france_connect`: a FranceConnect access token, checked at FranceConnect's
 *   /checktoken over HTTP as the real API does.
 * Both answer API Particulier staging's own cases exactly (staging-cases.ts), else the seed persona's answer,
 * masked by the token's scopes, behind the documented validation, per-token and per-IP rate limits, request id
 * and cache headers. `GET /introspect` lists a token's scopes (§1.4).
 */
export interface ApiParticulierStandInOptions {
  /** Defaults to the contract's 20 requests per second per token. */
  rateLimit?: RateLimitOptions;
  /** Defaults to the contract's 1000 requests per minute per IP (when the sandbox keeps per-IP limits). */
  ipRateLimit?: RateLimitOptions;
  /** The clock of the rate limit, the cache and the `annee`/`mois` checks. */
  now?: () => number;
  /** Replaces the HTTP call to FranceConnect's /checktoken (e.g. to imitate FranceConnect being down). */
  franceConnectTokenChecker?: FranceConnectTokenChecker;
  /** Replaces the seed personas (e.g. to add an answer the seed lacks). */
  personas?: readonly Persona[];
  /** Fault injection (502/503/504, no answer); defaults to the sandbox's plan when there is one. */
  faults?: FaultPlan;
}

const PREFIX = '/api-particulier';
const IDENTITY_ROUTE = '/v3/dss/quotient_familial/identite';
const FRANCE_CONNECT_ROUTE = '/v3/dss/quotient_familial/france_connect';

export function createApiParticulierStandIn(options: ApiParticulierStandInOptions = {}): StandIn {
  return async (app, context) => {
    const now = options.now ?? Date.now;
    // State lives per registration so that each sandbox (and each test) starts with fresh counters.
    const limiter = createRateLimiter(options.rateLimit ?? CONTRACT_RATE_LIMIT, now);
    const ipLimiter = context.perIpLimits === false ? null : createRateLimiter(options.ipRateLimit ?? CONTRACT_IP_RATE_LIMIT, now);
    const cache = createResponseCache(now);
    const known = loadKnownPersonas(options.personas);
    const checkFranceConnectToken = options.franceConnectTokenChecker ?? checktokenChecker(context);
    const faults = options.faults ?? context.controls?.faults;

    const sendError = (reply: FastifyReply, error: ErrorAnswer) =>
      reply
        .code(error.status)
        .headers({ ...UNCACHED, ...error.headers })
        .send(error.body);

    const sendAnswer = async (reply: FastifyReply, request: FastifyRequest, route: string, resolved: ResolvedAnswer, scopes: readonly string[]) => {
      if (resolved.answerDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, resolved.answerDelayMs));
      if (!resolved.answer.ok) return sendError(reply, resolved.answer.error);
      const bypass = /\bno-cache\b/i.test(request.headers['cache-control'] ?? '');
      const cacheKey = `${route}|${resolved.key}|${JSON.stringify(resolved.answer.data.quotient_familial ?? null)}`;
      return reply
        .headers(cache.successHeaders(cacheKey, bypass))
        .send({ data: maskByScopes(resolved.answer.data, scopes), links: {}, meta: {} });
    };

    await app.register(
      async (scope) => {
        // Every answer, errors and 429s included, carries a request id and the rate-limit headers (§4, §1.4).
        scope.addHook('onRequest', async (request, reply) => {
          reply.header('X-Request-Id', randomUUID());
          const decision = limiter.hit(rateLimitKey(request));
          reply.headers({
            'RateLimit-Limit': String(decision.limit),
            'RateLimit-Remaining': String(decision.remaining),
            'RateLimit-Reset': String(decision.resetAt),
          });
          if (!decision.allowed) return sendError(reply, tooManyRequests(decision.retryAfterSeconds));
          // Every token of one IP together (§4); its headers replace the token's once the IP is over.
          const byIp = ipLimiter?.hit(`ip:${request.ip}`);
          if (byIp && !byIp.allowed) {
            reply.headers({ 'RateLimit-Limit': String(byIp.limit), 'RateLimit-Remaining': '0', 'RateLimit-Reset': String(byIp.resetAt) });
            return sendError(reply, tooManyRequests(byIp.retryAfterSeconds));
          }
        });
        if (faults) injectApiParticulierFaults(scope, faults, context.config);

        scope.get<{ Querystring: RawQuery }>(IDENTITY_ROUTE, async (request, reply) => {
          const token = bearerOf(request);
          const registered = token === null ? undefined : localTokenRegistry.get(token);
          if (!registered) return sendError(reply, invalidToken());
          if (registered.expiresAt !== null && registered.expiresAt.getTime() <= now()) {
            return sendError(reply, expiredToken());
          }
          if (!hasAnyQuotientFamilialScope(registered.scopes)) return sendError(reply, insufficientPrivileges());

          const checked = checkIdentityQuery(request.query, new Date(now()));
          if (!checked.ok) return sendError(reply, checked.error);
          const resolved = resolveAnswer('identite', checked.value.identity, checked.value.period, known, undefined, new Date(now()));
          return sendAnswer(reply, request, IDENTITY_ROUTE, resolved, registered.scopes);
        });

        scope.get<{ Querystring: RawQuery }>(FRANCE_CONNECT_ROUTE, async (request, reply) => {
          const token = bearerOf(request);
          if (token === null) return sendError(reply, franceConnectTokenMissing());
          if (!isWellFormedBearer(token)) return sendError(reply, franceConnectTokenMalformed());
          const check = STAGING_FRANCE_CONNECT_TOKENS.has(token)
            ? { outcome: 'active' as const, ...STAGING_FRANCE_CONNECT_TOKENS.get(token)! }
            : await checkFranceConnectToken(token);
          if (check.outcome === 'inactive') return sendError(reply, franceConnectTokenNotFoundOrExpired());
          if (check.outcome === 'malformed') return sendError(reply, franceConnectTokenMalformed());
          if (check.outcome === 'throttled') return sendError(reply, tooManyRequests(check.retryAfterSeconds));
          if (check.outcome === 'timeout') return sendError(reply, franceConnectTimeout());
          if (check.outcome === 'unavailable') return sendError(reply, franceConnectUnavailable());
          // siade needs the identity pivot to query the provider (§3.4 missing_hub_identity_scope).
          if (!hasIdentityScopes(check.scopes)) return sendError(reply, franceConnectTokenWithoutIdentityScopes(check.scopes));
          if (!hasAnyQuotientFamilialScope(check.scopes)) return sendError(reply, insufficientPrivileges());

          const checked = checkRecipientAndPeriod(request.query, new Date(now()));
          if (!checked.ok) return sendError(reply, checked.error);
          const criteria = criteriaOfFranceConnectIdentity(check.identity);
          const resolved = resolveAnswer(
            'france_connect',
            criteria,
            checked.value.period,
            known,
            () => findByFranceConnectIdentity(known, check.identity),
            new Date(now()),
          );
          return sendAnswer(reply, request, FRANCE_CONNECT_ROUTE, resolved, check.scopes);
        });
        registerIntrospection(scope, now, sendError);
      },
      { prefix: PREFIX },
    );
  };
}

export const apiParticulierStandIn: StandIn = createApiParticulierStandIn();

function bearerOf(request: FastifyRequest): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match?.[1] ?? null;
}

/** Per token, as API Particulier counts; a hash so that the map never holds a usable token. */
function rateLimitKey(request: FastifyRequest): string {
  const token = bearerOf(request);
  return token === null ? `ip:${request.ip}` : `token:${createHash('sha256').update(token).digest('hex')}`;
}
