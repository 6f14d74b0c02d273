import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type RunningSandbox } from '../../../test/support/sandbox.ts';
import { clientAs, MAJASTRES, sampleFolder, tokenFor, transmit } from '../../integrations/hubee/testing.ts';

/**
 * What HubEE V1 enforces on statuses, and what it does not (contracts/hubee.md §3.1b, checked against DINUM's
 * valise générique and reference SI script). Each test names the fact it pins.
 */
describe('HubEE stand-in: status rules of the real HubEE', () => {
  let sandbox: RunningSandbox;
  let api: string;
  before(async () => {
    sandbox = await startSandbox({ only: ['hubee'] });
    api = sandbox.config.hubee.apiUrl;
  });
  after(() => sandbox.close());

  const patchCase = async (token: string, caseId: string, status: string) =>
    fetch(`${api}/teledossiers/v1/cases/${caseId}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ status }),
    });

  it('contracts/hubee.md §3.1b: no from → to table — an SI sets a new case straight to IN_PROGRESS then DONE (DINUM SI script defaults)', async () => {
    const osl = clientAs(sandbox, 'OSL');
    const si = clientAs(sandbox, { si: MAJASTRES.siret });
    const { caseId } = await transmit(osl, sampleFolder(MAJASTRES));
    assert.equal((await si.getCase(caseId)).status, 'HUBEE_NOTIFIED');
    // Exactly the body of SolutionSI's create_status_event: no caseCurrentStatus, no PATCH first.
    for (const status of ['IN_PROGRESS', 'DONE'] as const) {
      const event = await si.createEvent(caseId, { message: `passage du télédossier à ${status}`, actionType: 'STATUS_UPDATE', author: 'me', notification: true, caseNewStatus: status });
      assert.equal(event.caseNewStatus, status);
      assert.equal((await si.getCase(caseId)).status, status);
    }
  });

  it('contracts/hubee.md §3.1b: the valise jumps over intermediate statuses (→ SI_INTG_ERROR, → ADD_AWAITING, → REFUSED)', async () => {
    const osl = clientAs(sandbox, 'OSL');
    const token = await tokenFor(sandbox, { si: MAJASTRES.siret });
    for (const status of ['SI_INTG_ERROR', 'ADD_AWAITING', 'REFUSED', 'DONE']) {
      const { caseId } = await transmit(osl, sampleFolder(MAJASTRES));
      const answer = await patchCase(token, caseId, status);
      assert.equal(answer.status, 204, status);
    }
  });

  it('contracts/hubee.md §3.1b: still refuses a value outside the allowed list (RC001) and the sender-only statuses from an SI', async () => {
    const osl = clientAs(sandbox, 'OSL');
    const { caseId } = await transmit(osl, sampleFolder(MAJASTRES));
    const token = await tokenFor(sandbox, { si: MAJASTRES.siret });
    assert.equal((await patchCase(token, caseId, 'FINISHED')).status, 400);
    assert.equal((await patchCase(token, caseId, 'HUBEE_RECEIVED')).status, 400);
    for (const status of ['CLOSED', 'HUBEE_NOTIFIED', 'HUBEE_COMPLETED']) {
      const refused = await patchCase(token, caseId, status);
      assert.equal(refused.status, 400, status);
      assert.deepEqual(await refused.json(), { errors: [{ code: 400, message: `Case status ${status} cannot be set by SI` }] });
    }
  });

  it('contracts/hubee.md §3.1b: a case is HUBEE_RECEIVED until its folder is completed (SFD), then HUBEE_NOTIFIED', async () => {
    const osl = clientAs(sandbox, 'OSL');
    const sample = sampleFolder(MAJASTRES);
    const folder = await osl.createFolder(sample.input);
    assert.equal(folder.cases[0]!.status, 'HUBEE_RECEIVED');
    assert.equal((await osl.getCase(folder.cases[0]!.id)).status, 'HUBEE_RECEIVED');
    const { caseId } = await transmit(osl, sampleFolder(MAJASTRES));
    assert.equal((await osl.getCase(caseId)).status, 'HUBEE_NOTIFIED');
  });

  it('contracts/hubee.md §3.1b: the OSL may set HUBEE_COMPLETED on a case while reopening it (valise folder G), and reopen a closed case', async () => {
    const osl = clientAs(sandbox, 'OSL');
    const { caseId } = await transmit(osl, sampleFolder(MAJASTRES));
    const token = await tokenFor(sandbox, 'OSL');
    await osl.updateCaseStatus(caseId, 'CLOSED');
    assert.equal((await patchCase(token, caseId, 'HUBEE_NOTIFIED')).status, 204);
    assert.equal((await patchCase(token, caseId, 'HUBEE_COMPLETED')).status, 204);
    const kase = await osl.getCase(caseId);
    assert.equal(kase.status, 'HUBEE_COMPLETED');
    assert.equal(kase.closeDateTime, null);
  });

  it('contracts/hubee.md §3.1b (SW-F PATCH folder): a closed folder set to HUBEE_COMPLETED again is reopened, its cases untouched', async () => {
    const osl = clientAs(sandbox, 'OSL');
    const { folder, caseId } = await transmit(osl, sampleFolder(MAJASTRES));
    await osl.updateCaseStatus(caseId, 'CLOSED');
    await osl.updateFolderStatus(folder.id, 'CLOSED');
    await osl.markFolderCompleted(folder.id);
    const reopened = await osl.getFolder(folder.id);
    assert.equal(reopened.globalStatus, 'HUBEE_NOTIFIED');
    assert.equal(reopened.closeDateTime, null);
    assert.equal((await osl.getCase(caseId)).status, 'CLOSED');
    // The commune still sees its case.
    assert.equal((await clientAs(sandbox, { si: MAJASTRES.siret }).getCase(caseId)).status, 'CLOSED');
  });

  it("contracts/hubee.md §3.1b (SFD « Modification d'un Case » 4.1): marking an event RECEIVED notifies its author, who sees eventStatus RECEIVED", async () => {
    const osl = clientAs(sandbox, 'OSL');
    const si = clientAs(sandbox, { si: MAJASTRES.siret });
    const { caseId } = await transmit(osl, sampleFolder(MAJASTRES));

    // SI → OSL, then the OSL acknowledges: the SI gets the acknowledgement.
    const fromSi = await si.createEvent(caseId, { actionType: 'STATUS_UPDATE', author: 'me', notification: true, caseNewStatus: 'IN_PROGRESS' });
    assert.equal((await si.listNotifications({ eventDetails: true })).some((n) => n.eventId === fromSi.id), false);
    await osl.updateEventStatus(caseId, fromSi.id, 'RECEIVED');
    const ack = (await si.listNotifications({ eventDetails: true })).find((n) => n.eventId === fromSi.id);
    assert.ok(ack, 'the SI receives the acknowledgement of its event');
    assert.equal(ack.eventStatus, 'RECEIVED');
    assert.equal(ack.caseId, caseId);
    assert.equal(ack.transmitter?.type, 'OSL');

    // OSL → SI, then the SI acknowledges: the OSL gets it too.
    const fromOsl = await osl.createEvent(caseId, { actionType: 'SENDING_MESSAGE', author: 'DINUM', notification: true, message: 'Bonjour' });
    await si.updateEventStatus(caseId, fromOsl.id, 'RECEIVED');
    const oslAck = (await osl.listNotifications({ eventDetails: true })).find((n) => n.eventId === fromOsl.id);
    assert.equal(oslAck?.eventStatus, 'RECEIVED');

    // An event without notification asks for no acknowledgement.
    const quiet = await si.createEvent(caseId, { actionType: 'COM_ADD', author: 'me', notification: false, message: 'note' });
    await osl.updateEventStatus(caseId, quiet.id, 'RECEIVED');
    assert.equal((await si.listNotifications()).some((n) => n.eventId === quiet.id), false);
  });
});
