import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Gender, IdentitePivot } from '../domain/identite-pivot.ts';
import type { IdentityParams } from '../integrations/api-particulier/client.ts';
import { identityParamsFromPivot } from '../integrations/api-particulier/identity-params.ts';
import { parseCsvWithLines } from './csv.ts';
import { listPulledCases } from './hubee-pull.ts';
import { checkLookupQuery } from './qf-lookup.ts';

/**
 * The people whose QF a commune refreshes (step 4 of the service): from the folders `hubee pull` wrote (the
 * identité pivot of each FormulaireQF.json), or from a CSV whose columns are API Particulier's parameter names.
 * `qf refresh` and the espace's Mise à jour annuelle read them with the same functions below.
 */
export interface IdentityRow {
  /** The commune's key for this person: the case's external id for a pulled folder, the `id` column of a CSV. */
  id: string;
  /** The commune's own file number when the form passed one (pulled folders). */
  externalId: string | null;
  /** Null when the identity cannot be sent (`problem` says why). */
  params: IdentityParams | null;
  problem: IdentityProblem | null;
}

/** Why a row was not sent, and the column or field at fault when one is. */
export type IdentityProblemStatus = 'ligne_incomplete' | 'ligne_invalide' | 'identite_inutilisable' | 'fichier_illisible';

export interface IdentityProblem {
  statut: IdentityProblemStatus;
  champ: string | null;
}

/** One identity read from a file, with what is wrong with it in French (empty when it can be sent). */
export interface ReadIdentity {
  id: string | null;
  externalId: string | null;
  params: IdentityParams | null;
  /** Why it cannot be sent (null when it can); `messages` says it in French. */
  problem: IdentityProblemStatus | null;
  /** The columns at fault, when the problem is an empty one (`ligne_incomplete`). */
  field?: string;
  messages: string[];
}

export const CSV_COLUMNS = [
  'id',
  'nomNaissance',
  'nomUsage',
  'prenoms',
  'sexeEtatCivil',
  'anneeDateNaissance',
  'moisDateNaissance',
  'jourDateNaissance',
  'codeCogInseePaysNaissance',
  'codeCogInseeCommuneNaissance',
  'nomCommuneNaissance',
  'codeCogInseeDepartementNaissance',
] as const;

/** Without these a line cannot name anyone: a file lacking one of them is refused as a whole. */
export const REQUIRED_CSV_COLUMNS = ['nomNaissance', 'prenoms', 'sexeEtatCivil', 'codeCogInseePaysNaissance'] as const;

export async function identitiesFromPulledCases(directory: string): Promise<IdentityRow[]> {
  const rows: IdentityRow[] = [];
  for (const { folder, pulled } of await listPulledCases(directory)) {
    const id = pulled.externalId ?? pulled.caseId;
    try {
      const read = identityFromFormulaireQfJson(JSON.parse(await readFile(join(folder, 'FormulaireQF.json'), 'utf8')));
      rows.push({ id, externalId: read.externalId, params: read.params, problem: read.problem ? { statut: read.problem, champ: read.field ?? null } : null });
    } catch {
      rows.push({ id, externalId: null, params: null, problem: { statut: 'fichier_illisible', champ: 'FormulaireQF.json' } });
    }
  }
  return rows;
}

/** The identité pivot of a `FormulaireQF.json` (parsed), as the identity route's parameters. */
export function identityFromFormulaireQfJson(json: unknown): ReadIdentity {
  const object = typeof json === 'object' && json !== null ? (json as { external_id?: unknown; pivot_identity?: unknown }) : {};
  const externalId = typeof object.external_id === 'string' ? object.external_id : null;
  const raw = typeof object.pivot_identity === 'object' && object.pivot_identity !== null ? (object.pivot_identity as Record<string, unknown>) : null;
  if (!raw) return { id: externalId, externalId, params: null, problem: 'identite_inutilisable', messages: ['Ce fichier ne contient pas d’identité pivot (pivot_identity) : est-ce bien un FormulaireQF.json ?'] };
  const text = (key: string) => (typeof raw[key] === 'string' ? (raw[key] as string) : '');
  const pivot: IdentitePivot = {
    given_name: text('given_name'),
    given_name_array: text('given_name').split(' ').filter(Boolean),
    family_name: text('family_name'),
    birthdate: text('birthdate'),
    gender: (text('gender') || 'unspecified') as Gender,
    birthplace: text('birthplace'),
    birthcountry: text('birthcountry'),
  };
  const params = identityParamsFromPivot(pivot);
  if (!params) {
    return { id: externalId, externalId, params: null, problem: 'identite_inutilisable', messages: ['Le sexe à l’état civil n’est pas connu (FranceConnect ne l’a pas précisé) : API Particulier ne peut pas chercher cette personne par son identité.'] };
  }
  const messages = identityProblems(params);
  return { id: externalId, externalId, params: messages.length === 0 ? params : null, problem: messages.length === 0 ? null : 'identite_inutilisable', messages };
}

