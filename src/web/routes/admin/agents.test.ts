import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AgentOverHttp } from '../../../../test/support/agent-over-http.ts';
import { ADMINISTRATOR, operatorSignedIn } from '../../../../test/support/operator-over-http.ts';
import { startTestService, type TestService } from '../../../../test/support/service.ts';

const BELLEY = '21010034300016';

/** The operator manages a commune's agents from the back office, journaled under its name. */
describe('operator back office: agents of a commune', () => {
  let test: TestService;
  let operator: AgentOverHttp;
  const visit = async (path: string, form?: Record<string, string>, signedIn = true) => (signedIn ? operator : new AgentOverHttp(test.appUrl)).request(path, form);
  const csrf = async () => /name="_csrf" value="([^"]+)"/.exec((await visit(`/admin/collectivites/${BELLEY}/agents`)).html)?.[1] ?? assert.fail('no CSRF token');

  before(async () => {
    test = await startTestService();
    operator = await operatorSignedIn(test.appUrl);
  });
  after(() => test.stop());

  it('adds an agent who can then sign in, changes roles, removes; journaled under the operator’s e-mail', async () => {
    const list = await visit(`/admin/collectivites/${BELLEY}/agents`);
    assert.equal(list.status, 200);
    assert.ok(list.html.includes('enfance@belley.fr'));
    const added = await visit(`/admin/collectivites/${BELLEY}/agents`, { _csrf: await csrf(), email: 'accueil@majastres.fr', role: 'agent' });
    assert.equal(added.status, 303);

    // That person works for Majastres: on Belley's list, they still get in only when ProConnect says Belley.
    const agent = new AgentOverHttp(test.appUrl);
    assert.equal((await agent.signIn('accueil@majastres.fr')).status, 403);

    const page = await visit(`/admin/collectivites/${BELLEY}/agents`);
    const id = /accueil@majastres\.fr[\s\S]*?\/agents\/([0-9a-f-]{36})\/retirer/.exec(page.html)?.[1];
    assert.ok(id);
    const token = await csrf();
    assert.equal((await visit(`/admin/collectivites/${BELLEY}/agents/${id}/role`, { _csrf: token, role: 'administrateur' })).status, 303);
    assert.equal((await visit(`/admin/collectivites/${BELLEY}/agents/${id}/retirer`, { _csrf: token })).status, 303);
    const journal = await test.service.context.espace.journal.list(BELLEY, 10);
    assert.deepEqual(
      journal.filter((e) => e.actorKind === 'operator').map((e) => [e.action, e.actor, e.target]).sort(),
      [['agent_added', ADMINISTRATOR, 'accueil@majastres.fr'], ['agent_removed', ADMINISTRATOR, 'accueil@majastres.fr'], ['agent_role_changed', ADMINISTRATOR, 'accueil@majastres.fr']],
    );
  });

  it('refuses without a session, without CSRF token, for an unknown commune or agent, and keeps the last administrator', async () => {
    assert.equal((await visit(`/admin/collectivites/${BELLEY}/agents`, undefined, false)).location, '/admin/connexion');
    assert.equal((await visit(`/admin/collectivites/${BELLEY}/agents`, { email: 'x@belley.fr', role: 'agent' })).status, 403);
    assert.equal((await visit('/admin/collectivites/00000000000000/agents')).status, 404);
    assert.equal((await visit('/admin/collectivites/not-a-siret/agents')).status, 404);
    const token = await csrf();
    assert.equal((await visit(`/admin/collectivites/${BELLEY}/agents/00000000-0000-4000-8000-000000000000/retirer`, { _csrf: token })).status, 404);
    assert.equal((await visit(`/admin/collectivites/${BELLEY}/agents`, { _csrf: token, email: 'pas un e-mail', role: 'agent' })).status, 400);
    const [admin] = await test.service.context.espace.agents.list(BELLEY);
    assert.ok(admin);
    assert.equal((await visit(`/admin/collectivites/${BELLEY}/agents/${admin.id}/retirer`, { _csrf: token })).status, 409);
  });
});
