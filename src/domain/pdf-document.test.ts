import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import PDFDocument from 'pdfkit';
import { collect, newPdfDocument, type PdfDocument } from './pdf-document.ts';

const OPTIONS: PDFKit.PDFDocumentOptions = { size: 'A4', info: { Title: 'Essai', CreationDate: new Date('2026-11-01T10:00:00Z') } };

/** Both standard fonts, switched back and forth, with kerned text and words to wrap. */
function draw(doc: PdfDocument): Promise<Buffer> {
  const done = collect(doc);
  doc.font('Helvetica-Bold').fontSize(16).text('RÉPUBLIQUE FRANÇAISE – AVOIR, Tableau, Vœux');
  doc.font('Helvetica').fontSize(10).text('Quotient familial transmis à Majastres. '.repeat(20));
  doc.font('Helvetica-Bold').fontSize(12).text('Enfants');
  doc.font('Helvetica').text('WAVE Yvonne, AV. Tourville');
  doc.end();
  return done;
}

describe('PDF documents', () => {
  it('are the same bytes as pdfkit alone makes, for the first document of the process and the next ones', async () => {
    const reference = await draw(new PDFDocument(OPTIONS));
    for (let n = 0; n < 3; n++) assert.ok((await draw(await newPdfDocument(OPTIONS))).equals(reference), `document ${n + 1}`);
  });

  it('give each document fonts of its own: two drawn at once do not share their PDF objects', async () => {
    const reference = await draw(new PDFDocument(OPTIONS));
    const [a, b] = await Promise.all([newPdfDocument(OPTIONS), newPdfDocument(OPTIONS)]);
    const first = collect(a);
    a.font('Helvetica-Bold').fontSize(16).text('RÉPUBLIQUE FRANÇAISE – AVOIR, Tableau, Vœux');
    const second = draw(b);
    a.font('Helvetica').fontSize(10).text('Quotient familial transmis à Majastres. '.repeat(20));
    a.font('Helvetica-Bold').fontSize(12).text('Enfants');
    a.font('Helvetica').text('WAVE Yvonne, AV. Tourville');
    a.end();
    assert.ok((await first).equals(reference));
    assert.ok((await second).equals(reference));
  });
});
