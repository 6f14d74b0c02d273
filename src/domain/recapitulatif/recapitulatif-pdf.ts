import { collect, newPdfDocument } from '../pdf-document.ts';
import { formatParisDateTime } from '../formulaire-qf/pdf-content.ts';
import { toWinAnsiText } from '../formulaire-qf/windows-1252.ts';
import { monthYear, providerName, qfAmount } from '../qf-in-words.ts';
import type { QfValueReading } from '../quotient-familial.ts';
import { groupedShipmentReference } from '../shipment-reference.ts';

/** What the family's récapitulatif states: what was sent, to whom, when, and how to follow it. */
export interface RecapitulatifInput {
  reference: string;
  collectivityName: string;
  transmittedAt: Date;
  applicant: string;
  quotientFamilial: QfValueReading | null;
  children: readonly string[];
  followUpUrl: string;
}

/** The récapitulatif's text, line by line (kept apart from the drawing so that it can be read in a test). */
export function recapitulatifLines(input: RecapitulatifInput): { heading: string; lines: string[] }[] {
  const qf = input.quotientFamilial;
  return [
    {
      heading: 'Votre démarche',
      lines: [
        `Identifiant : ${groupedShipmentReference(input.reference)}`,
        `Transmise à : ${input.collectivityName}`,
        `Le : ${formatParisDateTime(input.transmittedAt)}`,
      ],
    },
    {
      heading: 'Ce qui a été transmis',
      lines: [
        `Votre identité, telle que FranceConnect l’a transmise : ${input.applicant}`,
        qf
          ? `Votre quotient familial : ${qfAmount(qf.valeur)} par mois, pour ${monthYear(qf.mois, qf.annee)}, calculé par ${providerName(qf.fournisseur)} en ${monthYear(qf.moisCalcul, qf.anneeCalcul)}`
          : 'Aucune valeur de quotient familial n’a été communiquée par votre caisse.',
        input.children.length > 0 ? `Les enfants de votre dossier : ${input.children.join(', ')}` : 'Aucun enfant n’est rattaché à votre dossier.',
      ],
    },
    {
      heading: 'Suivre votre démarche',
      lines: [
        `À tout moment, sur ${input.followUpUrl}`,
        `Si vous contactez ${input.collectivityName}, donnez-lui cet identifiant.`,
        'Notre service ne garde ni votre identité ni votre quotient familial : seulement l’identifiant, la collectivité, les dates et l’état d’avancement.',
      ],
    },
  ];
}

/** The récapitulatif as a one-page PDF (standard Helvetica, nothing embedded), made on request from the journey. */
export async function buildRecapitulatifPdf(input: RecapitulatifInput): Promise<Buffer> {
  const doc = await newPdfDocument({
    size: 'A4',
    margins: { top: 56, bottom: 56, left: 56, right: 56 },
    tagged: true,
    lang: 'fr-FR',
    displayTitle: true,
    info: { Title: `Récapitulatif de la démarche ${input.reference}`, Creator: 'Formulaire QF', Producer: 'Formulaire QF', CreationDate: input.transmittedAt },
  });
  const done = collect(doc);
  const text = (value: string) => toWinAnsiText(value);
  doc.font('Helvetica-Bold').fontSize(9).text(text('RÉPUBLIQUE FRANÇAISE'));
  doc.moveDown(1);
  doc.font('Helvetica-Bold').fontSize(18).text(text('Récapitulatif de votre démarche'));
  doc.font('Helvetica').fontSize(11).fillColor('#3a3a3a').text(text('Transmission du quotient familial'));
  doc.fillColor('black').moveDown(1);
  for (const section of recapitulatifLines(input)) {
    doc.font('Helvetica-Bold').fontSize(12).text(text(section.heading));
    doc.moveDown(0.3);
    for (const line of section.lines) doc.font('Helvetica').fontSize(11).text(text(line)).moveDown(0.2);
    doc.moveDown(0.8);
  }
  doc.end();
  return done;
}
