import Provider, { type AdapterFactory, type Configuration } from 'oidc-provider';
import type { Config } from '../../config/config.ts';
import { franceConnectRules } from './fc-rules.ts';
import { errorPage, logoutPage, logoutSuccessPage } from './pages.ts';
import { personaBySubject } from './personas.ts';
import type { SigningKeyGeneration } from './keys.ts';

/** Lifetimes of FC low (contract §3), in seconds. Tests may shorten them. */
export interface FranceConnectTtl {
  AccessToken: number;
  AuthorizationCode: number;
  IdToken: number;
  Grant: number;
  Interaction: number;
  Session: number;
}

export const FRANCECONNECT_TTL: FranceConnectTtl = {
  AccessToken: 60,
  AuthorizationCode: 30,
  IdToken: 60,
  Grant: 30,
  Interaction: 1800,
  Session: 1800,
};

/** Scope → claims of FC low (`fcp-low.scopes.ts`, contract §4). */
const CLAIMS: NonNullable<Configuration['claims']> = {
  openid: ['sub'],
  identite_pivot: ['given_name', 'given_name_array', 'family_name', 'birthdate', 'gender', 'birthplace', 'birthcountry'],
  profile: ['given_name', 'given_name_array', 'family_name', 'birthdate', 'gender', 'preferred_username'],
  birth: ['birthplace', 'birthcountry'],
  given_name: ['given_name', 'given_name_array'],
  family_name: ['family_name'],
  birthdate: ['birthdate'],
  gender: ['gender'],
  birthplace: ['birthplace'],
  birthcountry: ['birthcountry'],
  email: ['email'],
  preferred_username: ['preferred_username'],
  idp_birthdate: ['idp_birthdate'],
  amr: ['amr'],
  acr: null,
  auth_time: null,
  iss: null,
};

/** Data-provider scopes carry no claim: they only authorise the data provider (contract §4). */
const DATA_PROVIDER_SCOPES = ['cnaf_quotient_familial', 'cnaf_allocataires', 'cnaf_enfants', 'cnaf_adresse'];

const CLIENT_SCOPE = [
  'openid', 'identite_pivot', 'given_name', 'family_name', 'birthdate', 'gender', 'birthplace', 'birthcountry',
  'email', 'preferred_username', 'cnaf_quotient_familial', 'cnaf_allocataires', 'cnaf_enfants', 'cnaf_adresse',
].join(' ');

export interface ProviderSettings {
  issuer: string;
  client: Config['franceConnect'];
  keys: SigningKeyGeneration['privateJwks'];
  cookieKeys: string[];
  ttl: FranceConnectTtl;
  adapter: AdapterFactory;
}

export function buildProvider(settings: ProviderSettings): Provider {
  const { issuer, client } = settings;
  const prefix = new URL(issuer).pathname;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: client.clientId,
        client_secret: client.clientSecret,
        redirect_uris: [client.redirectUri],
        post_logout_redirect_uris: [client.postLogoutRedirectUri],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_post',
        id_token_signed_response_alg: 'ES256',
        userinfo_signed_response_alg: 'ES256',
        scope: CLIENT_SCOPE,
      },
    ],
    adapter: settings.adapter,
    jwks: { keys: settings.keys },
    routes: {
      authorization: '/authorize',
      token: '/token',
      userinfo: '/userinfo',
      jwks: '/jwks',
      end_session: '/session/end',
      revocation: '/token/revocation',
      introspection: '/token/introspection',
    },
    acrValues: ['eidas1'],
    scopes: ['openid', ...DATA_PROVIDER_SCOPES],
    claims: CLAIMS,
    // FC advertises pairwise but computes `sub` itself; the account id already is the pairwise value.
    subjectTypes: ['public'],
    clientAuthMethods: ['client_secret_post'],
    responseTypes: ['code'],
    pkce: { required: () => false },
    features: {
      devInteractions: { enabled: false },
      claimsParameter: { enabled: true },
      jwtUserinfo: { enabled: true },
      // A client may revoke only its own tokens.
      revocation: { enabled: true, allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId },
      // FC has no RFC 7662 endpoint: data providers use /checktoken instead.
      introspection: { enabled: false },
      // Not offered by FC v2: leave them out of discovery so that no client relies on them.
      pushedAuthorizationRequests: { enabled: false },
      dPoP: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          ctx.type = 'text/html; charset=utf-8';
          ctx.body = logoutPage(form);
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.type = 'text/html; charset=utf-8';
          ctx.body = logoutSuccessPage();
        },
      },
    },
    ttl: { ...settings.ttl },
    cookies: { keys: settings.cookieKeys },
    interactions: { url: (_ctx, interaction) => `${prefix}/interaction/${interaction.uid}` },
    findAccount: (_ctx, sub) => {
      const persona = personaBySubject(sub, client.clientId);
      if (!persona) return undefined;
      return { accountId: sub, claims: () => ({ sub, ...persona.claims, amr: ['pwd'] }) };
    },
    renderError: (ctx, out) => {
      ctx.type = 'text/html; charset=utf-8';
      ctx.body = errorPage(out.error, out.error_description ?? '');
    },
  });
  provider.use(franceConnectRules(provider));
  return provider;
}
