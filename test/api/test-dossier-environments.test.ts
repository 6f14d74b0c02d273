/**
 * Where test dossiers go (issue 14 point 4): to HubEE's qualification environment when the service is linked to
 * it, never to a commune's production HubEE. Over real HTTP against the stand-ins: the sandbox's HubEE mounted a
 * second time as the qualification environment (`/hubee-qualification`, its own state).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setCaseStatus } from '../../src/editeur/hubee-status.ts';
import { connectHubee } from '../../src/editeur/hubee.ts';
import { siCredentialsFor } from '../../src/sandbox/hubee/index.ts';
import { buildApp } from '../../src/web/app.ts';
import { startWebhookReceiver } from '../../src/webhooks/testing/receiver.ts';
import { createLogger } from '../../src/logging.ts';
import { communeInbox } from '../e2e/support/commune-inbox.ts';
import { journeyOverHttp } from '../support/http-journey.ts';
import { startTestService, type TestService } from '../support/service.ts';
import { sentCaseId } from '../support/sent-case.ts';
import { TEST_DOSSIER_UNAVAILABLE_FR } from '../../src/usecases/send-test-dossier.ts';
import { TestDossierForm } from '../../src/web/espaces/TestDossier.tsx';
import { testDossierAvailability } from '../../src/web/espaces/test-dossier-routes.ts';

const MAJASTRES = '21040107100019';
const BELLEY = '21010034300016';

function sendTestDossier(test: TestService, siret: string): Promise<Response> {
  return fetch(`${test.appUrl}/api/v2/collectivites/${siret}/dossier-de-test`, {
    method: 'POST',
    headers: { authorization: `Bearer ${test.service.context.config.secrets.apiToken}`, 'content-type': 'application/json' },
    body: '{}',
  });
}

const caseIds = async (test: TestService, siret: string, where: 'production' | 'qualification') => (await communeInbox(test, siret, { in: where })).map((folder) => folder.case.id);

/** The portal's `external_id` in the folder's FormulaireQF.json (DOSSIER-DE-TEST for a test dossier). */
function portalExternalId(files: Map<string, Buffer>): unknown {
  const json = [...files].find(([name]) => name.endsWith('.json'))?.[1];
  return json ? (JSON.parse(json.toString('utf8')) as { external_id?: unknown }).external_id : undefined;
}

describe('test dossiers with HubEE’s qualification environment configured', () => {
  let test: TestService;
  before(async () => {
    test = await startTestService({}, { qualification: true });
  });
  after(async () => {
    await test?.stop();
  });

  it('sends a test dossier to the qualification stand-in and not the main one, while a family’s goes to the main one', async (t) => {
    const receiver = await startWebhookReceiver();
    t.after(() => receiver.close());
    const registered = await test.service.context.webhooks.register({ owner: { kind: 'collectivity', siret: MAJASTRES }, url: receiver.url, events: ['transmission.sent'] });
    assert.ok(registered.ok);
    const answer = await sendTestDossier(test, MAJASTRES);
    assert.equal(answer.status, 202);
    const body = (await answer.json()) as { reference: string; test: boolean; destination: string };
    assert.deepEqual([body.test, body.destination], [true, 'qualification']);
    const shipment = await test.service.context.shipments.find(body.reference);
    assert.deepEqual([shipment?.isTest, shipment?.hubeeEnvironment], [true, 'qualification'], 'recorded with its target');
    const testCase = await sentCaseId(test, body.reference);

    const family = await journeyOverHttp(test.appUrl, { siret: MAJASTRES, persona: 'angela', externalId: 'MAJ-FAMILLE-1' });
    assert.equal((await test.service.context.shipments.find(family))?.hubeeEnvironment, 'production');
    const familyCase = await sentCaseId(test, family);

    const qualification = await communeInbox(test, MAJASTRES, { in: 'qualification' });
    assert.deepEqual(qualification.map((f) => [f.case.id, portalExternalId(f.files)]), [[testCase, 'DOSSIER-DE-TEST']]);
    assert.equal(qualification[0]?.files.size, 3, 'the three files, as for a family');
    assert.deepEqual(await caseIds(test, MAJASTRES, 'production'), [familyCase], 'the production HubEE sees the family only');

    // The webhooks say which HubEE holds each folder: the qualification environment for the test dossier only.
    const messages = (await receiver.waitFor(2)).map((m) => JSON.parse(m.body) as { data: { reference: string; test?: boolean; hubee: Record<string, unknown> } });
    const about = (reference: string) => messages.find((m) => m.data.reference === reference)?.data;
    const folderId = (await test.service.context.shipments.find(body.reference))?.hubeeFolderId;
    assert.deepEqual(about(body.reference)?.hubee, { folder_id: folderId, case_id: testCase, environment: 'qualification' });
    assert.equal(about(body.reference)?.test, true);
    assert.deepEqual(Object.keys(about(family)?.hubee ?? {}), ['folder_id', 'case_id'], 'a family’s message keeps its shape');
  });

  it('brings a status and a message set in the qualification environment to the test dossier’s follow-up page', async () => {
    const answer = await sendTestDossier(test, BELLEY);
    const { reference } = (await answer.json()) as { reference: string };
    const caseId = await sentCaseId(test, reference);
    const qualification = test.service.context.config.hubee.qualification;
    assert.ok(qualification);
    const credentials = siCredentialsFor(BELLEY);
    const software = connectHubee({ apiUrl: qualification.apiUrl, tokenUrl: qualification.tokenUrl, clientId: credentials.clientId, clientSecret: credentials.clientSecret });
    await setCaseStatus(software, caseId, 'REFUSED', { message: 'Réception vérifiée en qualification.' });

    const summary = await test.service.context.followUpHubee();
    assert.ok(summary.statusesStored >= 1, JSON.stringify(summary));
    assert.equal((await test.service.context.shipments.find(reference))?.status, 'REFUSED');
    const page = await (await fetch(`${test.appUrl}/suivi/${reference}`)).text();
    assert.match(page, /refusée/);
    assert.match(page, /Réception vérifiée en qualification\./);
  });
});

