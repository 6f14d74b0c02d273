import * as oidc from 'openid-client';
import { fetchThroughHttpHelper } from './fetch-adapter.ts';
import { IssuerJwks } from './jwks-cache.ts';
import { signedAnswerKid } from './signed-answer.ts';

/**
 * The openid-client Configuration of one OpenID provider (FranceConnect, ProConnect), built fresh for each login
 * from a discovery document re-read hourly. openid-client re-fetches a JWKS on an unknown kid only when its copy
 * is a minute old; so we look at the kid of each signed answer before openid-client verifies it, re-fetch the
 * JWKS ourselves when needed, and hand openid-client the keys that can verify it.
 */
const DISCOVERY_MAX_AGE_MS = 60 * 60 * 1000;

export interface OidcProviderSettings {
  /** As errors and logs name the provider. */
  system: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  clientMetadata: Partial<oidc.ClientMetadata>;
  timeoutMs: number;
}

export function oidcConfigurationSource(settings: OidcProviderSettings): () => Promise<oidc.Configuration> {
  const { system, timeoutMs, clientMetadata } = settings;
  const issuer = new URL(settings.issuer);
  const local = issuer.protocol === 'http:' && (issuer.hostname === 'localhost' || issuer.hostname === '127.0.0.1');
  if (issuer.protocol !== 'https:' && !local) throw new Error(`The ${system} issuer must be an https:// URL`);
  const auth = () => oidc.ClientSecretPost(settings.clientSecret);

  let discovered: { promise: Promise<{ metadata: oidc.ServerMetadata; jwks: IssuerJwks }>; at: number } | undefined;
  const discover = () => {
    if (discovered && Date.now() - discovered.at < DISCOVERY_MAX_AGE_MS) return discovered.promise;
    const promise = oidc
      .discovery(issuer, settings.clientId, clientMetadata, auth(), {
        ...(local ? { execute: [oidc.allowInsecureRequests] } : {}),
        [oidc.customFetch]: fetchThroughHttpHelper(timeoutMs, undefined, system),
        timeout: Math.ceil(timeoutMs / 1000),
      })
      .then((configuration) => {
        const metadata = configuration.serverMetadata();
        if (!metadata.jwks_uri) throw new Error(`${system} discovery has no jwks_uri`);
        return { metadata, jwks: new IssuerJwks(metadata.jwks_uri, timeoutMs, system) };
      });
    const entry = { promise, at: Date.now() };
    // A failure must not stick: the next login tries again.
    promise.catch(() => {
      if (discovered === entry) discovered = undefined;
    });
    discovered = entry;
    return promise;
  };

  return async () => {
    const { metadata, jwks } = await discover();
    const config = new oidc.Configuration(metadata, settings.clientId, clientMetadata, auth());
    if (local) oidc.allowInsecureRequests(config);
    // Makes openid-client check the signatures of the ID token and of the userinfo JWT, not only their claims.
    oidc.enableNonRepudiationChecks(config);
    oidc.setJwksCache(config, await jwks.snapshot());
    config.timeout = Math.ceil(timeoutMs / 1000);
    config[oidc.customFetch] = fetchThroughHttpHelper(
      timeoutMs,
      async (url, status, headers, body) => {
        if (status !== 200) return;
        const kid = signedAnswerKid(url, metadata, headers, body);
        if (kid !== undefined) oidc.setJwksCache(config, await jwks.snapshotWith(kid));
      },
      system,
    );
    return config;
  };
}
