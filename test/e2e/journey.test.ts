import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { personas } from '../../src/sandbox/fixtures.ts';
import { personalDataIn } from '../support/personal-data.ts';
import { newVisitor } from './support/browser.ts';
import { browserSuite } from './support/suite.ts';
import { referenceShownIn } from './support/reference.ts';
import { communeInbox } from './support/commune-inbox.ts';

const MAJASTRES = '21040107100019';
const BELLEY = '21010034300016';
const MELGVEN = '21290146600012';

describe('a family sends its QF to its commune, in a real browser', () => {
  const suite = browserSuite();

  /** From the collectivity's page to the confirmation: returns the reference shown to the citizen. */
  async function loginAndTransmit(page: Page, login: string, communeName: string): Promise<string> {
    const persona = personas.find((p) => p.login === login)!;
    await page.getByRole('button', { name: /S’identifier avec\s*FranceConnect/ }).click();
    await page.getByRole('button', { name: new RegExp(`${persona.claims.given_name} ${persona.claims.family_name}`) }).click();
    await page.waitForURL(/\/verification$/);
    assert.equal(await page.locator('h1').innerText(), `Je relis et transmets mes données à ${communeName}`);
    await page.getByRole('button', { name: 'Transmettre les données à la collectivité' }).click();
    await page.waitForURL(/\/confirmation$/);
    const reference = referenceShownIn(await page.locator('body').innerText());
    assert.ok(reference, 'the confirmation shows a 13-character reference');
    return reference;
  }

  it('Angela (CNAF, no child) picks Majastres, sees her QF of 2550 for février 2024, transmits, and Majastres gets the folder', async () => {
    const { context, page } = await newVisitor(suite.browser);
    await page.goto(`${suite.test.appUrl}/`);
    await page.getByRole('link', { name: 'Débuter la démarche' }).click();
    await page.getByLabel(/Nom, code postal ou département/).fill('Majastres');
    await page.getByRole('button', { name: /Rechercher/ }).click();
    await page.getByRole('link', { name: /Majastres/ }).click();
    assert.match(page.url(), new RegExp(`/collectivites/${MAJASTRES}$`));

    await page.getByRole('button', { name: /S’identifier avec\s*FranceConnect/ }).click();
    await page.getByRole('button', { name: /Angela Claire Louise DUBOIS/ }).click();
    await page.waitForURL(/\/verification$/);
    const review = await page.locator('main').innerText();
    assert.match(review, /2\s?550/);
    assert.match(review, /février 2024/);
    assert.match(review, /CNAF|CAF/);
    assert.match(review, /DUBOIS/);
    assert.match(review, /Aucun/);

    await page.getByRole('button', { name: 'Transmettre les données à la collectivité' }).click();
    await page.waitForURL(/\/confirmation$/);
    const confirmation = await page.locator('main').innerText();
    assert.match(confirmation, /Vos informations ont bien été transmises à Majastres/);
    const reference = referenceShownIn(confirmation);
    assert.ok(reference);

    const [folder] = (await communeInbox(suite.test, MAJASTRES)).filter((f) => f.case.externalId === `Formulaire-QF-${reference}-01`);
    assert.ok(folder, 'Majastres finds the folder in HubEE');
    const json = JSON.parse(folder.files.get('FormulaireQF.json')!.toString('utf8')) as unknown;
    assert.deepEqual(json, {
      external_id: null,
      pivot_identity: { birthcountry: '99100', birthdate: '1962-08-24', birthplace: '75107', family_name: 'DUBOIS', given_name: 'Angela Claire Louise', gender: 'female' },
      quotient_familial_v3: {
        allocataires: [{ nom_naissance: 'DUBOIS', nom_usage: null, prenoms: 'ANGELA CLAIRE LOUISE', date_naissance: '1962-08-24', sexe: 'F' }],
        enfants: [],
        quotient_familial: { fournisseur: 'CNAF', valeur: 2550, annee: 2024, mois: 2, annee_calcul: 2024, mois_calcul: 12 },
        version: 'v3',
      },
      quotient_familial: {
        regime: 'CNAF',
        allocataires: [{ nomNaissance: 'DUBOIS', nomUsuel: null, prenoms: 'ANGELA CLAIRE LOUISE', anneeDateDeNaissance: '1962', moisDateDeNaissance: '08', jourDateDeNaissance: '24', sexe: 'F' }],
        enfants: [],
        quotientFamilial: 2550,
        annee: 2024,
        mois: 2,
        version: 'v2',
      },
    });
    const xml = folder.files.get('FormulaireQF.xml')!.toString('utf8');
    assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<hash>\n/);
    assert.match(xml, /<external-id nil="true"\/>/);
    assert.match(xml, /<valeur type="integer">2550<\/valeur>/);
    assert.match(xml, /<enfants type="array"\/>/);
    assert.match(xml, /<allocataires type="array">\n\s+<allocataire>/);
    const pdfName = 'quotient_familial_DUBOIS_Angela_Claire_Louise.pdf';
    const pdf = folder.files.get(pdfName);
    assert.ok(pdf, `the PDF is named ${pdfName}`);
    const text = pdfText(pdf).replace(/[\u00a0\u202f]/g, ' ');
    for (const line of ['Pays de naissance : France, code Insee 99100', 'Date de naissance : 24/08/1962', 'Nom de naissance : DUBOIS', 'Régime : CAF (CNAF)', 'Quotient familial : 2 550 €', 'Aucun']) {
      assert.ok(text.includes(line), `the PDF says "${line}"`);
    }

    await page.goto(`${suite.test.appUrl}/suivi/${reference}`);
    assert.match(await page.locator('main').innerText(), /transmise/i);
    await context.close();
  });

  it('Jeanne (MSA, two children) arrives from Belley’s portal with her file number and goes back to it', async () => {
    const { context, page } = await newVisitor(suite.browser);
    await page.goto(`${suite.test.sandboxUrl}/portail-commune/${BELLEY}/?dossier=famille-77`);
    await page.getByRole('link', { name: 'Transmettre mon quotient familial' }).click();
    const reference = await loginAndTransmit(page, 'jeanne', 'Belley');
    await page.getByRole('link', { name: 'Retourner sur le site de ma collectivité' }).click();
    await page.waitForURL(new RegExp(`/portail-commune/${BELLEY}/retour$`));

    const [folder] = (await communeInbox(suite.test, BELLEY)).filter((f) => f.case.externalId === `Formulaire-QF-${reference}-01`);
    assert.ok(folder);
    const json = JSON.parse(folder.files.get('FormulaireQF.json')!.toString('utf8')) as {
      external_id: string;
      quotient_familial_v3: { enfants: unknown[]; quotient_familial: { fournisseur: string; valeur: number } };
    };
    assert.equal(json.external_id, 'famille-77');
    assert.equal(json.quotient_familial_v3.quotient_familial.fournisseur, 'MSA');
    assert.equal(json.quotient_familial_v3.enfants.length, 2);
    await context.close();
  });

  it('Vincent, born in Algeria, transmits to Melgven: the birthplace is empty and the country is 99352', async () => {
    const { context, page } = await newVisitor(suite.browser);
    await page.goto(`${suite.test.appUrl}/collectivites/${MELGVEN}`);
    const reference = await loginAndTransmit(page, 'vincent', 'Melgven');
    const [folder] = (await communeInbox(suite.test, MELGVEN)).filter((f) => f.case.externalId === `Formulaire-QF-${reference}-01`);
    assert.ok(folder);
    const json = JSON.parse(folder.files.get('FormulaireQF.json')!.toString('utf8')) as { pivot_identity: { birthplace: string; birthcountry: string } };
    assert.equal(json.pivot_identity.birthplace, '');
    assert.equal(json.pivot_identity.birthcountry, '99352');
    await context.close();
  });

  it('wrote no personal data in the logs during the journeys', () => {
    assert.ok(suite.test.logs.length > 10, 'the service did log');
    assert.deepEqual(personalDataIn(suite.test.logs), []);
  });
});

function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'fqf-pdf-'));
  const file = join(dir, 'f.pdf');
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}
