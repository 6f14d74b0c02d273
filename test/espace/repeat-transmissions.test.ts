import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { PDFParse } from 'pdf-parse';
import { createRetentionRepository } from '../../src/db/repositories/retention.ts';
import { purgeExpiredData } from '../../src/usecases/purge-expired-data.ts';
import { communeInbox } from '../e2e/support/commune-inbox.ts';
import { AgentOverHttp } from '../support/agent-over-http.ts';
import { journeyOverHttp } from '../support/http-journey.ts';
import { startTestService, type TestService } from '../support/service.ts';

const MAJASTRES = '21040107100019';
const BELLEY = '21010034300016';
const DAY = 24 * 3600 * 1000;

/**
 * Issue 16 point 9: a family transmitting again to the same commune is marked as such on the commune's PDF and in
 * its espace, from a keyed hash of the identité pivot per commune that goes with the shipment at the purge.
 */
describe('repeat transmissions', () => {
  let test: TestService;
  const refs: Record<'angelaFirst' | 'angelaAgain' | 'angelaBelley' | 'jeanne', string> = { angelaFirst: '', angelaAgain: '', angelaBelley: '', jeanne: '' };
  before(async () => {
    test = await startTestService();
    refs.angelaFirst = await journeyOverHttp(test.appUrl, { siret: MAJASTRES, persona: 'angela' });
    refs.jeanne = await journeyOverHttp(test.appUrl, { siret: MAJASTRES, persona: 'jeanne' });
    refs.angelaBelley = await journeyOverHttp(test.appUrl, { siret: BELLEY, persona: 'angela' });
    refs.angelaAgain = await journeyOverHttp(test.appUrl, { siret: MAJASTRES, persona: 'angela' });
  });
  after(() => test.stop());

  const shipmentRows = () =>
    test.service.context.db.kysely.selectFrom('shipments').select(['reference', 'collectivity_siret', 'identity_hash', 'created_at']).execute();

  /** The PDF of a transmission as the commune downloads it from HubEE, as text. */
  async function pdfLines(siret: string, reference: string): Promise<string> {
    const folder = (await communeInbox(test, siret)).find((f) => f.case.externalId === `Formulaire-QF-${reference}-01`);
    assert.ok(folder, `the folder of ${reference} is in HubEE`);
    const pdf = [...folder.files.entries()].find(([name]) => name.endsWith('.pdf'))?.[1];
    assert.ok(pdf);
    const parser = new PDFParse({ data: new Uint8Array(pdf) });
    try {
      return (await parser.getText()).text.replace(/[\u00a0\u202f]/g, ' ');
    } finally {
      await parser.destroy();
    }
  }

  it('marks the second transmission of the same family to the same commune on its PDF, and only that one', async () => {
    const first = (await shipmentRows()).find((r) => r.reference === refs.angelaFirst)!;
    const again = await pdfLines(MAJASTRES, refs.angelaAgain);
    assert.match(again, /Cette famille a déjà transmis ses données le \d{2}\/\d{2}\/\d{4} à \d{2}:\d{2} \(heure de Paris\)\./);
    assert.ok(again.includes(`le ${new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: '2-digit', month: '2-digit', year: 'numeric' }).format(first.created_at)}`));
    for (const [siret, reference] of [[MAJASTRES, refs.angelaFirst], [MAJASTRES, refs.jeanne], [BELLEY, refs.angelaBelley]] as const) {
      assert.doesNotMatch(await pdfLines(siret, reference), /déjà transmis/, `${reference} is a first transmission`);
    }
  });

  it('keeps a keyed hash, different per commune, never the identity', async () => {
    const rows = await shipmentRows();
    const hash = (reference: string) => rows.find((r) => r.reference === reference)?.identity_hash;
    assert.match(hash(refs.angelaFirst) ?? '', /^[0-9a-f]{64}$/);
    assert.equal(hash(refs.angelaAgain), hash(refs.angelaFirst), 'the same family at the same commune');
    assert.notEqual(hash(refs.jeanne), hash(refs.angelaFirst), 'another family');
    assert.notEqual(hash(refs.angelaBelley), hash(refs.angelaFirst), 'the same family at another commune cannot be linked');
  });

  it('marks it in the espace collectivité’s list and CSV, and Belley sees no mark of Majastres’', async () => {
    const majastres = new AgentOverHttp(test.appUrl);
    await majastres.signIn('secretariat@majastres.fr');
    const page = await majastres.request('/espace/transmissions');
    const rowOf = (reference: string) => new RegExp(`<tr>(?:(?!</tr>).)*${reference}(?:(?!</tr>).)*</tr>`, 's').exec(page.html)?.[0] ?? '';
    assert.match(rowOf(refs.angelaAgain), /Nouvel envoi.*Cette famille a déjà transmis ses données le/s);
    assert.doesNotMatch(rowOf(refs.angelaFirst), /Nouvel envoi/);
    assert.doesNotMatch(rowOf(refs.jeanne), /Nouvel envoi/);
    const csv = (await majastres.request('/espace/transmissions.csv')).html.split('\n');
    assert.match(csv[0] ?? '', /,deja_transmise_le\r?$/);
    assert.match(csv.find((l) => l.startsWith(refs.angelaAgain)) ?? '', /,\d{4}-\d{2}-\d{2}T[\d:.]+Z\r?$/);
    assert.match(csv.find((l) => l.startsWith(refs.angelaFirst)) ?? '', /,\r?$/);

    const belley = new AgentOverHttp(test.appUrl);
    await belley.signIn('enfance@belley.fr');
    const belleyPage = await belley.request('/espace/transmissions');
    assert.ok(belleyPage.html.includes(refs.angelaBelley));
    assert.doesNotMatch(belleyPage.html, /Nouvel envoi/);
  });

  it('drops the hash with the shipment at the retention purge: a later transmission repeats only what is still kept', async () => {
    const { db, config } = test.service.context;
    const old = new Date(Date.now() - (config.retention.shipmentDays + 1) * DAY);
    await db.kysely.updateTable('shipments').set({ created_at: old }).where('reference', '=', refs.angelaFirst).execute();
    const hashOfFirst = (await shipmentRows()).find((r) => r.reference === refs.angelaFirst)!.identity_hash;
    await purgeExpiredData({ retention: createRetentionRepository(db), purgeExpiredJourneys: async () => 0, logger: pino({ level: 'silent' }) }, config.retention);
    const rows = await shipmentRows();
    assert.equal(rows.find((r) => r.reference === refs.angelaFirst), undefined, 'the old shipment is gone');
    assert.deepEqual(rows.filter((r) => r.identity_hash === hashOfFirst).map((r) => r.reference), [refs.angelaAgain], 'its hash with it');

    const majastres = new AgentOverHttp(test.appUrl);
    await majastres.signIn('secretariat@majastres.fr');
    const page = await majastres.request('/espace/transmissions');
    assert.doesNotMatch(page.html, /Nouvel envoi/, 'the earlier transmission it repeated is gone');
  });
});
