import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { generateSigningKeys } from '../oidc/keys.ts';
import { memoryAdapterFactory } from '../oidc/memory-adapter.ts';
import { mountProvider, registerLoginSteps } from '../oidc/mount.ts';
import type { StandIn, StandInContext } from '../stand-in.ts';
import { finishLogin, showLoginPage } from './interactions.ts';
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
    await mountProvider(app, prefix, (req, res) => void callback(req, res));
    await registerLoginSteps(app, prefix, {
      provider: () => provider,
      show: (req, res) => showLoginPage(provider, req, res, publicOnly),
      login: (req, res, login) => finishLogin(provider, req, res, login, publicOnly),
      expiredPage: SESSION_EXPIRED_PAGE,
    });
  };
}

export const proConnectStandIn: StandIn = createProConnectStandIn();
