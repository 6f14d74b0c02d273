import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestService, type TestService } from '../../test/support/service.ts';
import { createHubeeClient } from '../integrations/hubee/client.ts';
import { MAJASTRES, sampleFolder, transmit } from '../integrations/hubee/testing.ts';

/**
 * End to end over HTTP: the whole service polls HubEE every second; a Majastres agent moves the télédossier in the
 * stand-in's HubEE portal, and the family's follow-up page says where it is, up to "traitée".
 */

let test: TestService;

before(async () => {
  test = await startTestService({ HUBEE_POLL_SECONDS: '1' });
});
after(() => test.stop());

/** A transmission HubEE already has, as the transmission job leaves it. */
async function sentShipment(): Promise<{ reference: string; caseId: string }> {
  const { config, db } = test.service.context;
  const osl = createHubeeClient({ ...config.hubee.osl, apiUrl: config.hubee.apiUrl, tokenUrl: config.hubee.tokenUrl, scope: 'OSL', timeoutMs: 5000 });
  const sample = sampleFolder(MAJASTRES);
  const reference = sample.input.externalId.slice(-13);
  const { folder, caseId } = await transmit(osl, sample);
  await db.kysely
    .insertInto('shipments')
    .values({ reference, collectivity_siret: MAJASTRES.siret, external_id: null, status: 'SENT', hubee_folder_id: folder.id, hubee_case_id: caseId, payload: null, give_up_at: new Date(Date.now() + 86_400_000), sent_at: new Date() })
    .execute();
  await db.kysely.insertInto('shipment_status_history').values([{ reference, status: 'pending' }, { reference, status: 'SENT' }]).execute();
  return { reference, caseId };
}

async function agentSets(caseId: string, status: string): Promise<void> {
  const response = await fetch(`${test.sandboxUrl}/hubee/portail/dossiers/${caseId}/statut`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ status }),
    redirect: 'manual',
  });
  assert.equal(response.status, 303);
}

async function followUpPageSays(reference: string, label: string, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const page = await (await fetch(`${test.appUrl}/suivi/${reference}`)).text();
    if (page.includes(label)) return page;
    if (Date.now() > deadline) throw new Error(`the follow-up page never said "${label}"`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('HubEE follow-up job', () => {
  it('shows on the follow-up page each status the commune sets in the HubEE portal, up to "traitée"', async () => {
    const { reference, caseId } = await sentShipment();
    // Opening the télédossier in the portal is the commune fetching it (SENT); then it says it received it.
    assert.equal((await fetch(`${test.sandboxUrl}/hubee/portail/dossiers/${caseId}`)).status, 200);
    await agentSets(caseId, 'SI_RECEIVED');
    await followUpPageSays(reference, 'reçue par la commune');

    await agentSets(caseId, 'DONE');
    const page = await followUpPageSays(reference, 'traitée');
    assert.match(page, /transmise/, 'the history keeps the earlier statuses');

    // The closing follows the status within the same run.
    const deadline = Date.now() + 10_000;
    while ((await test.service.context.shipments.find(reference))?.hubeeCaseId !== null) {
      assert.ok(Date.now() < deadline, 'the HubEE ids are forgotten once closed');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const portal = await (await fetch(`${test.sandboxUrl}/hubee/portail/dossiers/${caseId}`)).text();
    assert.match(portal, /Clôturé|CLOSED/i);
  });
});
