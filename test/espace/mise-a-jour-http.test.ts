import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CSV_COLUMNS } from '../../src/editeur/identities.ts';
import { AgentOverHttp } from '../support/agent-over-http.ts';
import { startTestService, type TestService } from '../support/service.ts';

/** The Mise à jour annuelle's upload over plain HTTP: bad input gets a French page and a 4xx, never a 500. */
describe('the Mise à jour annuelle upload refuses bad input clearly', () => {
  let test: TestService;
  let agent: AgentOverHttp;
  before(async () => {
    test = await startTestService();
    agent = new AgentOverHttp(test.appUrl);
    const back = await agent.signIn('secretariat@majastres.fr');
    assert.equal(back.status, 303);
  });
  after(() => test.stop());

  const upload = async (fields: Record<string, string>, files: Buffer[]) => {
    const csrf = await agent.csrf('/espace/mise-a-jour');
    const form = new FormData();
    form.set('_csrf', csrf);
    for (const [name, value] of Object.entries(fields)) form.set(name, value);
    for (const file of files) form.append('fichiers', new Blob([new Uint8Array(file)], { type: 'text/csv' }), 'familles.csv');
    const url = new URL('/espace/mise-a-jour', test.appUrl);
    const response = await fetch(url, { method: 'POST', body: form, headers: { cookie: agent.jar.headerFor(url) ?? '' }, redirect: 'manual' });
    return { status: response.status, html: await response.text() };
  };
  const csv = Buffer.from(`${CSV_COLUMNS.join(',')}\r\nf-1,DUBOIS,,Angela,F,1962,8,24,99100,75107,,\r\n`);

  it('a file over 20 MB', async () => {
    const answer = await upload({ mois: '2026-01' }, [Buffer.alloc(21 * 1024 * 1024, 0x41)]);
    assert.equal(answer.status, 413);
    assert.match(answer.html, /Le fichier est trop gros : 20 Mo au plus/);
  });

  it('a month that is not one, or too far back', async () => {
    for (const [mois, message] of [['janvier', /Indiquez le mois du QF au format AAAA-MM/], ['2001-01', /L’année du QF va de/]] as const) {
      const answer = await upload({ mois }, [csv]);
      assert.equal(answer.status, 400);
      assert.match(answer.html, message);
    }
  });

  it('no file, and a form posted as a plain form', async () => {
    const none = await upload({ mois: '2026-01' }, []);
    assert.equal(none.status, 400);
    assert.match(none.html, /Choisissez un fichier à déposer/);
    const plain = await agent.submit('/espace/mise-a-jour', '/espace/mise-a-jour', { mois: '2026-01' });
    assert.equal(plain.status, 400);
    assert.match(plain.html, /Choisissez un fichier à déposer/);
  });

  it('an unknown batch id, or one that is no id', async () => {
    for (const path of ['/espace/mise-a-jour/00000000-0000-4000-8000-000000000000', '/espace/mise-a-jour/pas-un-id', '/espace/mise-a-jour/pas-un-id/resultat.csv']) {
      const answer = await agent.request(path);
      assert.equal(answer.status, 404, path);
      assert.match(answer.html, /Cette mise à jour n’existe pas, ou plus/);
    }
  });
});
