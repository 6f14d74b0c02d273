import { formatParisDateTime } from '../formulaire-qf/pdf-content.ts';
import { monthYear, providerName, qfAmount } from '../qf-in-words.ts';
import type { QfValueReading } from '../quotient-familial.ts';
import { groupedShipmentReference } from '../shipment-reference.ts';
import { buildSectionsPdf } from './sections-pdf.ts';

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
  return buildSectionsPdf({
    title: 'Récapitulatif de votre démarche',
    subtitle: 'Transmission du quotient familial',
    documentTitle: `Récapitulatif de la démarche ${input.reference}`,
    createdAt: input.transmittedAt,
    sections: recapitulatifLines(input),
  });
}
