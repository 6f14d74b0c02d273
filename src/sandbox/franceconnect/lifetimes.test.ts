import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { Config } from '../../config/config.ts';
import { franceConnectAccessToken } from '../../integrations/api-particulier/testing/franceconnect-token.ts';
import { checkFranceConnectToken } from '../../integrations/franceconnect/checktoken-client.ts';
import { startFranceConnectStandIn } from '../../integrations/franceconnect/testing/start-stand-in.ts';
import { API_PARTICULIER_DATA_PROVIDER, dataProviderDecryptionKey } from './data-provider.ts';
import { FRANCECONNECT_TTL } from './provider.ts';

/**
 * contracts/franceconnect.md §3 "Lifetimes": AccessToken 60 s, Grant 30 s, as FC configures oidc-provider. Userinfo
 * needs the grant, /checktoken only the token: past the grant, userinfo refuses a token /checktoken still calls
 * active. Shown here with the grant shortened to 8 s (the gap, not its length, is the fact): long enough for the
 * login and the token exchange to finish on a busy machine, short enough to wait for.
 */
const GRANT_SECONDS = 8;

describe('FranceConnect stand-in: userinfo lives as long as the grant, /checktoken as long as the token', () => {
  let server: { config: Config; close(): Promise<void> };
  before(async () => {
    server = await startFranceConnectStandIn({ ttl: { Grant: GRANT_SECONDS } });
  });
  after(() => server.close());

  it('keeps FC’s own lifetimes by default: a 60 s access token, a 30 s grant', () => {
    assert.equal(FRANCECONNECT_TTL.AccessToken, 60);
    assert.equal(FRANCECONNECT_TTL.Grant, 30);
  });

  it('past the grant: userinfo 401, checktoken still active', async () => {
    const token = await franceConnectAccessToken(server.config, 'angela');
    const userinfo = () => fetch(`${server.config.franceConnect.issuer}/userinfo`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal((await userinfo()).status, 200);
    await sleep(GRANT_SECONDS * 1000 + 1500);
    assert.equal((await userinfo()).status, 401);
    const check = await checkFranceConnectToken({
      issuer: server.config.franceConnect.issuer,
      clientId: API_PARTICULIER_DATA_PROVIDER.clientId,
      clientSecret: API_PARTICULIER_DATA_PROVIDER.clientSecret,
      decryptionKey: await dataProviderDecryptionKey(),
      token,
      timeoutMs: 10_000,
    });
    assert.equal(check.active, true);
  });
});
