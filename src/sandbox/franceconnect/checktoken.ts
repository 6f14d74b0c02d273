import { createHash, timingSafeEqual } from 'node:crypto';
import { CompactEncrypt, SignJWT } from 'jose';
import type Provider from 'oidc-provider';
import { API_PARTICULIER_DATA_PROVIDER, dataProviderEncryptionKey, type DataProviderRegistration } from './data-provider.ts';
import type { SigningKeyGeneration } from '../oidc/keys.ts';
import { personaBySubject, subjectFor } from './personas.ts';

/**
 * FC's /checktoken for data providers (contract §6, §8.4): the FD posts the FS's access token with its own
 * credentials and gets back who the token belongs to, as a JWS signed by FC then encrypted to the FD.
 */
export interface ChecktokenAnswer {
  status: number;
  contentType: string;
  body: string;
}

const DATA_PROVIDERS: readonly DataProviderRegistration[] = [API_PARTICULIER_DATA_PROVIDER];
const PARAMETERS = ['token', 'client_id', 'client_secret'];

export async function answerChecktoken(
  form: URLSearchParams,
  context: { provider: Provider; signingKey: SigningKeyGeneration['es256'] },
): Promise<ChecktokenAnswer> {
  const names = [...form.keys()];
  const wellFormed =
    names.length === PARAMETERS.length && PARAMETERS.every((name) => form.getAll(name).length === 1 && form.get(name));
  if (!wellFormed) {
    return json(400, { error: 'invalid_request', error_description: 'Required parameter missing or invalid.' });
  }
  const dataProvider = DATA_PROVIDERS.find((fd) => fd.clientId === form.get('client_id'));
  if (!dataProvider || !sameSecret(dataProvider.clientSecret, form.get('client_secret') ?? '')) {
    return json(401, { error: 'invalid_client', error_description: 'Client authentication failed.' });
  }

  const { provider, signingKey } = context;
  const introspection = await introspect(provider, form.get('token') ?? '', dataProvider);
  const jws = await new SignJWT({ token_introspection: introspection })
    .setProtectedHeader({ alg: dataProvider.signingAlg, kid: signingKey.kid })
    .setIssuer(provider.issuer)
    .setAudience(dataProvider.clientId)
    .setIssuedAt()
    .sign(signingKey.privateKey);
  const jwe = await new CompactEncrypt(new TextEncoder().encode(jws))
    .setProtectedHeader({ ...dataProvider.encryption, cty: 'JWT' })
    .encrypt(await dataProviderEncryptionKey());
  return { status: 200, contentType: 'application/token-introspection+jwt', body: jwe };
}

async function introspect(
  provider: Provider,
  token: string,
  dataProvider: DataProviderRegistration,
): Promise<Record<string, unknown>> {
  // find() answers undefined for an unknown, revoked or expired token.
  const accessToken = await provider.AccessToken.find(token);
  const persona = accessToken?.accountId ? personaBySubject(accessToken.accountId, accessToken.clientId ?? '') : undefined;
  if (!accessToken || !persona) return { active: false };

  const entitled = new Set<string>(dataProvider.scopes);
  const scope = (accessToken.scope ?? '').split(' ').filter((s) => entitled.has(s));
  const acr = accessToken.claims?.id_token?.acr?.values?.join(' ') ?? accessToken.claims?.id_token?.acr?.value ?? 'eidas1';
  const { given_name, given_name_array, family_name, birthdate, gender, birthplace, birthcountry } = persona.claims;
  return {
    active: true,
    aud: accessToken.clientId,
    sub: subjectFor(persona, dataProvider.clientId),
    iat: accessToken.iat,
    exp: accessToken.exp,
    jti: accessToken.jti,
    acr,
    scope: scope.join(' '),
    given_name,
    given_name_array,
    family_name,
    birthdate,
    gender,
    birthplace,
    birthcountry,
  };
}

function sameSecret(expected: string, given: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(expected), digest(given));
}

function json(status: number, body: Record<string, string>): ChecktokenAnswer {
  return { status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(body) };
}
