import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PDFParse } from 'pdf-parse';
import { buildFormulaireQfPdf, pdfFileName } from './pdf.ts';
import { formulaireQfPdfContent, formatParisDateTime, frenchDate, sexeLetter } from './pdf-content.ts';
import { toWinAnsiText } from './windows-1252.ts';
import { angelaAsInTheContract, inputFor, oddButUsable } from './test-fixtures.ts';
import type { FormulaireQfInput } from './input.ts';

async function extract(pdf: Buffer): Promise<{ lines: string[]; pages: number; title: unknown; lang: unknown }> {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  try {
    const text = await parser.getText();
    const info = await parser.getInfo();
    const lines = text.text.split('\n').map((l) => l.replace(/[\u00a0\u202f]/g, ' ').trim()).filter((l) => l !== '' && !/^-- \d+ of \d+ --$/.test(l));
    return { lines, pages: text.total, title: info.info?.Title, lang: info.metadata?.get('dc:language') ?? null };
  } finally {
    await parser.destroy();
  }
}

/**
 * Every fact of §4 for the example, laid out to be read in five seconds: the QF first with its month, caisse, date
 * of calculation and source, places by name beside their INSEE code, the household as a table, the reference in
 * the footer.
 */
const ANGELA_LINES = [
  'RÉPUBLIQUE FRANÇAISE',
  'Transmission du quotient familial',
  'à Majastres, le 26/11/2026 à 12:30 (heure de Paris)',
  'Quotient familial : 2 550 €',
  'Mois : février 2024 (2/2024)',
  'Régime : CAF (CNAF)',
  'Calculé en : décembre 2024',
  'Source : CNAF via API Particulier, le 26/11/2026 à 12:30 (heure de Paris)',
  'Demandeur (identité pivot FranceConnect)',
  'Nom de naissance : DUBOIS',
  'Prénoms : Angela Claire Louise',
  'Sexe : Féminin (F)',
  'Date de naissance : 24/08/1962',
  'Lieu de naissance : Paris 7e Arrondissement (75), code Insee 75107',
  'Pays de naissance : France, code Insee 99100',
  'Allocataires',
  "Nom de naissance Nom d'usage Prénoms Date de naissance Sexe",
  'DUBOIS ANGELA CLAIRE LOUISE 24/08/1962 F',
  'Enfants',
  'Aucun',
  'Démarche',
  'Collectivité destinataire : Majastres',
  'Date de transmission : 26/11/2026 à 12:30 (heure de Paris)',
  'Référence de la démarche : 1A2B 3C4D 5E6F7',
  'Identifiant éditeur (optionnel) : dossier-4242',
  'Formulaire QF - référence 1A2B 3C4D 5E6F7 - page 1/1',
];

