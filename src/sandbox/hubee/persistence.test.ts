import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startSandbox } from '../../../test/support/sandbox.ts';
import { freePort } from '../../../test/support/ports.ts';
import { sha256Digest } from '../../integrations/hubee/client.ts';
import { clientAs, MAJASTRES, sampleFolder, startHubeeStandIn, transmit } from '../../integrations/hubee/testing.ts';

describe('HubEE stand-in persistence', () => {
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'hubee-stand-in-'));
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  it('keeps folders, binaries, notifications, referential changes and tokens across a restart', async () => {
    const port = await freePort();
    const first = await startHubeeStandIn({ dataDir, port });
    const osl = clientAs(first, 'OSL');
    const sample = sampleFolder(MAJASTRES);
    const { folder, caseId } = await transmit(osl, sample);
    const admin = clientAs(first, 'ADMIN');
    const [subscription] = await admin.listSubscriptions({ companyRegister: MAJASTRES.siret });
    assert.ok(subscription);
    const { id, creationDateTime: _c, ...rest } = subscription;
    await admin.updateSubscription(id, { ...rest, accessMode: 'API' });
    await first.close();

    const files = await readdir(join(dataDir, 'hubee'));
    assert.ok(files.includes('state.json'));
    assert.deepEqual(files.filter((f) => f.endsWith('.tmp')), [], 'no temp file left behind');
    assert.equal((await readdir(join(dataDir, 'hubee', 'attachments'))).length, 3);

    // Same port, same data: the same client (and its cached token) carries on.
    const second = await startHubeeStandIn({ dataDir, port });
    try {
      assert.equal((await osl.getFolder(folder.id)).globalStatus, 'HUBEE_NOTIFIED');
      const si = clientAs(second, { si: MAJASTRES.siret });
      assert.ok((await si.listNotifications()).some((n) => n.caseId === caseId));
      for (const attachment of (await si.getCase(caseId)).attachments) {
        const { bytes, digest } = await si.downloadCaseAttachment(caseId, attachment.id);
        assert.deepEqual(bytes, sample.files.get(attachment.fileName));
        assert.equal(digest, sha256Digest(bytes));
      }
      assert.equal((await admin.getSubscription(id)).accessMode, 'API');
      // Seeding again changed nothing: still one FormulaireQF subscription per commune.
      assert.equal((await admin.listSubscriptions({ companyRegister: MAJASTRES.siret })).length, 1);
    } finally {
      await second.close();
    }
  });

  it('writes under ${DATA_DIR}/sandbox/hubee when started by the shared sandbox', async () => {
    const sandbox = await startSandbox({ only: ['hubee'], env: { DATA_DIR: dataDir } });
    await sandbox.close();
    const state = JSON.parse(await readFile(join(dataDir, 'sandbox', 'hubee', 'state.json'), 'utf8')) as { version: number };
    assert.equal(state.version, 1);
  });
});
