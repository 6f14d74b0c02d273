import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { journeyOverHttp } from '../../test/support/http-journey.ts';
import { startTestService, type TestService } from '../../test/support/service.ts';
import { buildFormulaireQfJson, formulaireQfJsonBytes } from '../domain/formulaire-qf/json.ts';
import { inputFor } from '../domain/formulaire-qf/test-fixtures.ts';
import { siCredentialsFor } from '../sandbox/hubee/index.ts';
import { connectHubee, type HubeeSiClient } from './hubee.ts';
import { listPulledCases, pullCases, type PullStep } from './hubee-pull.ts';
import { setCaseStatus } from './hubee-status.ts';

const MAJASTRES = '21040107100019';

class Crash extends Error {}

describe('hubee pull, against the HubEE stand-in after real journeys', () => {
  let test: TestService;
  let hubee: HubeeSiClient;
  let directory: string;
  const sent: { reference: string; persona: string; externalId: string }[] = [];

  before(async () => {
    test = await startTestService();
    const { hubee: settings } = test.service.context.config;
    hubee = connectHubee({ apiUrl: settings.apiUrl, tokenUrl: settings.tokenUrl, ...siCredentialsFor(MAJASTRES) });
    directory = await mkdtemp(join(tmpdir(), 'fqf-pull-'));
    for (const [persona, externalId] of [['angela', 'dossier-1'], ['jeanne', 'dossier-2'], ['vincent', 'dossier-3']] as const) {
      sent.push({ reference: await journeyOverHttp(test.appUrl, { siret: MAJASTRES, persona, externalId }), persona, externalId });
    }
    // Transmitted to HubEE by the service's own workers.
    const deadline = Date.now() + 30_000;
    for (const { reference } of sent) {
      while ((await test.service.context.shipments.find(reference))?.status !== 'SENT') {
        if (Date.now() > deadline) throw new Error(`shipment ${reference} not sent`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  });

  after(async () => {
    await test.stop();
    await rm(directory, { recursive: true, force: true });
  });

  it('survives crashes at any step, then has every case once, files identical to what was sent, acknowledged', async () => {
    // Crashes: after the 2nd case's move to SI_RECEIVED (before its event), then after the 3rd case's download.
    const crashAt = async (wanted: PullStep, nth: number) => {
      let seen = 0;
      await assert.rejects(
        pullCases({
          hubee,
          directory,
          afterStep: (step) => {
            if (step === wanted && ++seen === nth) throw new Crash(`crash after ${step}`);
          },
        }),
        Crash,
      );
    };
    await crashAt('case_received', 2);
    await crashAt('downloaded', 1);
    await crashAt('notification_deleted', 1);
    const summary = await pullCases({ hubee, directory });
    assert.deepEqual(summary.invalid, []);

    const cases = await listPulledCases(directory);
    assert.deepEqual(cases.map((c) => c.pulled.externalId).sort(), sent.map((s) => `Formulaire-QF-${s.reference}-01`).sort());
    for (const { folder, pulled } of cases) {
      const shipment = sent.find((s) => pulled.externalId === `Formulaire-QF-${s.reference}-01`);
      assert.ok(shipment);
      const names = (await readdir(folder)).sort();
      assert.equal(names.length, 4);
      assert.deepEqual(names.filter((n) => n !== 'case.json').sort(), pulled.files.map((f) => f.fileName).sort());
      for (const file of pulled.files) assert.equal((await readFile(join(folder, file.fileName))).length, file.size);
      // The JSON is byte for byte what the domain builds for this family (FranceConnect mode gives no address).
      const { adresse: _adresse, ...quotientFamilial } = inputFor(shipment.persona).quotientFamilial;
      const expected = formulaireQfJsonBytes(buildFormulaireQfJson(inputFor(shipment.persona, { externalId: shipment.externalId, quotientFamilial })));
      assert.deepEqual(await readFile(join(folder, 'FormulaireQF.json')), expected);
      assert.equal(pulled.schema.valid, true);

      const kase = await hubee.getCase(pulled.caseId);
      assert.equal(kase.status, 'SI_RECEIVED');
      const announcements = kase.events.filter((e) => e.actionType === 'STATUS_UPDATE' && e.caseNewStatus === 'SI_RECEIVED');
      assert.equal(announcements.length, 1, 'the sender is told once');
    }
    assert.deepEqual(await readdir(join(directory, '.formulaire-qf', 'incoming')).catch(() => []), []);
    assert.deepEqual(await hubee.listNotifications({ maxResult: 25, processCode: 'FormulaireQF' }), []);

    // A second run finds nothing to do and changes nothing.
    const again = await pullCases({ hubee, directory });
    assert.equal(again.notificationsRead, 0);
    assert.equal(again.casesDownloaded, 0);
    assert.equal((await listPulledCases(directory)).length, 3);
  });

  it('moves a case on with a message the family will see, once', async () => {
    const [first] = await listPulledCases(directory);
    assert.ok(first);
    assert.deepEqual(await setCaseStatus(hubee, first.pulled.caseId, 'IN_PROGRESS'), { kind: 'moved', from: 'SI_RECEIVED', to: 'IN_PROGRESS' });
    assert.deepEqual(await setCaseStatus(hubee, first.pulled.caseId, 'DONE', { message: 'Tarif appliqué.' }), { kind: 'moved', from: 'IN_PROGRESS', to: 'DONE' });
    assert.deepEqual(await setCaseStatus(hubee, first.pulled.caseId, 'DONE'), { kind: 'unchanged', status: 'DONE' });
    const kase = await hubee.getCase(first.pulled.caseId);
    assert.equal(kase.events.filter((e) => e.caseNewStatus === 'DONE').length, 1);
    assert.equal(kase.events.find((e) => e.caseNewStatus === 'DONE')?.message, 'Tarif appliqué.');
  });
});
