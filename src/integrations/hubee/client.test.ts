import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type RunningSandbox } from '../../../test/support/sandbox.ts';
import { createHubeeClient, HubeeError, sha256Digest } from './client.ts';
import { BELLEY, clientAs, MAJASTRES, sampleFolder, transmit } from './testing.ts';

/** Asserts a HubeeError of this kind/status whose HubEE message matches. */
async function rejectsWith(promise: Promise<unknown>, expected: { kind: string; status?: number | null; message?: RegExp | string }) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof HubeeError, `expected a HubeeError, got ${String(error)}`);
    assert.equal(error.kind, expected.kind);
    if (expected.status !== undefined) assert.equal(error.status, expected.status);
    if (typeof expected.message === 'string') assert.equal(error.hubeeMessage, expected.message);
    else if (expected.message) assert.match(error.hubeeMessage ?? '', expected.message);
    return true;
  });
}

describe('HubEE client against the stand-in', () => {
  let sandbox: RunningSandbox;
  before(async () => {
    sandbox = await startSandbox({ only: ['hubee'] });
  });
  after(() => sandbox.close());

  it('runs the whole OSL → SI → OSL flow', async () => {
    const osl = clientAs(sandbox, 'OSL');
    const si = clientAs(sandbox, { si: MAJASTRES.siret });
    const sample = sampleFolder(MAJASTRES);

    const folder = await osl.createFolder(sample.input);
    assert.equal(folder.globalStatus, 'HUBEE_RECEIVED');
    assert.equal(folder.externalId, sample.input.externalId);
    assert.equal(folder.attachments.length, 3);
    assert.ok(folder.attachments.every((a) => a.status === 'PENDING'));
    const caseId = folder.cases[0]?.id;
    assert.ok(caseId);

    // Before completion the commune sees nothing.
    assert.deepEqual(await si.listNotifications({ processCode: 'FormulaireQF' }), []);

    for (const attachment of folder.attachments) {
      const bytes = sample.files.get(attachment.fileName);
      assert.ok(bytes);
      await osl.uploadAttachment(folder.id, attachment.id, bytes, { digest: sha256Digest(bytes) });
    }
    await osl.markFolderCompleted(folder.id);
    const completed = await osl.getFolder(folder.id);
    assert.equal(completed.globalStatus, 'HUBEE_NOTIFIED');
    assert.ok(completed.attachments.every((a) => a.status === 'RECEIVED'));

    // The commune's SI is notified of the new télédossier.
    const [newFolder, ...rest] = await si.listNotifications({ maxResult: 25, processCode: 'FormulaireQF', eventDetails: true });
    assert.equal(rest.length, 0);
    assert.ok(newFolder);
    assert.equal(newFolder.caseId, caseId);
    assert.equal(newFolder.eventId, null);
    assert.equal(newFolder.eventActionType, null);
    assert.equal(newFolder.processCode, 'FormulaireQF');

    const kase = await si.getCase(caseId);
    assert.equal(kase.status, 'HUBEE_NOTIFIED');
    assert.equal(kase.externalId, `${sample.input.externalId}-01`);
    assert.equal(kase.applicant?.lastName, 'DUBOIS');
    for (const attachment of kase.attachments) {
      const downloaded = await si.downloadCaseAttachment(caseId, attachment.id);
      const expected = sample.files.get(attachment.fileName);
      assert.ok(expected);
      assert.deepEqual(downloaded.bytes, expected);
      assert.equal(downloaded.digest, sha256Digest(expected));
    }
    await si.deleteNotification(newFolder.id);

    // The commune moves the case, VAL-style: PATCH, then an event that notifies the OSL.
    await si.updateCaseStatus(caseId, 'SENT');
    await si.updateCaseStatus(caseId, 'SI_RECEIVED');
    const event = await si.createEvent(caseId, {
      actionType: 'STATUS_UPDATE',
      author: 'Mairie de Majastres',
      message: 'Dossier reçu',
      comment: 'note interne',
      notification: true,
      caseCurrentStatus: 'SENT',
      caseNewStatus: 'SI_RECEIVED',
    });
    assert.equal(event.status, 'SENT');
    assert.deepEqual(event.transmitter, { type: 'SI', companyRegister: MAJASTRES.siret, branchCode: MAJASTRES.cog });

    const oslNotifications = await osl.listNotifications({ processCode: 'FormulaireQF' });
    const statusNotification = oslNotifications.find((n) => n.eventId === event.id);
    assert.ok(statusNotification);
    assert.equal(statusNotification.caseId, caseId);

    const seen = await osl.getEvent(caseId, event.id);
    assert.equal(seen.caseNewStatus, 'SI_RECEIVED');
    assert.equal(seen.actionType, 'STATUS_UPDATE');
    assert.equal(seen.comment, null, 'the SI-internal comment is hidden from the OSL');
    await osl.updateEventStatus(caseId, event.id, 'RECEIVED');
    assert.equal((await osl.getEvent(caseId, event.id)).status, 'RECEIVED');
    await osl.deleteNotification(statusNotification.id);
    assert.equal((await osl.listNotifications()).some((n) => n.id === statusNotification.id), false);

    // An event alone (DINUM's script) also moves the case; then the OSL closes case and folder as FQF does.
    await si.createEvent(caseId, { actionType: 'STATUS_UPDATE', notification: true, caseNewStatus: 'IN_PROGRESS' });
    await si.createEvent(caseId, { actionType: 'STATUS_UPDATE', notification: true, caseNewStatus: 'DONE' });
    assert.equal((await osl.getCase(caseId, { lite: true })).status, 'DONE');
    await osl.updateCaseStatus(caseId, 'CLOSED');
    await osl.createEvent(caseId, {
      actionType: 'STATUS_UPDATE',
      author: 'DINUM',
      message: 'Dossier traité par le service.',
      notification: true,
      caseCurrentStatus: 'DONE',
      caseNewStatus: 'CLOSED',
    });
    await osl.updateFolderStatus(folder.id, 'CLOSED');
    const closed = await osl.getFolder(folder.id);
    assert.equal(closed.globalStatus, 'CLOSED');
    assert.ok(closed.closeDateTime);
    const full = await si.getCase(caseId);
    assert.equal(full.status, 'CLOSED');
    assert.deepEqual(
      full.events.map((e) => e.caseNewStatus),
      ['SI_RECEIVED', 'IN_PROGRESS', 'DONE', 'CLOSED'],
    );
  });

  it('lets the OSL delete a folder only before completion', async () => {
    const osl = clientAs(sandbox, 'OSL');
    const draft = await osl.createFolder(sampleFolder().input);
    await osl.deleteFolder(draft.id);
    await rejectsWith(osl.getFolder(draft.id), { kind: 'not_found', status: 404, message: 'Folder is not found' });

    const { folder } = await transmit(osl);
    await rejectsWith(osl.deleteFolder(folder.id), { kind: 'bad_request', status: 400, message: /only HUBEE_RECEIVED folders can be deleted/ });
  });

  it('refuses folders that break the contract', async () => {
    const osl = clientAs(sandbox, 'OSL');
    const tooLong = sampleFolder();
    tooLong.input.externalId = 'X'.repeat(31);
    tooLong.input.applicant.lastName = 'N'.repeat(256);
    await rejectsWith(osl.createFolder(tooLong.input), {
      kind: 'bad_request',
      status: 400,
      message:
        "Bad Request : Validation failed.\n[ERROR][REQUEST][POST /teledossiers/v1/folders @body] [Path '/externalId'] String is too long (length: 31, maximum allowed: 30)\n" +
        "[ERROR][REQUEST][POST /teledossiers/v1/folders @body] [Path '/applicant/lastName'] String is too long (length: 256, maximum allowed: 255)",
    });

    const missing = sampleFolder();
    const { applicant: _applicant, ...withoutApplicant } = missing.input;
    await rejectsWith(osl.createFolder(withoutApplicant as typeof missing.input), {
      kind: 'bad_request',
      message:
        'Bad Request : Validation failed.\n[ERROR][REQUEST][POST /teledossiers/v1/folders @body] Object has missing required properties (["applicant"])',
    });

    const badSiret = sampleFolder();
    badSiret.input.cases[0]!.recipient.companyRegister = '123';
    await rejectsWith(osl.createFolder(badSiret.input), { kind: 'bad_request', message: /\[Path '\/cases\/0\/recipient\/companyRegister'\] ECMA 262 regex/ });

    // Strasbourg is in the fixtures but inactive: no organization, no subscription.
    const unknown = sampleFolder({ siret: '21670482500019', cog: '67482' });
    await rejectsWith(osl.createFolder(unknown.input), {
      kind: 'bad_request',
      message: 'Case recipient SI-21670482500019-67482 does not exist',
    });
  });

  it('refuses a folder for an organization without an active subscription', async () => {
    const admin = clientAs(sandbox, 'ADMIN');
    const [subscription] = await admin.listSubscriptions({ companyRegister: BELLEY.siret, processCode: 'FormulaireQF' });
    assert.ok(subscription);
    const { id, creationDateTime: _created, ...rest } = subscription;
    await admin.updateSubscription(id, { ...rest, status: 'Suspendu' });
    try {
      await rejectsWith(clientAs(sandbox, 'OSL').createFolder(sampleFolder(BELLEY).input), {
        kind: 'bad_request',
        status: 400,
        message: `Case recipient SI-${BELLEY.siret}-${BELLEY.cog} does not suscribed to FormulaireQF`,
      });
    } finally {
      await admin.updateSubscription(id, { ...rest, status: 'Actif' });
    }
    await clientAs(sandbox, 'OSL').createFolder(sampleFolder(BELLEY).input);
  });

  it('checks uploaded files against their metadata', async () => {
    const osl = clientAs(sandbox, 'OSL');
    const sample = sampleFolder();
    const folder = await osl.createFolder(sample.input);
    const [json] = folder.attachments;
    assert.ok(json);
    const bytes = sample.files.get(json.fileName)!;

    await rejectsWith(osl.uploadAttachment(folder.id, json.id, Buffer.concat([bytes, Buffer.from(' ')])), {
      kind: 'bad_request',
      status: 400,
      message: `Binary size (${bytes.length + 1} bytes) does not match the size declared in the meta-data (${bytes.length} bytes)`,
    });
    await rejectsWith(osl.uploadAttachment(folder.id, json.id, bytes, { digest: sha256Digest(Buffer.from('other')) }), {
      kind: 'bad_request',
      message: 'Binary digest does not match the digest header (SHA-256, base64)',
    });
    await rejectsWith(osl.uploadAttachment(folder.id, '00000000-0000-0000-0000-000000000000', bytes), {
      kind: 'not_found',
      status: 404,
      message: 'Binary meta-data is not found',
    });
    // Not every file is there yet: the folder cannot be completed.
    await osl.uploadAttachment(folder.id, json.id, bytes);
    await rejectsWith(osl.markFolderCompleted(folder.id), { kind: 'bad_request', message: /some attachments are not received/ });
  });

  it('answers 404 for unknown folders, cases, events and notifications', async () => {
    const osl = clientAs(sandbox, 'OSL');
    const unknown = '6f1c1d7e-0000-4000-8000-000000000000';
    await rejectsWith(osl.getFolder(unknown), { kind: 'not_found', status: 404, message: 'Folder is not found' });
    await rejectsWith(osl.getCase(unknown), { kind: 'not_found', status: 404, message: 'Case is not found' });
    await rejectsWith(osl.deleteNotification(unknown), { kind: 'not_found', message: 'Notification is not found' });
    const { caseId } = await transmit(osl);
    await rejectsWith(osl.getEvent(caseId, unknown), { kind: 'not_found', message: 'event is not found' });
  });

  it('keeps each commune to its own cases and each role to its own routes', async () => {
    const osl = clientAs(sandbox, 'OSL');
    const { caseId } = await transmit(osl, sampleFolder(MAJASTRES));
    const belley = clientAs(sandbox, { si: BELLEY.siret });
    await rejectsWith(belley.getCase(caseId), { kind: 'forbidden', status: 403, message: 'Unauthorized user' });
    assert.equal((await belley.listNotifications()).some((n) => n.caseId === caseId), false);
    await rejectsWith(belley.createFolder(sampleFolder().input), { kind: 'forbidden', status: 403, message: 'Unauthorized user' });
    await rejectsWith(osl.createOrganization({
      type: 'SI', companyRegister: '21670482500019', branchCode: '67482', name: 'Strasbourg', postalCode: '67000', territory: '67', email: 'a@b.fr', status: 'Actif',
    }), { kind: 'forbidden', status: 403 });
    // An SI may not close a case: that is the OSL's move.
    const majastres = clientAs(sandbox, { si: MAJASTRES.siret });
    await rejectsWith(majastres.updateCaseStatus(caseId, 'CLOSED'), { kind: 'bad_request', message: 'Case status CLOSED cannot be set by SI' });
    await rejectsWith(majastres.updateCaseStatus(caseId, 'HUBEE_NOTIFIED'), { kind: 'bad_request', message: 'Case status HUBEE_NOTIFIED cannot be set by SI' });
  });

  it('reports wrong credentials, wrong scope and an unreachable HubEE', async () => {
    const { hubee } = sandbox.config;
    const wrong = createHubeeClient({ apiUrl: hubee.apiUrl, tokenUrl: hubee.tokenUrl, clientId: hubee.osl.clientId, clientSecret: 'not-the-secret', scope: 'OSL', timeoutMs: 2000 });
    await rejectsWith(wrong.listNotifications(), { kind: 'unauthorized', status: 401, message: 'Client Authentication failed.' });

    // The OSL pair asking for ADMIN gets a token without HubEE scope, which every API refuses.
    const wrongScope = createHubeeClient({ apiUrl: hubee.apiUrl, tokenUrl: hubee.tokenUrl, ...hubee.osl, scope: 'ADMIN', timeoutMs: 2000 });
    await rejectsWith(wrongScope.getOrganization(`SI-${MAJASTRES.siret}-${MAJASTRES.cog}`), { kind: 'forbidden', status: 403, message: 'Unauthorized user' });

    const nowhere = createHubeeClient({ apiUrl: 'http://127.0.0.1:9/hubee', tokenUrl: 'http://127.0.0.1:9/hubee/oauth2/token', ...hubee.osl, scope: 'OSL', timeoutMs: 2000 });
    await rejectsWith(nowhere.listNotifications(), { kind: 'unreachable', status: null });
  });

  it('gives up after timeoutMs when HubEE does not answer', async () => {
    // Accepts connections and never answers.
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const { hubee } = sandbox.config;
      const slow = createHubeeClient({ apiUrl: `http://127.0.0.1:${port}`, tokenUrl: hubee.tokenUrl, ...hubee.osl, scope: 'OSL', timeoutMs: 300 });
      await rejectsWith(slow.getFolder('x'), { kind: 'timeout', status: null });
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
