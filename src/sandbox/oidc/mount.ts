import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { sendHtml } from './html.ts';
import { abortLogin, type LoginAnswer } from './interactions.ts';
import type Provider from 'oidc-provider';

/** Hands every request under `prefix` to oidc-provider, which then advertises prefixed endpoints in discovery. */
export async function mountProvider(app: FastifyInstance, prefix: string, handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<void> {
  await app.register(async (scope) => {
    // oidc-provider reads request bodies itself: leave them unread.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
    const toProvider = (request: { raw: IncomingMessage }, reply: FastifyReply) => {
      reply.hijack();
      const raw = request.raw as IncomingMessage & { originalUrl?: string };
      const url = raw.url ?? '/';
      // oidc-provider derives its mount path from originalUrl.
      raw.originalUrl = url;
      raw.url = url.slice(prefix.length) || '/';
      handle(raw, reply.raw);
    };
    scope.all(prefix, toProvider);
    scope.all(`${prefix}/*`, toProvider);
  });
}

/** A stand-in's own login steps; the provider is read at each request (FranceConnect's is rebuilt at a key rotation). */
export interface LoginSteps {
  provider(): Provider;
  show(req: IncomingMessage, res: ServerResponse): Promise<LoginAnswer>;
  login(req: IncomingMessage, res: ServerResponse, login: string): Promise<LoginAnswer>;
  /** The page shown when the interaction cookie is gone or expired: the login must start again from the service. */
  expiredPage: string;
}

export type FormRoute = (scope: FastifyInstance, form: (body: unknown) => URLSearchParams) => void;

/**
 * The login page, its two forms, and any other form-posted route of the stand-in (`more`), under `prefix`: an
 * interaction that cannot be read any more gets the expired page, never a stack trace.
 */
export async function registerLoginSteps(app: FastifyInstance, prefix: string, steps: LoginSteps, more?: FormRoute): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => done(null, new URLSearchParams(String(body))));
    const form = (body: unknown) => (body instanceof URLSearchParams ? body : new URLSearchParams());
    const answer = async (res: ServerResponse, step: () => Promise<LoginAnswer | void>) => {
      try {
        const outcome = await step();
        if (outcome?.kind === 'page') sendHtml(res, outcome.status, outcome.html);
      } catch {
        sendHtml(res, 400, steps.expiredPage);
      }
    };
    scope.get(`${prefix}/interaction/:uid`, async (request, reply) => {
      reply.hijack();
      await answer(reply.raw, () => steps.show(request.raw, reply.raw));
    });
    scope.post(`${prefix}/interaction/:uid/login`, async (request, reply) => {
      reply.hijack();
      await answer(reply.raw, () => steps.login(request.raw, reply.raw, form(request.body).get('login') ?? ''));
    });
    scope.post(`${prefix}/interaction/:uid/abort`, async (request, reply) => {
      reply.hijack();
      await answer(reply.raw, () => abortLogin(steps.provider(), request.raw, reply.raw));
    });
    more?.(scope, form);
  });
}
