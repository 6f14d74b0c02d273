import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase } from '../../test/support/database.ts';
import { startTestService, type TestService } from '../../test/support/service.ts';
import { main } from '../cli/import-legacy.ts';
import type { Db } from '../db/database.ts';
import { createCollectivityRepository } from '../db/repositories/collectivities.ts';
import { createLegacyShipmentStore } from '../db/repositories/legacy-import.ts';
import { importCollectivities, importShipments, readExport, siretsByOldId, type ImportReport } from './import-legacy.ts';

const FIXTURES = new URL('../../test/fixtures/legacy-export/', import.meta.url);
const fixture = (name: string) => new URL(name, FIXTURES).pathname;
const rowsOf = async (name: string) => readExport(await readFile(fixture(name), 'utf8'), name.endsWith('.json') ? 'json' : 'csv');
const NOW = new Date('2026-12-01T09:00:00Z');
const plan = (report: ImportReport) => report.lines.map((l) => [l.key, l.action]);

describe('moving over from the old form', () => {
  let db: Db;
  before(async () => {
    db = await createTestDatabase();
  });
  after(() => db?.close());
  const collectivities = () => createCollectivityRepository(db);
  const importFile = async (name: string, dryRun: boolean) => importCollectivities({ collectivities: collectivities() }, await rowsOf(name), { dryRun, allowTestSirets: false });
  const importShipmentFile = async (name: string, dryRun: boolean) =>
    importShipments({ shipments: createLegacyShipmentStore(db), collectivities: collectivities() }, await rowsOf(name), {
      dryRun,
      now: NOW,
      retentionDays: 90,
      siretOfOldCollectivityId: siretsByOldId(await rowsOf('collectivities.csv')),
    });

  it('reports, in a dry run, what the CSV export would create or skip and why, and writes nothing', async () => {
    const report = await importFile('collectivities.csv', true);
    assert.deepEqual(plan(report), [
      ['21040107100019', 'create'],
      ['21290146600012', 'create'],
      ['21010034300016', 'create'],
      ['21010034300017', 'skip'],
      ['21750001600019', 'skip'],
    ]);
    assert.match(report.lines[3]!.reason, /invalide : SIRET/);
    assert.match(report.lines[4]!.reason, /lien de retour inutilisable/);
    assert.deepEqual(report.counts, { create: 3, update: 0, skip: 2 });
    assert.equal(await collectivities().findBySiret('21040107100019'), null, 'nothing written');
  });

  it('imports the CSV export as the dry run said, the old columns read as the old form wrote them', async () => {
    const dry = await importFile('collectivities.csv', true);
    const report = await importFile('collectivities.csv', false);
    assert.deepEqual(plan(report), plan(dry));
    const majastres = await collectivities().findBySiret('21040107100019');
    assert.deepEqual(majastres, {
      siret: '21040107100019', codeCog: '04107', name: 'Majastres', departement: '04', codePostal: '04270', status: 'active', editor: null, allowedRedirectPrefixes: ['https://www.majastres.fr/portail'],
    });
    const melgven = await collectivities().findBySiret('21290146600012');
    assert.equal(melgven?.editor, 'editeur-breton');
    assert.equal(melgven?.codePostal, '', 'the old form had no postal code');
    // A spreadsheet had dropped the leading zeros.
    const belley = await collectivities().findBySiret('21010034300016');
    assert.deepEqual([belley?.codeCog, belley?.departement, belley?.codePostal, belley?.status], ['01034', '01', '01300', 'inactive']);
  });

  it('is idempotent, and a JSON export of the same service updates only what changed, keeping what this service added', async () => {
    const again = await importFile('collectivities.csv', false);
    assert.deepEqual(again.counts, { create: 0, update: 0, skip: 5 });
    assert.ok(again.lines.filter((l) => l.action === 'skip').some((l) => l.reason === 'déjà à jour'));

    const dry = await importFile('collectivities.json', true);
    assert.deepEqual(plan(dry), [
      ['21040107100019', 'skip'],
      ['21290146600012', 'skip'],
      ['21690123100011', 'create'],
      ['21130055300016', 'skip'],
    ]);
    assert.equal(dry.lines[0]!.reason, 'déjà à jour', 'the postal code and the return link Majastres has here are kept');
    assert.match(dry.lines[3]!.reason, /invalide : nom, statut/);
    const report = await importFile('collectivities.json', false);
    assert.deepEqual(plan(report), plan(dry));
    assert.deepEqual((await collectivities().findBySiret('21690123100011'))?.allowedRedirectPrefixes, ['https://www.lyon.fr/demarches', 'https://portail.lyon.fr']);
    assert.deepEqual((await importFile('collectivities.json', false)).counts, { create: 0, update: 0, skip: 4 });
  });

  it('reports an update with the fields that changed', async () => {
    const rows = [{ id: 1, name: 'Majastres', siret: '21040107100019', code_cog: '04107', status: 'inactive', editor: 'nouvel-editeur', departement: '04' }];
    const report = await importCollectivities({ collectivities: collectivities() }, rows, { dryRun: false, allowTestSirets: false });
    assert.deepEqual(report.lines.map((l) => [l.action, l.reason]), [['update', 'modifié : statut, éditeur']]);
  });

  it('moves the shipments’ references and statuses over, from the CSV then the JSON export, idempotently', async () => {
    const dry = await importShipmentFile('shipments.csv', true);
    assert.deepEqual(plan(dry), [
      ['A1B2C3D4E5F60', 'create'],
      ['A1B2C3D4E5F61', 'create'],
      ['A1B2C3D4E5F62', 'create'],
      ['A1B2C3D4E5F63', 'skip'],
      ['A1B2C3D4E5F64', 'skip'],
      ['PAS-UNE-REF', 'skip'],
    ]);
    assert.match(dry.lines[2]!.reason, /jamais parvenu à HubEE/);
    assert.match(dry.lines[3]!.reason, /durée de conservation/);
    assert.match(dry.lines[4]!.reason, /collectivité 99/);
    assert.equal(await createLegacyShipmentStore(db).findShipment('A1B2C3D4E5F60'), null, 'nothing written');

    assert.deepEqual(plan(await importShipmentFile('shipments.csv', false)), plan(dry));
    const store = createLegacyShipmentStore(db);
    assert.deepEqual(await store.findShipment('A1B2C3D4E5F60'), { reference: 'A1B2C3D4E5F60', collectivitySiret: '21040107100019', status: 'DONE' });
    assert.equal((await store.findShipment('A1B2C3D4E5F62'))?.status, 'failed');
    const row = await db.kysely.selectFrom('shipments').selectAll().where('reference', '=', 'A1B2C3D4E5F61').executeTakeFirstOrThrow();
    assert.deepEqual([row.hubee_case_id, row.payload, row.external_id], ['case-a2', null, null]);
    assert.equal(row.created_at.toISOString(), '2026-11-25T09:00:00.000Z', 'the old timestamps are UTC');
    assert.deepEqual((await importShipmentFile('shipments.csv', false)).counts, { create: 0, update: 0, skip: 6 });

    const json = await importShipmentFile('shipments.json', false);
    assert.deepEqual(json.lines.map((l) => [l.key, l.action, l.reason]), [
      ['A1B2C3D4E5F61', 'update', 'statut SENT → IN_PROGRESS'],
      ['B1B2C3D4E5F60', 'create', 'suivi repris (SI_RECEIVED)'],
      ['A1B2C3D4E5F60', 'skip', 'a déjà ici un statut ultérieur (DONE)'],
      ['B1B2C3D4E5F61', 'skip', 'statut inconnu : archived'],
    ]);
    const history = await db.kysely.selectFrom('shipment_status_history').select('status').where('reference', '=', 'A1B2C3D4E5F61').orderBy('id').execute();
    assert.deepEqual(history.map((h) => h.status), ['SENT', 'IN_PROGRESS']);
    assert.deepEqual((await importShipmentFile('shipments.json', false)).counts, { create: 0, update: 0, skip: 4 });
  });
});

