import type { Gender } from '../identite-pivot.ts';
import { communeName } from '../places/communes.ts';
import { countryName } from '../places/countries.ts';
import { monthYear, providerShort, qfAmount } from '../qf-in-words.ts';
import { readQuotientFamilial, type PersonReading } from '../quotient-familial.ts';
import { groupedShipmentReference } from '../shipment-reference.ts';
import type { FormulaireQfInput } from './input.ts';

/**
 * What the PDF says, as data (§4 of the payload contract), laid out for an agent who must read it in five
 * seconds: the QF first and large (value, month, caisse, date of calculation) with its source, then the applicant,
 * then the household in a table. Every fact of the former file is still there, places by their names with the
 * INSEE code beside them. Kept apart from the drawing so that the wording can be reviewed and tested without a PDF.
 */
export type PdfBlock =
  | { readonly kind: 'title'; readonly text: string; readonly subtitle: string }
  /** A line the agent must not miss, right under the title (a family transmitting again). */
  | { readonly kind: 'notice'; readonly text: string }
  | { readonly kind: 'qf'; readonly value: string; readonly facts: readonly string[]; readonly source: string }
  | { readonly kind: 'section'; readonly heading: string; readonly rows: readonly (readonly [label: string, value: string])[] }
  | { readonly kind: 'household'; readonly heading: string; readonly people: readonly PersonRow[] | 'Aucun' | 'Non communiqué' };

/** One person, in the order of HOUSEHOLD_COLUMNS. */
export type PersonRow = readonly [nomNaissance: string, nomUsage: string, prenoms: string, dateNaissance: string, sexe: string];

export const HOUSEHOLD_COLUMNS = ['Nom de naissance', "Nom d'usage", 'Prénoms', 'Date de naissance', 'Sexe'] as const;

export const PDF_TITLE = 'Transmission du quotient familial';
export const TEST_PDF_TITLE = 'DOSSIER DE TEST - quotient familial';
const NOT_DISCLOSED = 'non communiqué';

export function formulaireQfPdfContent(input: FormulaireQfInput): readonly PdfBlock[] {
  const { identity } = input;
  // What we understand of API Particulier's answer; the JSON and XML carry the answer itself.
  const data = readQuotientFamilial(input.quotientFamilial);
  const qf = data.qf;
  const when = formatParisDateTime(input.transmittedAt);
  return [
    input.test
      ? { kind: 'title', text: TEST_PDF_TITLE, subtitle: `Personne fictive, envoyée à ${input.collectivity.name} le ${when} pour essayer la réception : ne pas traiter.` }
      : { kind: 'title', text: PDF_TITLE, subtitle: `à ${input.collectivity.name}, le ${when}` },
    ...(input.previousTransmissionAt ? [repeatNotice(input.previousTransmissionAt)] : []),
    qf
      ? {
          kind: 'qf',
          value: `Quotient familial : ${qfAmount(qf.valeur)}`,
          facts: [
            `Mois : ${monthYear(qf.mois, qf.annee)}${qf.mois !== null && qf.annee !== null ? ` (${qf.mois}/${qf.annee})` : ''}`,
            `Régime : ${qf.fournisseur === 'MSA' ? 'MSA' : qf.fournisseur === 'CNAF' ? 'CAF (CNAF)' : (qf.fournisseur ?? NOT_DISCLOSED)}`,
            `Calculé en : ${monthYear(qf.moisCalcul, qf.anneeCalcul)}`,
            ...data.missing.map((line) => `À noter : ${line}`),
          ],
          source: `Source : ${providerShort(qf.fournisseur)} via API Particulier, le ${when}`,
        }
      : { kind: 'qf', value: `Quotient familial : ${NOT_DISCLOSED}`, facts: [], source: `Source : API Particulier, le ${when}` },
    {
      kind: 'section',
      heading: 'Demandeur (identité pivot FranceConnect)',
      rows: [
        ['Nom de naissance', identity.family_name],
        ['Prénoms', identity.given_name],
        ['Sexe', sexeWord(identity.gender)],
        ['Date de naissance', frenchDate(identity.birthdate)],
        ['Lieu de naissance', identity.birthplace === null ? NOT_DISCLOSED : identity.birthplace === '' ? 'hors de France' : `${communeName(identity.birthplace)}, code Insee ${identity.birthplace}`],
        ['Pays de naissance', `${countryName(identity.birthcountry)}, code Insee ${identity.birthcountry}`],
      ],
    },
    household('Allocataires', data.allocataires),
    household('Enfants', data.enfants),
    {
      kind: 'section',
      heading: 'Démarche',
      rows: [
        ['Collectivité destinataire', input.collectivity.name],
        ['Date de transmission', when],
        ['Référence de la démarche', groupedShipmentReference(input.reference)],
        ['Identifiant éditeur (optionnel)', input.externalId ?? 'aucun'],
      ],
    },
  ];
}

/** The earlier folder may still be in the commune's inbox: this one is the newer data of the same family. */
export function repeatNotice(previousTransmissionAt: Date): PdfBlock {
  return {
    kind: 'notice',
    text: `Cette famille a déjà transmis ses données le ${formatParisDateTime(previousTransmissionAt)}.`,
  };
}

/** The footer of every page: the reference, so that a printed page finds its folder again. */
export function pdfFooter(input: Pick<FormulaireQfInput, 'reference'>, page: number, pages: number): string {
  return `Formulaire QF - référence ${groupedShipmentReference(input.reference)} - page ${page}/${pages}`;
}

/** "Aucun" for an empty list, as the existing file; a list masked by scopes must not read as empty. */
function household(heading: string, people: readonly PersonReading[] | null): PdfBlock {
  if (people === null) return { kind: 'household', heading, people: 'Non communiqué' };
  if (people.length === 0) return { kind: 'household', heading, people: 'Aucun' };
  return { kind: 'household', heading, people: people.map(personRow) };
}

function personRow(personne: PersonReading): PersonRow {
  return [
    personne.nomNaissance ?? '',
    personne.nomUsage ?? '',
    personne.prenoms ?? '',
    personne.dateNaissance === null ? '' : frenchDate(personne.dateNaissance),
    personne.sexe ?? '',
  ];
}

/** "Féminin (F)": the word, and the letter of the former file that agents know. */
function sexeWord(gender: Gender): string {
  const letter = sexeLetter(gender);
  return letter === 'F' ? 'Féminin (F)' : letter === 'M' ? 'Masculin (M)' : 'Non précisé (I)';
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
