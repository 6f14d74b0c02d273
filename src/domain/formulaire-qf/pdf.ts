import PDFDocument from 'pdfkit';
import type { IdentitePivot } from '../identite-pivot.ts';
import type { FormulaireQfInput } from './input.ts';
import { formulaireQfPdfContent, PDF_TITLE, type PdfBlock } from './pdf-content.ts';
import { toWinAnsiText } from './windows-1252.ts';

/**
 * The printable PDF of a transmission (§4), drawn with PDFKit in memory.
 *
 * - Helvetica, one of the 14 standard fonts: nothing embedded, so the file stays around 3–5 KB and text is
 *   extractable through WinAnsiEncoding (which covers French); other characters are approximated first.
 * - Deterministic: CreationDate/ModDate come from `transmittedAt` and PDFKit derives the file ID from the
 *   info dictionary, so the same input gives the same bytes (and the same declared size) on a retry.
 * - Tagged (a structure tree with headings and paragraphs), `Lang` fr-FR and a Title shown by viewers, for
 *   screen readers; not claimed PDF/UA since standard fonts are not embedded.
 */
export async function buildFormulaireQfPdf(input: FormulaireQfInput): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 48, bottom: 48, left: 56, right: 56 },
    tagged: true,
    lang: 'fr-FR',
    displayTitle: true,
    pdfVersion: '1.7',
    info: {
      // No personal data in metadata: viewers and indexers show it outside the page.
      Title: `${PDF_TITLE} - ${input.reference}`,
      Subject: `Quotient familial transmis à ${input.collectivity.name}`,
      Creator: 'Formulaire QF',
      Producer: 'Formulaire QF',
      CreationDate: input.transmittedAt,
      ModDate: input.transmittedAt,
    },
  });
  const done = collect(doc);
  const root = doc.struct('Document');
  doc.addStructure(root);
  for (const block of formulaireQfPdfContent(input)) draw(doc, root, block);
  root.end();
  doc.end();
  return done;
}

/** The bytes of a PDFKit document once it has ended (the espace's poster uses it too). */
export function collect(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

const BODY = 10;
const INDENT = 16;
const GREY = '#3a3a3a';

type Struct = PDFKit.PDFStructureElement;

function draw(doc: PDFKit.PDFDocument, root: Struct, block: PdfBlock): void {
  switch (block.kind) {
    case 'title':
      tagged(doc, root, 'H1', () => {
        doc.font('Helvetica-Bold').fontSize(16).fillColor('black').text(toWinAnsiText(block.text));
      });
      doc.moveDown(0.4);
      return;
    case 'summary':
      for (const line of block.lines) paragraph(doc, root, line, 0, GREY);
      rule(doc);
      return;
    case 'line':
      paragraph(doc, root, block.text, 0);
      doc.moveDown(0.6);
      return;
    case 'section':
      heading(doc, root, block.heading);
      for (const line of block.lines) paragraph(doc, root, line, 1);
      doc.moveDown(0.6);
      return;
    case 'household':
      heading(doc, root, block.heading, 1);
      if (typeof block.people === 'string') {
        paragraph(doc, root, block.people, 1);
      } else {
        for (const [first, ...rest] of block.people) {
          keepTogether(doc, 1 + rest.length);
          paragraph(doc, root, `- ${first}`, 1);
          // The other facts align with the text after the dash, as in a list.
          const dash = doc.font('Helvetica').fontSize(BODY).widthOfString('- ') / INDENT;
          for (const line of rest) paragraph(doc, root, line, 1 + dash);
          doc.moveDown(0.3);
        }
      }
      doc.moveDown(0.4);
      return;
  }
}

function heading(doc: PDFKit.PDFDocument, root: Struct, text: string, level = 0): void {
  keepTogether(doc, 3);
  tagged(doc, root, 'H2', () => {
    doc.font('Helvetica-Bold').fontSize(11).fillColor('black').text(toWinAnsiText(text), doc.page.margins.left + level * INDENT);
  });
  doc.moveDown(0.2);
}

function paragraph(doc: PDFKit.PDFDocument, root: Struct, text: string, level: number, color = 'black'): void {
  tagged(doc, root, 'P', () => {
    doc.font('Helvetica').fontSize(BODY).fillColor(color).text(toWinAnsiText(text), doc.page.margins.left + level * INDENT, undefined, {
      width: doc.page.width - doc.page.margins.left - doc.page.margins.right - level * INDENT,
    });
  });
}

function tagged(doc: PDFKit.PDFDocument, root: Struct, type: 'H1' | 'H2' | 'P', draw: () => void): void {
  root.add(doc.struct(type, {}, [draw]));
}

function rule(doc: PDFKit.PDFDocument): void {
  doc.moveDown(0.5);
  const y = doc.y;
  doc.markContent('Artifact', { type: 'Layout' });
  doc.moveTo(doc.page.margins.left, y).lineTo(doc.page.width - doc.page.margins.right, y).lineWidth(0.5).strokeColor('#888888').stroke();
  doc.endMarkedContent();
  doc.moveDown(0.8);
}

/** Starts a new page rather than splitting a heading or a person from the lines that follow. */
function keepTogether(doc: PDFKit.PDFDocument, lines: number): void {
  const needed = lines * doc.font('Helvetica').fontSize(BODY).currentLineHeight(true);
  if (doc.y + needed > doc.page.height - doc.page.margins.bottom) doc.addPage();
}

/**
 * `quotient_familial_<Nom>_<Prénoms>.pdf` with spaces replaced by `_` (§1): Nom is the birth name and
 * Prénoms the given names as FranceConnect joined them. Characters that no file system accepts are
 * replaced too; civil-status names never contain them, so the contract's names are unchanged.
 */
export function pdfFileName(identity: Pick<IdentitePivot, 'family_name' | 'given_name'>): string {
  return `quotient_familial_${identity.family_name}_${identity.given_name}.pdf`.replace(/[\s/\\:*?"<>|\u0000-\u001f]/g, '_');
}
