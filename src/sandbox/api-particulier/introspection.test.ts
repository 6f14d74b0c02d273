import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startStandIn, type RunningServer } from '../../integrations/api-particulier/testing/servers.ts';
import { introspectApiParticulierToken } from '../../integrations/api-particulier/introspection.ts';
import { LOCAL_API_PARTICULIER_TOKENS, QF_SCOPES } from './tokens.ts';

describe('API Particulier’s introspection (contracts/api-particulier-qf.md §1.4) on the stand-in, over HTTP', () => {
  let standIn: RunningServer;
  before(async () => {
    standIn = await startStandIn();
  });
  after(async () => standIn.close());
  const settings = () => ({ baseUrl: standIn.baseUrl, timeoutMs: 5000 });

  it('answers GET {base}/introspect?token=… with the token’s scopes, never caching, and a request id', async () => {
    const response = await fetch(`${standIn.baseUrl}/introspect?token=${LOCAL_API_PARTICULIER_TOKENS.collectivity}`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.ok(response.headers.get('x-request-id'));
    const body = (await response.json()) as { _id: string; name: string; scopes: string[] };
    assert.deepEqual(body.scopes, [...QF_SCOPES]);
    assert.ok(!body._id.includes(LOCAL_API_PARTICULIER_TOKENS.collectivity), 'the id is not the token');
  });

  it('refuses an unknown token (401 00101) and an expired one (401 00103)', async () => {
    for (const [token, code] of [['inconnu-123456', '00101'], [LOCAL_API_PARTICULIER_TOKENS.expired, '00103']] as const) {
      const response = await fetch(`${standIn.baseUrl}/introspect?token=${token}`);
      assert.equal(response.status, 401);
      assert.equal(((await response.json()) as { errors: { code: string }[] }).errors[0]?.code, code);
    }
  });

  it('is read by our client: scopes, invalid, expired, unreachable', async () => {
    assert.deepEqual(await introspectApiParticulierToken(settings(), LOCAL_API_PARTICULIER_TOKENS.withoutQuotientFamilialScope), {
      ok: true,
      scopes: ['dgfip_revenu_fiscal_de_reference'],
      name: 'Jeton d’une autre API (bac à sable)',
    });
    assert.deepEqual(await introspectApiParticulierToken(settings(), 'inconnu-123456'), { ok: false, kind: 'invalid_token', status: 401 });
    assert.deepEqual(await introspectApiParticulierToken(settings(), LOCAL_API_PARTICULIER_TOKENS.expired), { ok: false, kind: 'expired_token', status: 401 });
    assert.deepEqual(await introspectApiParticulierToken({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 2000 }, 'x-1234567'), { ok: false, kind: 'unavailable', status: null });
  });
});
