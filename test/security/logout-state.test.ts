import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestService, type TestService } from '../support/service.ts';

describe('the FranceConnect logout callback', () => {
  let test: TestService;
  before(async () => {
    test = await startTestService();
  });
  after(() => test.stop());

  const callback = (query: string, cookie?: string) =>
    fetch(`${test.appUrl}/auth/franceconnect/logout-callback${query}`, { redirect: 'manual', ...(cookie ? { headers: { cookie } } : {}) });

  it('lands on the logged-out page only with the state of our logout cookie', async () => {
    const good = await callback('?state=etat-de-la-deconnexion', 'fqf_logout_state=etat-de-la-deconnexion');
    assert.equal(good.status, 303);
    assert.equal(good.headers.get('location'), '/deconnexion');
    assert.match(good.headers.get('set-cookie') ?? '', /fqf_logout_state=;/, 'the cookie is cleared');
  });

  it('refuses a callback with another state, none, or without our cookie', async () => {
    for (const [query, cookie] of [['?state=autre', 'fqf_logout_state=etat-de-la-deconnexion'], ['', 'fqf_logout_state=etat-de-la-deconnexion'], ['?state=etat-de-la-deconnexion', undefined]] as const) {
      const response = await callback(query, cookie);
      assert.equal(response.status, 400, `${query} ${cookie}`);
      assert.match(await response.text(), /<title>Erreur - /);
    }
  });
});
