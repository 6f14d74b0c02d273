import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AgentOverHttp } from '../support/agent-over-http.ts';
import { operatorSignedIn } from '../support/operator-over-http.ts';
import { startTestService, type TestService } from '../support/service.ts';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Every state-changing route of the app, found from the app's own route list (so a new form cannot be forgotten):
 * the citizen's and the operator's forms refuse a post without a valid CSRF token; the API routes, which take no
 * cookie, refuse a call without their credentials.
 */
describe('every state-changing route is protected', () => {
  let test: TestService;
  let operator: AgentOverHttp;
  before(async () => {
    test = await startTestService();
    // Signed in, so that the back office's forms reach their CSRF check (without a session they send to the sign-in).
    operator = await operatorSignedIn(test.appUrl);
  });
  after(() => test.stop());

  const concrete = (url: string) => url.replace(/:([A-Za-z_]+)/g, (_m, name: string) => (name.includes('siret') ? '21040107100019' : name.includes('reference') ? '0123456789ABC' : 'x1'));
  const stateChanging = () => test.service.routes.filter((r) => STATE_CHANGING.has(r.method));

  it('finds the forms to check', () => {
    const urls = stateChanging().map((r) => r.url);
    for (const expected of ['/auth/franceconnect', '/transmission', '/auth/franceconnect/logout', '/admin/connexion', '/admin/deconnexion', '/admin/collectivites/:siret/etat']) assert.ok(urls.includes(expected), expected);
  });

  it('refuses each form posted without a CSRF token, and with a forged one', async () => {
    const page = await fetch(`${test.appUrl}/collectivites/21040107100019`);
    const cookie = (page.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
    const problems: string[] = [];
    for (const route of stateChanging().filter((r) => !r.url.startsWith('/api/'))) {
      const operatorCookie = route.url.startsWith('/admin') ? (operator.jar.headerFor(new URL('/admin', test.appUrl)) ?? '') : null;
      for (const [label, headers, body] of [
        ['no token', operatorCookie ? { cookie: operatorCookie } : {}, 'siret=21040107100019'],
        ['forged token', { cookie: operatorCookie ?? cookie }, 'siret=21040107100019&_csrf=forged-token-value'],
      ] as const) {
        const response = await fetch(`${test.appUrl}${concrete(route.url)}`, {
          method: route.method,
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
          body,
          redirect: 'manual',
        });
        if (response.status !== 403) problems.push(`${route.method} ${route.url} (${label}) → ${response.status}`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('refuses each API call that carries no credentials', async () => {
    const problems: string[] = [];
    for (const route of stateChanging().filter((r) => r.url.startsWith('/api/'))) {
      const response = await fetch(`${test.appUrl}${concrete(route.url)}`, { method: route.method, headers: { 'content-type': 'application/json' }, body: '{}' });
      if (response.status !== 401) problems.push(`${route.method} ${route.url} → ${response.status}`);
    }
    assert.deepEqual(problems, []);
  });
});