describe('test dossiers without the qualification environment', () => {
  let test: TestService;
  before(async () => {
    test = await startTestService();
  });
  after(async () => {
    await test?.stop();
  });

  it('outside production, sends them to the one HubEE configured (the sandbox), as before', async () => {
    assert.equal(test.service.context.config.hubee.qualification, null);
    const answer = await sendTestDossier(test, MAJASTRES);
    assert.equal(answer.status, 202);
    const body = (await answer.json()) as { reference: string; destination: string };
    assert.equal(body.destination, 'bac_a_sable');
    assert.equal((await test.service.context.shipments.find(body.reference))?.hubeeEnvironment, 'production');
    const caseId = await sentCaseId(test, body.reference);
    const inbox = await communeInbox(test, MAJASTRES);
    assert.deepEqual(inbox.map((f) => [f.case.id, portalExternalId(f.files)]), [[caseId, 'DOSSIER-DE-TEST']]);
    assert.deepEqual(await caseIds(test, MAJASTRES, 'production'), [caseId]);
  });

  it('in production, answers 409 TEST_DOSSIER_UNAVAILABLE and records nothing; the espaces explain instead of offering the button', async () => {
    // The same app, context and database, under a production configuration without qualification.
    const { renderError: _own, ...base } = test.service.context;
    const config = { ...base.config, env: 'production' as const };
    const { app } = await buildApp({ ...base, config }, { logger: createLogger({ logLevel: 'silent' }) });
    await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const address = app.server.address();
      assert.ok(address && typeof address === 'object');
      const before = await test.service.context.db.kysely.selectFrom('shipments').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
      const answer = await fetch(`http://127.0.0.1:${address.port}/api/v2/collectivites/${BELLEY}/dossier-de-test`, {
        method: 'POST',
        headers: { authorization: `Bearer ${config.secrets.apiToken}`, 'content-type': 'application/json' },
        body: '{}',
      });
      assert.equal(answer.status, 409);
      const body = (await answer.json()) as { error: { code: string; message: string } };
      assert.equal(body.error.code, 'TEST_DOSSIER_UNAVAILABLE');
      assert.match(body.error.message, /environnement de qualification de HubEE/);
      const afterwards = await test.service.context.db.kysely.selectFrom('shipments').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
      assert.equal(afterwards.n, before.n, 'nothing recorded');
    } finally {
      await app.close();
    }
    const availability = testDossierAvailability(config);
    assert.deepEqual(availability, { environment: null, unavailable: TEST_DOSSIER_UNAVAILABLE_FR });
    const form = String(TestDossierForm({ action: '/espace/dossier-de-test', csrfToken: 'x', collectivityName: 'Belley', ...availability }));
    assert.doesNotMatch(form, /<button/);
    assert.match(form, /aucun dossier de test ne peut être envoyé/);
  });
});
