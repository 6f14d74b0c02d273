import QRCode from 'qrcode';
import { collect, newPdfDocument } from '../../domain/pdf-document.ts';
import { toWinAnsiText } from '../../domain/formulaire-qf/windows-1252.ts';

/**
 * What a commune spreads its link with: the QR code (PNG for print, SVG for the web) and an A4 poster for the
 * town hall's notice board. The QR code always encodes the commune's own page; nothing else can be slipped in.
 */
export function qrPng(url: string): Promise<Buffer> {
  return QRCode.toBuffer(url, { type: 'png', margin: 2, width: 600, errorCorrectionLevel: 'M' });
}

export function qrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
}

/** The HTML a commune pastes on its website: a plain link, no script, nothing loaded from us. */
export function websiteSnippet(url: string, collectivityName: string): string {
  const escape = (v: string) => v.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
  return `<p><a href="${escape(url)}">Transmettre mon quotient familial à ${escape(collectivityName)}</a> : en 4 minutes, avec FranceConnect, sans attestation à fournir.</p>`;
}

export async function posterPdf(url: string, collectivityName: string): Promise<Buffer> {
  const doc = await newPdfDocument({
    size: 'A4',
    margins: { top: 72, bottom: 56, left: 64, right: 64 },
    tagged: true,
    lang: 'fr-FR',
    displayTitle: true,
    pdfVersion: '1.7',
    info: { Title: toWinAnsiText(`Quotient familial - ${collectivityName}`), Creator: 'Formulaire QF', Producer: 'Formulaire QF' },
  });
  const done = collect(doc);
  const width = doc.page.width - 128;
  const root = doc.struct('Document');
  doc.addStructure(root);
  const text = (role: 'H1' | 'P', value: string, size: number, options: PDFKit.Mixins.TextOptions = {}) => {
    root.add(doc.struct(role, {}, () => doc.fontSize(size).text(toWinAnsiText(value), { width, align: 'center', ...options })));
  };
  doc.font('Helvetica-Bold');
  text('H1', `${collectivityName} : votre tarif de cantine et de périscolaire selon vos ressources`, 26);
  doc.moveDown(1).font('Helvetica');
  text('P', 'Transmettez votre quotient familial (CAF ou MSA) à la commune, en ligne, en 4 minutes, sans attestation à fournir.', 15);
  doc.moveDown(1.5);
  const size = 260;
  const png = await qrPng(url);
  const x = (doc.page.width - size) / 2;
  root.add(doc.struct('Figure', { alt: toWinAnsiText(`QR code menant à ${url}`) }, () => doc.image(png, x, doc.y, { width: size, height: size })));
  doc.y += size + 24;
  text('P', 'Scannez ce code avec votre téléphone, ou allez sur :', 13);
  doc.moveDown(0.5).font('Helvetica-Bold');
  text('P', url, 13);
  doc.moveDown(1.5).font('Helvetica');
  text('P', 'Connectez-vous avec FranceConnect (impots.gouv.fr, ameli.fr, La Poste…), relisez vos informations, puis transmettez-les. Sans FranceConnect, adressez-vous à l’accueil de la mairie.', 12);
  root.end();
  doc.end();
  return done;
}
