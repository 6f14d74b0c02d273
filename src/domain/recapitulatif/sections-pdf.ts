import { collect, newPdfDocument } from '../pdf-document.ts';
import { toWinAnsiText } from '../formulaire-qf/windows-1252.ts';

/**
 * A short printable summary: a title, then headed sections of lines (standard Helvetica, nothing embedded, tagged
 * for screen readers). The families' récapitulatif and the Guichet QF's summary for the agent's file are such.
 */
export interface SectionsPdf {
  title: string;
  subtitle: string;
  /** The PDF's own title (its metadata, shown by readers in the window's title). */
  documentTitle: string;
  createdAt: Date;
  sections: { heading: string; lines: string[] }[];
}

export async function buildSectionsPdf(input: SectionsPdf): Promise<Buffer> {
  const doc = await newPdfDocument({
    size: 'A4',
    margins: { top: 56, bottom: 56, left: 56, right: 56 },
    tagged: true,
    lang: 'fr-FR',
    displayTitle: true,
    info: { Title: input.documentTitle, Creator: 'Formulaire QF', Producer: 'Formulaire QF', CreationDate: input.createdAt },
  });
  const done = collect(doc);
  const text = (value: string) => toWinAnsiText(value);
  doc.font('Helvetica-Bold').fontSize(9).text(text('RÉPUBLIQUE FRANÇAISE'));
  doc.moveDown(1);
  doc.font('Helvetica-Bold').fontSize(18).text(text(input.title));
  doc.font('Helvetica').fontSize(11).fillColor('#3a3a3a').text(text(input.subtitle));
  doc.fillColor('black').moveDown(1);
  for (const section of input.sections) {
    doc.font('Helvetica-Bold').fontSize(12).text(text(section.heading));
    doc.moveDown(0.3);
    for (const line of section.lines) doc.font('Helvetica').fontSize(11).text(text(line)).moveDown(0.2);
    doc.moveDown(0.8);
  }
  doc.end();
  return done;
}