export function identitiesFromCsv(text: string): IdentityRow[] {
  return readIdentityCsv(text).map(({ line, identity }) => ({ id: identity.id ?? `ligne-${line}`, externalId: null, params: identity.params, problem: identity.problem ? { statut: identity.problem, champ: identity.field ?? null } : null }));
}

/** Each line of a CSV of identities with the line of the file it starts on (1 is the header). */
export function readIdentityCsv(text: string): { line: number; identity: ReadIdentity }[] {
  return parseCsvWithLines(text).map(({ line, record }) => ({ line, identity: identityFromCsvRecord(record) }));
}

/** The header's names, as a CSV of identities needs them: the required columns it lacks. */
export function missingCsvColumns(text: string): string[] {
  const header = (text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '').split(/[;,]/).map((h) => h.trim().replace(/^"|"$/g, ''));
  return REQUIRED_CSV_COLUMNS.filter((column) => !header.includes(column));
}

/**
 * The identity's part of `qf lookup`'s check: the same rules and words for `qf lookup`, `qf refresh` and the
 * espace's Mise à jour annuelle. The collectivity's SIRET and token are the caller's, checked elsewhere.
 */
function identityProblems(params: Partial<IdentityParams>): string[] {
  return checkLookupQuery(params)
    .filter((p) => p.field !== 'recipient' && p.field !== 'api-particulier-token')
    .map((p) => p.message);
}

function identityFromCsvRecord(record: Record<string, string>): ReadIdentity {
  const number = (value: string | undefined) => (value && /^\d+$/.test(value) ? Number(value) : undefined);
  const sexe = record.sexeEtatCivil?.toUpperCase();
  const optional = {
    nomUsage: record.nomUsage || undefined,
    anneeDateNaissance: number(record.anneeDateNaissance),
    moisDateNaissance: number(record.moisDateNaissance),
    jourDateNaissance: number(record.jourDateNaissance),
    codeCogInseeCommuneNaissance: record.codeCogInseeCommuneNaissance || undefined,
    nomCommuneNaissance: record.nomCommuneNaissance || undefined,
    codeCogInseeDepartementNaissance: record.codeCogInseeDepartementNaissance || undefined,
  };
  const given: Partial<IdentityParams> = {
    ...(record.nomNaissance ? { nomNaissance: record.nomNaissance } : {}),
    // The API takes at most three first names; the first ones identify best.
    prenoms: (record.prenoms ?? '').split(/\s+/).filter(Boolean).slice(0, 3),
    ...(sexe === 'M' || sexe === 'F' ? { sexeEtatCivil: sexe } : {}),
    ...(record.codeCogInseePaysNaissance ? { codeCogInseePaysNaissance: record.codeCogInseePaysNaissance } : {}),
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
  };
  const id = record.id || null;
  const messages = identityProblems(given);
  for (const [column, value] of [['anneeDateNaissance', record.anneeDateNaissance], ['moisDateNaissance', record.moisDateNaissance], ['jourDateNaissance', record.jourDateNaissance]] as const) {
    if (value && number(value) === undefined) messages.push(`La colonne ${column} attend un nombre.`);
  }
  const { nomNaissance, prenoms, sexeEtatCivil, codeCogInseePaysNaissance } = given;
  if (!nomNaissance || !prenoms || prenoms.length === 0 || !sexeEtatCivil || !codeCogInseePaysNaissance) {
    const missing = [...(nomNaissance ? [] : ['nomNaissance']), ...(prenoms && prenoms.length > 0 ? [] : ['prenoms']), ...(sexeEtatCivil ? [] : ['sexeEtatCivil']), ...(codeCogInseePaysNaissance ? [] : ['codeCogInseePaysNaissance'])];
    return { id, externalId: null, params: null, problem: 'ligne_incomplete', field: missing.join(' '), messages };
  }
  if (messages.length > 0) return { id, externalId: null, params: null, problem: 'ligne_invalide', messages };
  return { id, externalId: null, params: { ...given, nomNaissance, prenoms, sexeEtatCivil, codeCogInseePaysNaissance }, problem: null, messages };
}

