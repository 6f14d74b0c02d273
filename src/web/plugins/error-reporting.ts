import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ErrorReporter, RequestFacts } from '../../observability/error-reporting.ts';

/** Probes answer 503 on purpose while the database is away: the load balancer acts on it, nobody is paged for each. */
const PROBE_ROUTES = new Set(['/health', '/ready']);

/**
 * Every 5xx goes to the error reporter once: the exceptions through the error handler (which calls the returned
 * function), the 5xx answered on purpose (an upstream down) from the response hook. Only the route's pattern is
 * named, never the URL. Call it before any route is added: routes take the hooks present when they are added.
 */
export function reportServerErrors(app: FastifyInstance, reporter: ErrorReporter): (error: unknown, request: FastifyRequest, status: number) => void {
  if (!reporter.enabled) return () => {};
  const reported = new WeakSet<FastifyRequest>();
  const factsOf = (request: FastifyRequest, status: number): RequestFacts => ({ method: request.method, route: request.routeOptions.url ?? null, status });
  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode < 500 || reported.has(request)) return;
    const facts = factsOf(request, reply.statusCode);
    if (facts.route !== null && PROBE_ROUTES.has(facts.route)) return;
    reporter.serverErrorAnswered(facts);
  });
  return (error, request, status) => {
    reported.add(request);
    reporter.requestFailed(error, factsOf(request, status));
  };
}
