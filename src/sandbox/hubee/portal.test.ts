import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type RunningSandbox } from '../../../test/support/sandbox.ts';
import { clientAs, MAJASTRES, sampleFolder, transmit } from '../../integrations/hubee/testing.ts';

describe('HubEE portal (stand-in)', () => {
  let sandbox: RunningSandbox;
  before(async () => {
    sandbox = await startSandbox({ only: ['hubee'] });
  });
  after(() => sandbox.close());

  const get = (path: string) => fetch(`${sandbox.url}${path}`, { redirect: 'manual' });
  const post = (path: string, form: Record<string, string>) =>
    fetch(`${sandbox.url}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });

  it('lists communes, their télédossiers and lets an agent download the files and move the case', async () => {
    const osl = clientAs(sandbox, 'OSL');
    const sample = sampleFolder(MAJASTRES);
    const { caseId } = await transmit(osl, sample);
    // The OSL's queue starts empty of events for this case.
    const before = (await osl.listNotifications()).filter((n) => n.caseId === caseId);
    assert.deepEqual(before, []);

    const home = await get('/hubee/portail');
    assert.equal(home.status, 200);
    assert.match(home.headers.get('content-type') ?? '', /text\/html/);
    const homeHtml = await home.text();
    assert.match(homeHtml, /<html lang="fr">/);
    assert.match(homeHtml, /Commune de Majastres/);

    const commune = await get(`/hubee/portail/organisations/SI-${MAJASTRES.siret}-${MAJASTRES.cog}`);
    const communeHtml = await commune.text();
    assert.match(communeHtml, new RegExp(`${sample.input.externalId}-01`));
    assert.match(communeHtml, /Nouveau/);

    // Opening the télédossier is the commune fetching it: SENT, and the OSL hears of it.
    const detail = await get(`/hubee/portail/dossiers/${caseId}`);
    const detailHtml = await detail.text();
    assert.equal(detail.status, 200);
    assert.match(detailHtml, /FormulaireQF\.json/);
    assert.match(detailHtml, /Accuser réception/);
    assert.equal((await osl.getCase(caseId)).status, 'SENT');

    const attachmentLinks = [...detailHtml.matchAll(/href="(\/hubee\/portail\/dossiers\/[^"]+\/pieces-jointes\/[^"]+)"/g)].map((m) => m[1]!);
    assert.equal(attachmentLinks.length, 3);
    const downloaded = await Promise.all(attachmentLinks.map(async (link) => Buffer.from(await (await get(link)).arrayBuffer())));
    assert.deepEqual(
      downloaded.map((b) => b.toString()).sort(),
      [...sample.files.values()].map((b) => b.toString()).sort(),
    );

    for (const status of ['SI_RECEIVED', 'IN_PROGRESS', 'DONE']) {
      const moved = await post(`/hubee/portail/dossiers/${caseId}/statut`, { status, message: status === 'DONE' ? 'Tarif social appliqué' : '' });
      assert.equal(moved.status, 303);
      assert.match(moved.headers.get('location') ?? '', new RegExp(`/hubee/portail/dossiers/${caseId}\\?avis=`));
    }
    const kase = await osl.getCase(caseId);
    assert.equal(kase.status, 'DONE');
    assert.deepEqual(kase.events.map((e) => e.caseNewStatus), ['SENT', 'SI_RECEIVED', 'IN_PROGRESS', 'DONE']);
    assert.ok(kase.events.every((e) => e.actionType === 'STATUS_UPDATE' && e.notification && e.transmitter?.type === 'SI'));
    assert.equal(kase.events.at(-1)?.message, 'Tarif social appliqué');

    const notifications = (await osl.listNotifications({ eventDetails: true })).filter((n) => n.caseId === caseId);
    assert.equal(notifications.length, 4);
    assert.ok(notifications.every((n) => n.eventActionType === 'STATUS_UPDATE' && n.eventStatus === 'SENT'));

    // A final case offers no more moves; a forbidden move is refused without changing anything.
    assert.match(await (await get(`/hubee/portail/dossiers/${caseId}`)).text(), /Aucune action possible/);
    const refused = await post(`/hubee/portail/dossiers/${caseId}/statut`, { status: 'REFUSED' });
    assert.equal(refused.status, 303);
    assert.match(decodeURIComponent(refused.headers.get('location') ?? ''), /Action impossible/);
    assert.equal((await osl.getCase(caseId)).status, 'DONE');
  });

  it('escapes what it displays and answers 404 in French for unknown pages', async () => {
    const osl = clientAs(sandbox, 'OSL');
    const sample = sampleFolder(MAJASTRES);
    sample.input.applicant.lastName = '<script>alert(1)</script>';
    const { caseId } = await transmit(osl, sample);
    const html = await (await get(`/hubee/portail/dossiers/${caseId}`)).text();
    assert.doesNotMatch(html, /<script>alert/);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);

    const missing = await get('/hubee/portail/dossiers/inconnu');
    assert.equal(missing.status, 404);
    assert.match(await missing.text(), /introuvable/);
  });
});
