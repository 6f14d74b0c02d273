import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTeledossier } from './index.ts';
import { buildFormulaireQfJson } from './json.ts';
import { buildFormulaireQfXml } from './xml.ts';
import { angelaAsInTheContract } from './test-fixtures.ts';

describe('buildTeledossier', () => {
  it('gives the folder of §1: process code, externalIds, applicant, one SI case, three attachments in order', async () => {
    const input = angelaAsInTheContract();
    const folder = await buildTeledossier(input);
    assert.equal(folder.processCode, 'FormulaireQF');
    assert.equal(folder.externalId, 'Formulaire-QF-1A2B3C4D5E6F7');
    assert.deepEqual(folder.applicant, { firstName: 'Angela Claire Louise', lastName: 'DUBOIS' });
    assert.deepEqual(folder.cases, [
      { externalId: 'Formulaire-QF-1A2B3C4D5E6F7-01', recipient: { type: 'SI', companyRegister: '21040107100019', branchCode: '04107' } },
    ]);
    assert.deepEqual(
      folder.attachments.map(({ fileName, mimeType, type, recipients }) => ({ fileName, mimeType, type, recipients })),
      [
        { fileName: 'FormulaireQF.json', mimeType: 'application/json', type: 'FormulaireQF', recipients: ['Formulaire-QF-1A2B3C4D5E6F7-01'] },
        { fileName: 'FormulaireQF.xml', mimeType: 'application/xml', type: 'FormulaireQF', recipients: ['Formulaire-QF-1A2B3C4D5E6F7-01'] },
        { fileName: 'quotient_familial_DUBOIS_Angela_Claire_Louise.pdf', mimeType: 'application/pdf', type: 'FormulaireQF', recipients: ['Formulaire-QF-1A2B3C4D5E6F7-01'] },
      ],
    );
  });

  it('declares the exact byte size of each file, multi-byte characters included', async () => {
    const input = { ...angelaAsInTheContract(), externalId: 'déjà-vu' };
    const [json, xml, pdf] = (await buildTeledossier(input)).attachments;
    for (const file of [json, xml, pdf]) assert.equal(file.size, file.bytes.length, file.fileName);
    assert.deepEqual(JSON.parse(json.bytes.toString('utf8')), buildFormulaireQfJson(input));
    assert.equal(xml.bytes.toString('utf8'), buildFormulaireQfXml(input));
    assert.ok(xml.size > xml.bytes.toString('utf8').length, 'sizes count bytes, not characters');
    assert.equal(pdf.bytes.subarray(0, 5).toString('latin1'), '%PDF-');
  });

  it('is reproducible, so a retried upload declares the same sizes', async () => {
    const [a, b] = await Promise.all([buildTeledossier(angelaAsInTheContract()), buildTeledossier(angelaAsInTheContract())]);
    assert.deepEqual(a, b);
  });
});
