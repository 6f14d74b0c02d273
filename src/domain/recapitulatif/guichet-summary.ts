import { frenchDate, formatParisDateTime } from '../formulaire-qf/pdf-content.ts';
import { monthYear, NOT_GIVEN, providerShort, qfAmount } from '../qf-in-words.ts';
import type { PersonReading, QuotientFamilialReading } from '../quotient-familial.ts';
import { buildSectionsPdf } from './sections-pdf.ts';

/**
 * The Guichet QF's printable summary, for the agent's own file: which commune asked, when, which agent, from which
 * source, and what API Particulier answered. Made from the answer the agent's page carried, never stored.
 */
export interface GuichetSummaryInput {
  collectivityName: string;
  agentName: string;
  answeredAt: Date;
  requestId: string | null;
  reading: QuotientFamilialReading;
}

/** "CAF" or "MSA", as agents say it (API Particulier says CNAF for the CAF). */
export function fundShort(fournisseur: string | null): string {
  return fournisseur === 'CNAF' ? 'CAF' : providerShort(fournisseur);
}

export function personInWords(person: PersonReading): string {
  const name = [person.prenoms, person.nomNaissance].filter((part) => part !== null).join(' ') || NOT_GIVEN;
  const usage = person.nomUsage ? `, nom d’usage ${person.nomUsage}` : '';
  const born = person.dateNaissance === null ? '' : `, né(e) le ${frenchDate(person.dateNaissance)}`;
  return `${name}${usage}${born}`;
}

function people(list: readonly PersonReading[] | null, none: string): string[] {
  if (list === null) return [`${NOT_GIVEN} (le jeton de la commune n’a pas ce droit).`];
  return list.length === 0 ? [none] : list.map(personInWords);
}

export function guichetSummaryLines(input: GuichetSummaryInput): { heading: string; lines: string[] }[] {
  const qf = input.reading.qf;
  return [
    {
      heading: 'Consultation',
      lines: [
        `Commune : ${input.collectivityName}`,
        `Date : ${formatParisDateTime(input.answeredAt)}`,
        `Agent : ${input.agentName}`,
        `Source : API Particulier (mode identité), données ${qf ? `de la ${fundShort(qf.fournisseur)}` : 'de la CAF ou de la MSA'}${input.requestId ? ` ; référence de la réponse ${input.requestId}` : ''}`,
      ],
    },
    {
      heading: 'Quotient familial',
      lines: qf
        ? [
            `Valeur : ${qfAmount(qf.valeur)} par mois`,
            `Pour : ${monthYear(qf.mois, qf.annee)}`,
            `Calculé par : la ${fundShort(qf.fournisseur)}, en ${monthYear(qf.moisCalcul, qf.anneeCalcul)}`,
          ]
        : ['Aucune valeur de quotient familial n’a été communiquée.'],
    },
    { heading: 'Allocataires', lines: people(input.reading.allocataires, 'Aucun allocataire communiqué.') },
    { heading: 'Enfants', lines: people(input.reading.enfants, 'Aucun enfant rattaché au dossier.') },
    {
      heading: 'Conservation',
      lines: ['Formulaire QF n’a rien gardé de cette consultation, hormis sa trace (agent, date, code de réponse) dans le journal de la commune.'],
    },
  ];
}

export function buildGuichetSummaryPdf(input: GuichetSummaryInput): Promise<Buffer> {
  return buildSectionsPdf({
    title: 'Consultation du quotient familial',
    subtitle: `Guichet QF de ${input.collectivityName}`,
    documentTitle: `Quotient familial consulté par ${input.collectivityName}`,
    createdAt: input.answeredAt,
    sections: guichetSummaryLines(input),
  });
}