describe('the import command, and the old follow-up links afterwards', () => {
  let test: TestService;
  before(async () => {
    test = await startTestService();
  });
  after(() => test?.stop());

  it('prints the dry run, imports, and the old confirmation link of an imported shipment shows its status', async () => {
    const out: string[] = [];
    const io = { db: test.service.context.db, env: { APP_ENV: 'test' }, now: NOW, say: (l: string) => out.push(l), warn: (l: string) => out.push(l) };
    assert.equal(await main(['envois', fixture('shipments.json'), '--dry-run'], io), 0);
    assert.ok(out.includes('  enregistrement 2 (B1B2C3D4E5F60) : à créer (suivi repris (SI_RECEIVED))'), out.join('\n'));
    assert.match(out.at(-1) ?? '', /^Essai : 3 à créer, 0 à modifier, 1 à ignorer\. Rien n'a été écrit\.$/);
    assert.equal((await fetch(`${test.appUrl}/suivi/B1B2C3D4E5F60`)).status, 404, 'the dry run wrote nothing');

    out.length = 0;
    assert.equal(await main(['envois', fixture('shipments.json')], io), 0);
    assert.equal(out.at(-1), '3 créé(s), 0 modifié(s), 1 ignoré(s).');
    const old = await fetch(`${test.appUrl}/collectivites/21040107100019/confirmation/B1B2C3D4E5F60`, { redirect: 'manual' });
    assert.equal(old.headers.get('location'), '/suivi/B1B2C3D4E5F60');
    const page = await fetch(`${test.appUrl}/suivi/B1B2C3D4E5F60`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Majastres/);
  });

  it('refuses a bad command line with its usage', async () => {
    const out: string[] = [];
    assert.equal(await main(['inconnu', 'x.csv'], { say: (l) => out.push(l), warn: (l) => out.push(l) }), 2);
    assert.match(out.join('\n'), /Usage : npx tsx src\/cli\/import-legacy\.ts/);
  });
});
