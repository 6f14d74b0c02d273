import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { StandIn, StandInContext } from '../stand-in.ts';
import { generateSigningKeys } from '../franceconnect/keys.ts';
import { memoryAdapterFactory } from '../franceconnect/memory-adapter.ts';
import { abortLogin, finishLogin, showLoginPage, type LoginPage } from './interactions.ts';
import { errorPage } from './pages.ts';
import { buildProConnectProvider } from './provider.ts';

/**
 * A local ProConnect (contract §9): oidc-provider configured as ProConnect's federation, RS256-signed ID token and
 * JWT userinfo, its own request checks and error codes, an e-mail page listing the test personas, all under
 * `${publicUrl}/proconnect/api/v2`.
 */
export interface ProConnectStandInOptions {
  /** Register our client as a `public`-type service provider, which refuses private-sector users (Y500015). */
  publicOnly?: boolean;
}

const MOUNT = '/proconnect/api/v2';

export function proConnectStandInIssuer(publicUrl: string): string {
  return `${publicUrl}${MOUNT}`;
}

const SESSION_EXPIRED_PAGE = errorPage('Y030110', 'Votre session a expiré. Reconnectez-vous depuis le site du service.');

export function createProConnectStandIn(options: ProConnectStandInOptions = {}): StandIn {
  return async (app: FastifyInstance, context: StandInContext) => {
    const issuer = proConnectStandInIssuer(context.publicUrl);
    const prefix = new URL(issuer).pathname;
    const publicOnly = options.publicOnly ?? false;
    const keys = await generateSigningKeys();
    const provider = buildProConnectProvider({
      issuer,
      client: context.config.proConnect,
      publicOnly,
      keys: keys.privateJwks,
      cookieKeys: [randomBytes(32).toString('base64url')],
      adapter: memoryAdapterFactory(),
    });
    const callback = provider.callback();

    await app.register(async (scope) => {
      // oidc-provider reads request bodies itself: leave them unread.
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
      const toProvider = (request: { raw: IncomingMessage }, reply: FastifyReply) => {
        reply.hijack();
        const raw = request.raw as IncomingMessage & { originalUrl?: string };
        const url = raw.url ?? '/';
        raw.originalUrl = url;
        raw.url = url.slice(prefix.length) || '/';
        void callback(raw, reply.raw);
      };
      scope.all(prefix, toProvider);
      scope.all(`${prefix}/*`, toProvider);
    });

    await app.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) =>
        done(null, new URLSearchParams(String(body))),
      );
      const form = (body: unknown) => (body instanceof URLSearchParams ? body : new URLSearchParams());
      const answer = (reply: FastifyReply, page: LoginPage) => {
        if (page.kind === 'page') sendHtml(reply.raw, page.status, page.html);
      };

      scope.get(`${prefix}/interaction/:uid`, async (request, reply) => {
        reply.hijack();
        try {
          answer(reply, await showLoginPage(provider, request.raw, reply.raw, publicOnly));
        } catch {
          sendHtml(reply.raw, 400, SESSION_EXPIRED_PAGE);
        }
      });

      scope.post(`${prefix}/interaction/:uid/login`, async (request, reply) => {
        reply.hijack();
        try {
          answer(reply, await finishLogin(provider, request.raw, reply.raw, form(request.body).get('login') ?? '', publicOnly));
        } catch {
          sendHtml(reply.raw, 400, SESSION_EXPIRED_PAGE);
        }
      });

      scope.post(`${prefix}/interaction/:uid/abort`, async (request, reply) => {
        reply.hijack();
        try {
          await abortLogin(provider, request.raw, reply.raw);
        } catch {
          sendHtml(reply.raw, 400, SESSION_EXPIRED_PAGE);
        }
      });
    });
  };
}

export const proConnectStandIn: StandIn = createProConnectStandIn();

function sendHtml(res: ServerResponse, status: number, html: string): void {
  if (res.headersSent) return;
  res.statusCode = status;
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.end(html);
}
