import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Gender, IdentitePivot } from '../domain/identite-pivot.ts';
import type { IdentityParams } from '../integrations/api-particulier/client.ts';
import { identityParamsFromPivot } from '../integrations/api-particulier/identity-params.ts';
import { parseCsv } from './csv.ts';
import { listPulledCases } from './hubee-pull.ts';

/**
 * The people whose QF a commune refreshes (step 4 of the service): from the folders `hubee pull` wrote (the
 * identité pivot of each FormulaireQF.json), or from a CSV whose columns are API Particulier's parameter names.
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
export interface IdentityProblem {
  statut: 'ligne_incomplete' | 'identite_inutilisable' | 'fichier_illisible';
  champ: string | null;
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

export async function identitiesFromPulledCases(directory: string): Promise<IdentityRow[]> {
  const rows: IdentityRow[] = [];
  for (const { folder, pulled } of await listPulledCases(directory)) {
    const id = pulled.externalId ?? pulled.caseId;
    try {
      const json = JSON.parse(await readFile(join(folder, 'FormulaireQF.json'), 'utf8')) as { external_id?: string | null; pivot_identity?: Record<string, string> };
      const p = json.pivot_identity ?? {};
      const pivot: IdentitePivot = {
        given_name: p.given_name ?? '',
        given_name_array: (p.given_name ?? '').split(' ').filter(Boolean),
        family_name: p.family_name ?? '',
        birthdate: p.birthdate ?? '',
        gender: (p.gender ?? 'unspecified') as Gender,
        birthplace: p.birthplace ?? '',
        birthcountry: p.birthcountry ?? '',
      };
      const params = identityParamsFromPivot(pivot);
      rows.push({ id, externalId: json.external_id ?? null, params, problem: params ? null : { statut: 'identite_inutilisable', champ: 'gender' } });
    } catch {
      rows.push({ id, externalId: null, params: null, problem: { statut: 'fichier_illisible', champ: 'FormulaireQF.json' } });
    }
  }
  return rows;
}

export function identitiesFromCsv(text: string): IdentityRow[] {
  return parseCsv(text).map((record, index) => {
    const id = record.id || `ligne-${index + 2}`;
    const number = (value: string | undefined) => (value && /^\d+$/.test(value) ? Number(value) : undefined);
    const sexe = record.sexeEtatCivil?.toUpperCase();
    const prenoms = (record.prenoms ?? '').split(/\s+/).filter(Boolean).slice(0, 3);
    const missing = [
      ...(record.nomNaissance ? [] : ['nomNaissance']),
      ...(prenoms.length > 0 ? [] : ['prenoms']),
      ...(sexe === 'M' || sexe === 'F' ? [] : ['sexeEtatCivil']),
      ...(record.codeCogInseePaysNaissance ? [] : ['codeCogInseePaysNaissance']),
    ];
    if (!record.nomNaissance || prenoms.length === 0 || (sexe !== 'M' && sexe !== 'F') || !record.codeCogInseePaysNaissance) {
      return { id, externalId: null, params: null, problem: { statut: 'ligne_incomplete', champ: missing.join(' ') } };
    }
    const optional = {
      nomUsage: record.nomUsage || undefined,
      anneeDateNaissance: number(record.anneeDateNaissance),
      moisDateNaissance: number(record.moisDateNaissance),
      jourDateNaissance: number(record.jourDateNaissance),
      codeCogInseeCommuneNaissance: record.codeCogInseeCommuneNaissance || undefined,
      nomCommuneNaissance: record.nomCommuneNaissance || undefined,
      codeCogInseeDepartementNaissance: record.codeCogInseeDepartementNaissance || undefined,
    };
    const params: IdentityParams = {
      nomNaissance: record.nomNaissance,
      prenoms,
      sexeEtatCivil: sexe,
      codeCogInseePaysNaissance: record.codeCogInseePaysNaissance,
      ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
    };
    return { id, externalId: null, params, problem: null };
  });
}

