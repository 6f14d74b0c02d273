import type { Gender } from '../identite-pivot.ts';
import { readQuotientFamilial, type PersonReading } from '../quotient-familial.ts';
import type { FormulaireQfInput } from './input.ts';

/**
 * What the PDF says, as data (§4 of the payload contract): every fact of the existing file, with the same
 * French labels so that agents used to it find them, plus a title, the commune, the date and the reference.
 * Kept apart from the drawing so that the wording can be reviewed and tested without reading a PDF.
 */
export type PdfBlock =
  | { readonly kind: 'title'; readonly text: string }
  | { readonly kind: 'summary'; readonly lines: readonly string[] }
  | { readonly kind: 'line'; readonly text: string }
  | { readonly kind: 'section'; readonly heading: string; readonly lines: readonly string[] }
  | { readonly kind: 'household'; readonly heading: string; readonly people: readonly PersonLines[] | 'Aucun' | 'Non communiqué' };

/** One person: the first line carries the list dash, the others align under it. */
export type PersonLines = readonly [first: string, ...rest: string[]];

export const PDF_TITLE = 'Transmission du quotient familial';
const NOT_DISCLOSED = 'non communiqué';

export function formulaireQfPdfContent(input: FormulaireQfInput): readonly PdfBlock[] {
  const { identity } = input;
  // What we understand of API Particulier's answer; the JSON and XML carry the answer itself.
  const data = readQuotientFamilial(input.quotientFamilial);
  const qf = data.qf;
  return [
    { kind: 'title', text: PDF_TITLE },
    {
      kind: 'summary',
      lines: [
        `Collectivité destinataire: ${input.collectivity.name}`,
        `Date de transmission: ${formatParisDateTime(input.transmittedAt)}`,
        `Référence de la démarche: ${input.reference}`,
      ],
    },
    { kind: 'line', text: `Identifiant éditeur (optionnel): ${input.externalId ?? ''}` },
    {
      kind: 'section',
      heading: 'Identité pivot:',
      lines: [
        `Code Insee pays de naissance: ${identity.birthcountry}`,
        `Code Insee lieu de naissance: ${identity.birthplace ?? ''}`,
        `Date de naissance: ${frenchDate(identity.birthdate)}`,
        `Nom de naissance: ${identity.family_name}`,
        `Prénoms: ${identity.given_name}`,
        `Sexe: ${sexeLetter(identity.gender)}`,
      ],
    },
    {
      kind: 'section',
      heading: 'Quotient familial:',
      lines: [
        `Régime: ${qf?.fournisseur ?? NOT_DISCLOSED}`,
        `Année: ${qf?.annee ?? NOT_DISCLOSED}`,
        `Mois: ${qf?.mois ?? NOT_DISCLOSED}`,
        `Quotient familial: ${qf?.valeur ?? NOT_DISCLOSED}`,
      ],
    },
    household('Allocataires:', data.allocataires),
    household('Enfants:', data.enfants),
  ];
}

/** "Aucun" for an empty list, as the existing file; a list masked by scopes must not read as empty. */
function household(heading: string, people: readonly PersonReading[] | null): PdfBlock {
  if (people === null) return { kind: 'household', heading, people: 'Non communiqué' };
  if (people.length === 0) return { kind: 'household', heading, people: 'Aucun' };
  return { kind: 'household', heading, people: people.map(personLines) };
}

function personLines(personne: PersonReading): PersonLines {
  return [
    `Nom de naissance: ${personne.nomNaissance ?? ''}`,
    `Nom d'usage: ${personne.nomUsage ?? ''}`,
    `Prénoms: ${personne.prenoms ?? ''}`,
    `Date de naissance: ${personne.dateNaissance === null ? '' : frenchDate(personne.dateNaissance)}`,
    `Sexe: ${personne.sexe ?? ''}`,
  ];
}

/**
 * The existing file prints F or M, like API Particulier's `sexe`. FranceConnect's third value
 * ("unspecified", RNIPP's I) was printed as M there; we print I rather than a wrong sex.
 */
export function sexeLetter(gender: Gender): 'F' | 'M' | 'I' {
  return gender === 'female' ? 'F' : gender === 'male' ? 'M' : 'I';
}

/** YYYY-MM-DD → DD/MM/YYYY; anything else is shown as received rather than guessed at. */
export function frenchDate(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  return match ? `${match[3]}/${match[2]}/${match[1]}` : isoDate;
}

const PARIS_DATE_TIME = new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** "26/11/2026 à 12:30 (heure de Paris)": communes read local time, whatever the server's zone. */
export function formatParisDateTime(date: Date): string {
  const parts = PARIS_DATE_TIME.formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('day')}/${part('month')}/${part('year')} à ${part('hour')}:${part('minute')} (heure de Paris)`;
}
