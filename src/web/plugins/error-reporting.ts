import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ErrorReporter, RequestFacts } from '../../observability/error-reporting.ts';

/** Probes answer 503 on purpose while the database is away: the load balancer acts on it, nobody is paged for each. */
const PROBE_ROUTES = new Set(['/health', '/ready']);

/**
 * Every request that ends in a 5xx goes to the error reporter once, when its answer is sent: with the exception
 * that caused it (seen by the onError hook, whichever error handler answered: the site's, the API's or the back
 * office's), or as a 5xx answered on purpose (an upstream down). Only the route's pattern is named, never the
 * URL. Call it before any route is added: routes take the hooks present when they are added.
 */
export function reportServerErrors(app: FastifyInstance, reporter: ErrorReporter): void {
  if (!reporter.enabled) return;
  const failures = new WeakMap<FastifyRequest, Error>();
  app.addHook('onError', async (request, _reply, error) => {
    failures.set(request, error);
  });
  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode < 500) return;
    const facts: RequestFacts = { method: request.method, route: request.routeOptions.url ?? null, status: reply.statusCode };
    const error = failures.get(request);
    if (error) reporter.requestFailed(error, facts);
    else if (facts.route === null || !PROBE_ROUTES.has(facts.route)) reporter.serverErrorAnswered(facts);
  });
}
