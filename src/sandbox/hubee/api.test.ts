import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type RunningSandbox } from '../../../test/support/sandbox.ts';
import { HubeeError, sha256Digest } from '../../integrations/hubee/client.ts';
import { BELLEY, clientAs, MAJASTRES, sampleFolder, tokenFor, transmit } from '../../integrations/hubee/testing.ts';

/** The wire format itself: exact bodies and status codes, where the client would hide them. */
describe('HubEE stand-in on the wire', () => {
  let sandbox: RunningSandbox;
  let api: string;
  before(async () => {
    sandbox = await startSandbox({ only: ['hubee'] });
    api = sandbox.config.hubee.apiUrl;
  });
  after(() => sandbox.close());

  it('answers the token endpoint like WSO2', async () => {
    const { osl } = sandbox.config.hubee;
    const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const wrong = await fetch(sandbox.config.hubee.tokenUrl, {
      method: 'POST',
      headers: { ...form, authorization: basic(osl.clientId, 'nope') },
      body: 'grant_type=client_credentials&scope=OSL',
    });
    assert.equal(wrong.status, 401);
    assert.deepEqual(await wrong.json(), { error: 'invalid_client', error_description: 'Client Authentication failed.' });

    const grant = await fetch(sandbox.config.hubee.tokenUrl, {
      method: 'POST',
      headers: { ...form, authorization: basic(osl.clientId, osl.clientSecret) },
      body: 'grant_type=password&scope=OSL',
    });
    assert.equal(grant.status, 400);

    const ok = await fetch(sandbox.config.hubee.tokenUrl, {
      method: 'POST',
      headers: { ...form, authorization: basic(osl.clientId, osl.clientSecret) },
      body: 'grant_type=client_credentials&scope=OSL',
    });
    const body = (await ok.json()) as Record<string, unknown>;
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.scope, 'OSL');
    assert.equal(body.expires_in, 3600);
  });

  it('uses the documented error bodies for 403, 404 and 405, and honours X-HTTP-Method-Override', async () => {
    const si = await tokenFor(sandbox, { si: MAJASTRES.siret });
    const forbidden = await fetch(`${api}/teledossiers/v1/folders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${si}`, 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(forbidden.status, 403);
    assert.deepEqual(await forbidden.json(), { errors: [{ code: 403, message: 'Unauthorized user' }] });

    const osl = await tokenFor(sandbox, 'OSL');
    const missing = await fetch(`${api}/teledossiers/v1/folders/nope`, { headers: { authorization: `Bearer ${osl}` } });
    assert.deepEqual(await missing.json(), { errors: [{ code: 404, message: 'Folder is not found' }] });

    const folder = await clientAs(sandbox, 'OSL').createFolder(sampleFolder().input);
    const notAllowed = await fetch(`${api}/teledossiers/v1/folders/${folder.id}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${osl}`, 'content-type': 'application/json' },
      body: JSON.stringify({ globalStatus: 'HUBEE_COMPLETED' }),
    });
    assert.equal(notAllowed.status, 405);
    assert.deepEqual(await notAllowed.json(), { errors: [{ code: 405, message: 'Method Not Allowed' }] });

    const overridden = await fetch(`${api}/teledossiers/v1/folders/${folder.id}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${osl}`, 'content-type': 'application/json', 'x-http-method-override': 'PATCH' },
      body: JSON.stringify({ globalStatus: 'HUBEE_COMPLETED' }),
    });
    // Reached the PATCH logic: refused because no file was uploaded yet.
    assert.equal(overridden.status, 400);
    assert.match(((await overridden.json()) as { errors: { message: string }[] }).errors[0]!.message, /not received/);

    const badJson = await fetch(`${api}/teledossiers/v1/folders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${osl}`, 'content-type': 'application/json' },
      body: '{',
    });
    assert.equal(badJson.status, 400);
    assert.equal(((await badJson.json()) as { errors: { code: number }[] }).errors[0]!.code, 400);
  });

  it('stores partnerInfo headers and limits notifications to maxResult', async () => {
    const token = await tokenFor(sandbox, 'OSL');
    const sample = sampleFolder(BELLEY);
    const created = await fetch(`${api}/teledossiers/v1/folders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', editorName: 'DINUM', applicationName: 'Formulaire QF' },
      body: JSON.stringify(sample.input),
    });
    assert.equal(created.status, 201);
    const folder = (await created.json()) as { partnerInfo: unknown };
    assert.deepEqual(folder.partnerInfo, { editorName: 'DINUM', applicationName: 'Formulaire QF', softwareVersion: null });

    const osl = clientAs(sandbox, 'OSL');
    await transmit(osl, sampleFolder(BELLEY));
    await transmit(osl, sampleFolder(BELLEY));
    const si = clientAs(sandbox, { si: BELLEY.siret });
    assert.equal((await si.listNotifications({ maxResult: 1 })).length, 1);
    assert.equal((await si.listNotifications({ processCode: ['relais'] })).length, 0);
  });

  it('runs an attachment deposit event: IN_PROGRESS until every file is there, then SENT and notified', async () => {
    const osl = clientAs(sandbox, 'OSL');
    const si = clientAs(sandbox, { si: MAJASTRES.siret });
    const { caseId } = await transmit(osl, sampleFolder(MAJASTRES));
    const file = Buffer.from('attestation');
    const deposit = await si.createEvent(caseId, {
      actionType: 'ATTACH_DEPOSIT',
      notification: true,
      attachments: [{ fileName: 'reponse.pdf', type: 'Reponse', size: file.length, mimeType: 'application/pdf' }],
    });
    assert.equal(deposit.status, 'IN_PROGRESS');
    await assert.rejects(si.updateEventStatus(caseId, deposit.id, 'SENT'), (e: unknown) => e instanceof HubeeError && e.kind === 'bad_request');

    const token = await tokenFor(sandbox, { si: MAJASTRES.siret });
    const attachmentId = deposit.attachments[0]!.id;
    const upload = await fetch(`${api}/teledossiers/v1/cases/${caseId}/events/${deposit.id}/attachments/${attachmentId}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', digest: sha256Digest(file) },
      body: file,
    });
    assert.equal(upload.status, 204);
    await si.updateEventStatus(caseId, deposit.id, 'SENT');
    const notification = (await osl.listNotifications()).find((n) => n.eventId === deposit.id);
    assert.ok(notification);

    const oslToken = await tokenFor(sandbox, 'OSL');
    const download = await fetch(`${api}/teledossiers/v1/cases/${caseId}/events/${deposit.id}/attachments/${attachmentId}`, {
      headers: { authorization: `Bearer ${oslToken}` },
    });
    assert.deepEqual(Buffer.from(await download.arrayBuffer()), file);
    assert.equal(download.headers.get('digest'), sha256Digest(file));
    // Only the recipient side acknowledges.
    await assert.rejects(si.updateEventStatus(caseId, deposit.id, 'RECEIVED'), (e: unknown) => e instanceof HubeeError && e.kind === 'bad_request');
    await osl.updateEventStatus(caseId, deposit.id, 'RECEIVED');
  });
});
