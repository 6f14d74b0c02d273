import { randomBytes } from 'node:crypto';
import type { Config } from '../../../config/config.ts';
import { loginAs } from '../../franceconnect/testing/login-as.ts';
import { httpRequest } from '../../http.ts';

/**
 * A real FranceConnect access token from the FranceConnect stand-in, obtained as our app would: authorize,
 * log in as a persona, exchange the code at the token endpoint. The tests of the FranceConnect route need one.
 */
export const APP_SCOPE = 'openid identite_pivot cnaf_quotient_familial cnaf_allocataires cnaf_enfants';

export async function franceConnectAccessToken(config: Config, login: string, scope: string = APP_SCOPE): Promise<string> {
  const fc = config.franceConnect;
  const authorize = new URL(`${fc.issuer}/authorize`);
  authorize.search = new URLSearchParams({
    client_id: fc.clientId,
    redirect_uri: fc.redirectUri,
    response_type: 'code',
    scope,
    acr_values: 'eidas1',
    state: randomBytes(32).toString('base64url'),
    nonce: randomBytes(32).toString('base64url'),
  }).toString();
  const callback = await loginAs(login, authorize);
  const code = callback.searchParams.get('code');
  if (!code) throw new Error(`FranceConnect gave no code (error=${callback.searchParams.get('error')})`);

  const response = await httpRequest({
    system: 'FranceConnect stand-in',
    method: 'POST',
    url: `${fc.issuer}/token`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: fc.redirectUri,
      client_id: fc.clientId,
      client_secret: fc.clientSecret,
    }),
    timeoutMs: 10_000,
  });
  const body = response.json() as { access_token?: unknown } | undefined;
  if (response.status !== 200 || typeof body?.access_token !== 'string') {
    throw new Error(`FranceConnect token endpoint answered ${response.status}`);
  }
  return body.access_token;
}