describe('the PDF', () => {
  it('carries every fact of §4 as extractable text lines, the QF first (Angela)', async () => {
    const { lines, pages } = await extract(await buildFormulaireQfPdf(angelaAsInTheContract()));
    assert.deepEqual(lines, ANGELA_LINES);
    assert.equal(pages, 1);
  });

  it('says under the title that the family transmitted already, when it did, and only then', async () => {
    const previous = new Date('2026-11-20T08:15:00Z');
    const { lines } = await extract(await buildFormulaireQfPdf({ ...angelaAsInTheContract(), previousTransmissionAt: previous }));
    assert.deepEqual(lines.slice(0, 4), [
      'RÉPUBLIQUE FRANÇAISE',
      'Transmission du quotient familial',
      'à Majastres, le 26/11/2026 à 12:30 (heure de Paris)',
      'Cette famille a déjà transmis ses données le 20/11/2026 à 09:15 (heure de Paris).',
    ]);
    assert.deepEqual(lines.slice(4), ANGELA_LINES.slice(3), 'everything else as for a first transmission');
    const first = await extract(await buildFormulaireQfPdf({ ...angelaAsInTheContract(), previousTransmissionAt: null }));
    assert.ok(!first.lines.some((l) => l.includes('déjà transmis')));
  });

  it('lists every member of a large household on a single page (Cindy: five children, an usage name, Corsica)', async () => {
    const input = inputFor('cindy');
    const pdf = await buildFormulaireQfPdf(input);
    const { lines, pages } = await extract(pdf);
    assert.equal(pages, 1);
    assert.ok(pdf.length < 10_240, `${pdf.length} bytes`);
    for (const expected of ['Lieu de naissance : Ajaccio (2A), code Insee 2A004', 'COMMODE MEUBLE CINDY 12/01/1985 F', 'Régime : MSA', 'Quotient familial : 420 €', 'Identifiant éditeur (optionnel) : aucun']) {
      assert.ok(lines.includes(expected), expected);
    }
    for (const child of input.quotientFamilial.enfants ?? []) {
      assert.ok(lines.includes(`${String(child.nom_naissance)} ${String(child.prenoms)} ${frenchDate(String(child.date_naissance))} ${String(child.sexe)}`), String(child.prenoms));
    }
  });

  it('extracts French accents and apostrophes intact, and approximates what Helvetica cannot draw', async () => {
    const input: FormulaireQfInput = {
      ...inputFor('vincent'),
      externalId: 'Ça été réglé à l’école',
      collectivity: { ...inputFor('vincent').collectivity, name: "L'Haÿ-les-Roses (Île-de-France) œuvre Łódź" },
    };
    const { lines } = await extract(await buildFormulaireQfPdf(input));
    assert.ok(lines.includes('Identifiant éditeur (optionnel) : Ça été réglé à l’école'), lines.join('\n'));
    assert.ok(lines.includes("Collectivité destinataire : L'Haÿ-les-Roses (Île-de-France) œuvre ?ódz"), lines.join('\n'));
    assert.ok(lines.includes('Lieu de naissance : hors de France'), 'born abroad: empty birthplace');
    assert.ok(lines.includes('Pays de naissance : Algérie, code Insee 99352'));
    assert.ok(lines.includes('Sexe : Masculin (M)'));
  });

  it('is deterministic, dated from the transmission, titled and in French', async () => {
    const input = angelaAsInTheContract();
    const [first, second] = await Promise.all([buildFormulaireQfPdf(input), buildFormulaireQfPdf(input)]);
    assert.ok(first.equals(second));
    const text = first.toString('latin1');
    assert.match(text, /\/CreationDate \d+ 0 R/);
    assert.equal(text.match(/\(D:20261126113016Z\)/g)?.length, 2); // CreationDate and ModDate
    assert.match(text, /\/Lang \(fr-FR\)/);
    assert.match(text, /\/MarkInfo/);
    assert.match(text, /\/StructTreeRoot/);
    const { title } = await extract(first);
    assert.equal(title, 'Transmission du quotient familial - 1A2B3C4D5E6F7');
    const later = await buildFormulaireQfPdf({ ...input, transmittedAt: new Date('2026-11-27T08:00:00Z') });
    assert.ok(!later.equals(first));
  });

  it('says "Non communiqué" rather than "Aucun" when a list was masked by scopes', () => {
    const { quotient_familial } = inputFor('angela').quotientFamilial;
    const blocks = formulaireQfPdfContent({ ...inputFor('angela'), quotientFamilial: { ...(quotient_familial && { quotient_familial }) } });
    assert.deepEqual(blocks.filter((b) => b.kind === 'household'), [
      { kind: 'household', heading: 'Allocataires', people: 'Non communiqué' },
      { kind: 'household', heading: 'Enfants', people: 'Non communiqué' },
    ]);
  });
});

describe('PDF helpers', () => {
  it('prints an odd but usable answer as received: the float, the odd date, what is not given said so', async () => {
    const { lines } = await extract(await buildFormulaireQfPdf(oddButUsable()));
    for (const expected of ['550,75', 'CAF (CNAF)', '1962-8-24', 'DOSSIER 42', 'non communiqué']) {
      assert.ok(lines.some((line) => line.includes(expected)), `${expected} in ${JSON.stringify(lines)}`);
    }
  });

  it('names the file after the birth name and the given names, spaces as underscores', () => {
    assert.equal(pdfFileName(angelaAsInTheContract().identity), 'quotient_familial_DUBOIS_Angela_Claire_Louise.pdf');
    assert.equal(pdfFileName({ family_name: "DE L'ÉPÉE", given_name: 'Jean-Marc Élie' }), "quotient_familial_DE_L'ÉPÉE_Jean-Marc_Élie.pdf");
    assert.equal(pdfFileName({ family_name: 'A/B', given_name: 'C\\D' }), 'quotient_familial_A_B_C_D.pdf');
  });

  it('maps FranceConnect genders to the letters of the file', () => {
    assert.equal(sexeLetter('female'), 'F');
    assert.equal(sexeLetter('male'), 'M');
    assert.equal(sexeLetter('unspecified'), 'I');
  });

  it('writes dates the French way, in Paris time', () => {
    assert.equal(frenchDate('1962-08-24'), '24/08/1962');
    assert.equal(frenchDate('1962-08'), '1962-08');
    assert.equal(formatParisDateTime(new Date('2026-07-01T22:15:00Z')), '02/07/2026 à 00:15 (heure de Paris)');
    assert.equal(formatParisDateTime(new Date('2026-01-01T08:05:00Z')), '01/01/2026 à 09:05 (heure de Paris)');
  });

  it('keeps WinAnsi text and approximates the rest', () => {
    assert.equal(toWinAnsiText('éèçàùâêîôûëïüÿœæÉÈÇ’€–…'), 'éèçàùâêîôûëïüÿœæÉÈÇ’€–…');
    assert.equal(toWinAnsiText('Őrs Łukasz e\u0301 a\tb\nc 漢'), 'Ors ?ukasz é a b c ?');
  });
});
