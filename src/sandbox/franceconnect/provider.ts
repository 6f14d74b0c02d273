import Provider, { type AdapterFactory, type Configuration } from 'oidc-provider';
import type { Config } from '../../config/config.ts';
import { franceConnectRules } from './fc-rules.ts';
import { standInProviderConfiguration } from '../oidc/provider-configuration.ts';
import { personaBySubject } from './personas.ts';
import type { SigningKeyGeneration } from '../oidc/keys.ts';

/** Lifetimes of FC low (contract §3), in seconds. Tests may shorten them. */
export interface FranceConnectTtl {
  AccessToken: number;
  AuthorizationCode: number;
  IdToken: number;
  Grant: number;
  Interaction: number;
  Session: number;
}

/**
 * FC's own values (contract §3, `oidc-provider.ts` ttl). Note what they mean together, as at FC: the access token
 * lives 60 s, and so does what /checktoken says of it (data providers, API Particulier); userinfo, though, also
 * needs the grant, which lives 30 s, so userinfo answers for 30 s after login only. FC itself runs oidc-provider
 * with these lifetimes, so the stand-in keeps them rather than "fixing" userinfo to 60 s: call userinfo at once.
 */
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
  idp_id: ['idp_id'],
  // Data-provider scopes are one claim each (`cnaf-msa.claims.ts`); FC has no value for them, so userinfo never
  // carries them, but discovery declares them as FC's does (contract §1.1, §4).
  cnaf_quotient_familial: ['cnaf_quotient_familial'],
  cnaf_allocataires: ['cnaf_allocataires'],
  cnaf_enfants: ['cnaf_enfants'],
  cnaf_adresse: ['cnaf_adresse'],
  acr: null,
  auth_time: null,
  iss: null,
};

const CLIENT_SCOPE = [
  'openid', 'identite_pivot', 'given_name', 'family_name', 'birthdate', 'gender', 'birthplace', 'birthcountry',
  'email', 'preferred_username', 'cnaf_quotient_familial', 'cnaf_allocataires', 'cnaf_enfants', 'cnaf_adresse',
  // Entitled to the authentication method: the ID token carries amr when `claims` asks for it (contract §3).
  'amr',
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
  const basics = standInProviderConfiguration({
    service: 'FranceConnect',
    issuer,
    keys: settings.keys,
    cookieKeys: settings.cookieKeys,
    adapter: settings.adapter,
    loggedOutMessage: 'Vous êtes déconnecté(e) de FranceConnect.',
  });
  const provider = new Provider(issuer, {
    ...basics,
    clients: [
      {
        client_id: client.clientId,
        client_secret: client.clientSecret,
        redirect_uris: [client.redirectUri],
        post_logout_redirect_uris: [client.postLogoutRedirectUri],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_post',
        // FC's subjects are pairwise (per service provider); the account id already is that value (personas.ts).
        subject_type: 'pairwise',
        id_token_signed_response_alg: 'ES256',
        userinfo_signed_response_alg: 'ES256',
        scope: CLIENT_SCOPE,
      },
    ],
    acrValues: ['eidas1'],
    scopes: ['openid'],
    claims: CLAIMS,
    // FC declares pairwise subjects and computes `sub` itself (sha256 of the FS and the identity): the account id
    // is that value, passed through unchanged.
    subjectTypes: ['pairwise'],
    pairwiseIdentifier: (_ctx, accountId) => accountId,
    features: {
      ...basics.features,
      // FC has no RFC 7662 endpoint: data providers use /checktoken instead.
      introspection: { enabled: false },
      // FC's discovery declares request objects (request_parameter_supported and its algorithms); FC's authorize
      // whitelist still refuses a `request` parameter (fc-rules.ts), as FC's DTO does.
      requestObjects: { enabled: true, requireSignedRequestObject: false },
      // Not offered by FC v2: left out of discovery so that no client relies on it.
      dPoP: { enabled: false },
    },
    ttl: { ...settings.ttl },
    findAccount: (_ctx, sub) => {
      const persona = personaBySubject(sub, client.clientId);
      if (!persona) return undefined;
      // amr only goes out when the FS asked for it and may have it (fc-rules.ts checks the latter).
      return { accountId: sub, claims: () => ({ sub, ...persona.claims, amr: ['pwd'] }) };
    },
  });
  provider.use(franceConnectRules(provider));
  return provider;
}
