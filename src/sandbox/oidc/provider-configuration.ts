import type { JWK } from 'jose';
import type { AdapterFactory, Configuration } from 'oidc-provider';
import { standInErrorPage, standInLogoutPage, standInPage, type OpenIdService } from './html.ts';

export interface StandInProviderBasics {
  service: OpenIdService;
  issuer: string;
  keys: JWK[];
  cookieKeys: string[];
  adapter: AdapterFactory;
  /** What the page after a completed logout says. */
  loggedOutMessage: string;
}

/**
 * What the FranceConnect and ProConnect stand-ins configure alike in oidc-provider: the endpoints' paths, the keys
 * and storage, the login page's URL, the logout and error pages, authentication by client_secret_post (both also
 * declare private_key_jwt), the code flow with optional PKCE, and the features both offer or both leave out.
 * Each stand-in spreads this and adds its own clients, claims, lifetimes and checks.
 */
export function standInProviderConfiguration(basics: StandInProviderBasics) {
  const prefix = new URL(basics.issuer).pathname;
  const html = (ctx: { type: string; body: unknown }, page: string) => {
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = page;
  };
  return {
    adapter: basics.adapter,
    jwks: { keys: basics.keys },
    routes: {
      authorization: '/authorize',
      token: '/token',
      userinfo: '/userinfo',
      jwks: '/jwks',
      end_session: '/session/end',
      revocation: '/token/revocation',
      introspection: '/token/introspection',
    },
    clientAuthMethods: ['client_secret_post', 'private_key_jwt'],
    responseTypes: ['code'],
    pkce: { required: () => false },
    features: {
      devInteractions: { enabled: false },
      claimsParameter: { enabled: true },
      jwtUserinfo: { enabled: true },
      // A client may revoke only its own tokens.
      revocation: { enabled: true, allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId },
      pushedAuthorizationRequests: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => html(ctx, standInLogoutPage(basics.service, form)),
        postLogoutSuccessSource: (ctx) => html(ctx, standInPage(basics.service, 'Déconnexion', `<h1>${basics.loggedOutMessage}</h1>`)),
      },
    },
    cookies: { keys: basics.cookieKeys },
    interactions: { url: (_ctx, interaction) => `${prefix}/interaction/${interaction.uid}` },
    renderError: (ctx, out) => html(ctx, standInErrorPage(basics.service, { code: String(out.error), message: String(out.error_description ?? '') })),
  } satisfies Configuration;
}
