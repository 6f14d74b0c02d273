import Provider, { type AdapterFactory, type Configuration } from 'oidc-provider';
import type { JWK } from 'jose';
import type { Config } from '../../config/config.ts';
import { standInProviderConfiguration } from '../oidc/provider-configuration.ts';
import { personaBySub, userinfoClaims } from './personas.ts';
import { PROCONNECT_ACRS, proConnectRules } from './rules.ts';

/** ProConnect's lifetimes (contract §3, §4, §9), in seconds. */
export const PROCONNECT_TTL = {
  AccessToken: 3600,
  AuthorizationCode: 60,
  IdToken: 3600,
  RefreshToken: 12 * 3600,
  Grant: 12 * 3600,
  Session: 12 * 3600,
  Interaction: 3600,
} as const;

/** Scope → claims as in FED's oidc-provider config (contract §2). */
const CLAIMS: NonNullable<Configuration['claims']> = {
  openid: ['sub'],
  given_name: ['given_name'],
  usual_name: ['usual_name'],
  email: ['email'],
  uid: ['uid'],
  siret: ['siret'],
  idp_id: ['idp_id'],
  organization_label: ['organization_label'],
  roles: ['roles'],
  phone: ['phone_number'],
  custom: ['custom'],
  acr: null,
  amr: null,
};

const CLIENT_SCOPE = Object.keys(CLAIMS).filter((scope) => !['acr', 'amr'].includes(scope)).join(' ');

export interface ProConnectProviderSettings {
  issuer: string;
  client: Config['proConnect'];
  /** A `public`-type service provider refuses users without `agent_public` (Y500015, contract §2). */
  publicOnly: boolean;
  keys: JWK[];
  cookieKeys: string[];
  adapter: AdapterFactory;
}

export function buildProConnectProvider(settings: ProConnectProviderSettings): Provider {
  const { issuer, client } = settings;
  const basics = standInProviderConfiguration({
    service: 'ProConnect',
    issuer,
    keys: settings.keys,
    cookieKeys: settings.cookieKeys,
    adapter: settings.adapter,
    loggedOutMessage: 'Vous êtes bien déconnecté.',
  });
  const provider = new Provider(issuer, {
    ...basics,
    clients: [
      {
        client_id: client.clientId,
        client_secret: client.clientSecret,
        // The espace's callbacks and the back office's: one service provider, two ways in.
        redirect_uris: [client.redirectUri, client.admin.redirectUri],
        post_logout_redirect_uris: [client.postLogoutRedirectUri, client.admin.postLogoutRedirectUri],
        response_types: ['code'],
        grant_types: ['authorization_code', 'refresh_token'],
        token_endpoint_auth_method: 'client_secret_post',
        // What the espace partenaires gives a new app (contract §1, "Signing").
        id_token_signed_response_alg: 'RS256',
        userinfo_signed_response_alg: 'RS256',
        scope: CLIENT_SCOPE,
      },
    ],
    acrValues: PROCONNECT_ACRS,
    claims: CLAIMS,
    scopes: ['openid', ...Object.keys(CLAIMS).filter((scope) => scope !== 'openid' && scope !== 'acr' && scope !== 'amr')],
    extraParams: ['idp_hint', 'siret_hint'],
    subjectTypes: ['public'],
    clientDefaults: { token_endpoint_auth_method: 'client_secret_post', id_token_signed_response_alg: 'RS256' },
    issueRefreshToken: () => true,
    enabledJWA: {
      idTokenSigningAlgValues: ['HS256', 'ES256', 'RS256'],
      userinfoSigningAlgValues: ['HS256', 'ES256', 'RS256'],
    },
    features: { ...basics.features, introspection: { enabled: true } },
    ttl: { ...PROCONNECT_TTL },
    findAccount: (_ctx, sub) => {
      const persona = personaBySub(sub);
      if (!persona) return undefined;
      return { accountId: sub, claims: () => ({ ...userinfoClaims(persona), sub, amr: ['pwd'] }) };
    },
  });
  provider.use(proConnectRules(provider));
  return provider;
}
