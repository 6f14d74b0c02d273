import { collect, newPdfDocument, type PdfDocument } from '../pdf-document.ts';
import type { IdentitePivot } from '../identite-pivot.ts';
import type { FormulaireQfInput } from './input.ts';
import { formulaireQfPdfContent, HOUSEHOLD_COLUMNS, PDF_TITLE, pdfFooter, type PdfBlock } from './pdf-content.ts';
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
  const doc = await newPdfDocument({
    size: 'A4',
    margins: { top: 48, bottom: 48, left: 56, right: 56 },
    tagged: true,
    lang: 'fr-FR',
    displayTitle: true,
    pdfVersion: '1.7',
    bufferPages: true,
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
  footers(doc, input);
  root.end();
  doc.end();
  return done;
}

const BODY = 10;
const GREY = '#3a3a3a';
const BLUE = '#000091';

type Struct = PDFKit.PDFStructureElement;
type Doc = PdfDocument;

const contentWidth = (doc: Doc) => doc.page.width - doc.page.margins.left - doc.page.margins.right;

function draw(doc: Doc, root: Struct, block: PdfBlock): void {
  const left = doc.page.margins.left;
  switch (block.kind) {
    case 'title':
      // The République française header, as on every document of the State.
      tagged(doc, root, 'P', () => doc.font('Helvetica-Bold').fontSize(9).fillColor('black').text(toWinAnsiText('RÉPUBLIQUE FRANÇAISE'), left));
      doc.moveDown(0.8);
      tagged(doc, root, 'H1', () => doc.font('Helvetica-Bold').fontSize(16).fillColor('black').text(toWinAnsiText(block.text), left));
      tagged(doc, root, 'P', () => doc.font('Helvetica').fontSize(BODY).fillColor(GREY).text(toWinAnsiText(block.subtitle), left));
      doc.moveDown(0.8);
      return;
    case 'notice':
      tagged(doc, root, 'P', () => doc.font('Helvetica-Bold').fontSize(11).fillColor('#b34000').text(toWinAnsiText(block.text), left, undefined, { width: contentWidth(doc) }));
      doc.moveDown(0.8);
      return;
    case 'qf': {
      // The one thing the agent came for: boxed, large, first.
      const top = doc.y;
      const padding = 10;
      doc.y = top + padding;
      tagged(doc, root, 'H2', () => doc.font('Helvetica-Bold').fontSize(18).fillColor(BLUE).text(toWinAnsiText(block.value), left + padding));
      doc.moveDown(0.2);
      for (const fact of block.facts) {
        tagged(doc, root, 'P', () => doc.font('Helvetica-Bold').fontSize(11).fillColor('black').text(toWinAnsiText(fact), left + padding));
      }
      doc.moveDown(0.3);
      tagged(doc, root, 'P', () => doc.font('Helvetica').fontSize(9).fillColor(GREY).text(toWinAnsiText(block.source), left + padding));
      const bottom = doc.y + padding;
      artifact(doc, () => doc.rect(left, top, contentWidth(doc), bottom - top).lineWidth(1.5).strokeColor(BLUE).stroke());
      doc.y = bottom;
      doc.moveDown(1);
      return;
    }
    case 'section':
      heading(doc, root, block.heading);
      for (const [label, value] of block.rows) {
        tagged(doc, root, 'P', () => {
          doc.font('Helvetica').fontSize(BODY).fillColor(GREY).text(toWinAnsiText(`${label} : `), left, undefined, { continued: true, width: contentWidth(doc) });
          doc.font('Helvetica-Bold').fillColor('black').text(toWinAnsiText(value));
        });
      }
      doc.moveDown(0.8);
      return;
    case 'household':
      heading(doc, root, block.heading);
      if (typeof block.people === 'string') {
        const people = block.people;
        tagged(doc, root, 'P', () => doc.font('Helvetica').fontSize(BODY).fillColor('black').text(toWinAnsiText(people), left));
      } else {
        table(doc, root, HOUSEHOLD_COLUMNS, block.people);
      }
      doc.moveDown(0.8);
      return;
  }
}

/** Column widths as shares of the page: names get the room, the sex a narrow column. */
const COLUMN_SHARES = [0.24, 0.18, 0.3, 0.18, 0.1] as const;

function table(doc: Doc, root: Struct, columns: readonly string[], rows: readonly (readonly string[])[]): void {
  const left = doc.page.margins.left;
  const width = contentWidth(doc);
  const xs = COLUMN_SHARES.reduce<number[]>((acc, share, i) => [...acc, (acc[i] ?? left) + share * width], [left]);
  const row = (cells: readonly string[], bold: boolean) => {
    keepTogether(doc, 2);
    const y = doc.y;
    let bottom = y;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9).fillColor('black');
    cells.forEach((cell, i) => {
      const x = xs[i]!;
      const cellWidth = (xs[i + 1] ?? left + width) - x - 4;
      doc.text(toWinAnsiText(cell), x, y, { width: cellWidth });
      bottom = Math.max(bottom, doc.y);
    });
    doc.y = bottom + 3;
    // Inside the cell's own marked content (an artifact cannot nest there).
    doc.moveTo(left, doc.y - 1.5).lineTo(left + width, doc.y - 1.5).lineWidth(0.5).strokeColor('#bbbbbb').stroke();
  };
  const tableStruct = doc.struct('Table');
  root.add(tableStruct);
  const header = doc.struct('TR');
  tableStruct.add(header);
  header.add(doc.struct('TH', {}, [() => row(columns, true)]));
  for (const cells of rows) {
    const tr = doc.struct('TR');
    tableStruct.add(tr);
    tr.add(doc.struct('TD', {}, [() => row(cells, false)]));
  }
  tableStruct.end();
  doc.x = left;
}

function heading(doc: Doc, root: Struct, text: string): void {
  keepTogether(doc, 3);
  tagged(doc, root, 'H2', () => doc.font('Helvetica-Bold').fontSize(12).fillColor('black').text(toWinAnsiText(text), doc.page.margins.left));
  doc.moveDown(0.3);
}

function tagged(doc: Doc, root: Struct, type: 'H1' | 'H2' | 'P', draw: () => void): void {
  root.add(doc.struct(type, {}, [draw]));
}

function artifact(doc: Doc, draw: () => void): void {
  doc.markContent('Artifact', { type: 'Layout' });
  draw();
  doc.endMarkedContent();
}

/** The reference at the foot of every page (drawn once all pages exist, to know their number). */
function footers(doc: Doc, input: FormulaireQfInput): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottomMargin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    artifact(doc, () =>
      doc
        .font('Helvetica')
        .fontSize(8)
        .fillColor(GREY)
        .text(toWinAnsiText(pdfFooter(input, i + 1, range.count)), doc.page.margins.left, doc.page.height - 32, { width: contentWidth(doc), align: 'center', lineBreak: false }),
    );
    doc.page.margins.bottom = bottomMargin;
  }
}

/** Starts a new page rather than splitting a heading or a row from what follows. */
function keepTogether(doc: Doc, lines: number): void {
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
