import type { FastifyReply, FastifyRequest } from 'fastify';
import { HubeeApiError } from './errors.ts';

/**
 * The API path as HubEE names it in validation messages, without the query and our mount point (`/hubee`, or
 * `/hubee-qualification` for the qualification stand-in: the first segment, whichever it is).
 */
export function apiPath(request: FastifyRequest): string {
  return (request.url.split('?')[0] ?? '').replace(/^\/hubee[^/]*/, '');
}

/**
 * HubEE accepts `POST` + `X-HTTP-Method-Override: PATCH` for clients that cannot send PATCH, and answers 405
 * to any other POST on those paths (contracts/hubee.md §2.1).
 */
export function requirePatchOverride(request: FastifyRequest): void {
  const override = request.headers['x-http-method-override'];
  if (typeof override !== 'string' || override.toUpperCase() !== 'PATCH') {
    throw new HubeeApiError(405, 'Method Not Allowed');
  }
}

export function noContent(reply: FastifyReply): FastifyReply {
  return reply.code(204).send();
}

/** Query values may come repeated (`?a=1&a=2`) or comma-separated (`?a=1,2`). */
export function queryList(value: unknown): string[] {
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values.flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean);
}

export function queryString(value: unknown): string | undefined {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : undefined;
}
