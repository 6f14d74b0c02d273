import { createApiParticulierClient, type IdentityParams } from '../integrations/api-particulier/client.ts';
import { sharedPacerFor } from '../usecases/api-particulier-pacing.ts';
import { checkIdentity, lookupPaced, type LookupProblem, type PacedLookup } from '../usecases/identity-lookup.ts';

export { describeLookupError, describePacingStop, problemsOfRefusal, type LookupProblem, type PacedLookup } from '../usecases/identity-lookup.ts';

/**
 * `qf lookup`: one person's QF in identity mode, for a counter agent whose visitor has no FranceConnect (step 5 of
 * the service). The same checks, pacing and wording as the Guichet QF of the espace (usecases/identity-lookup.ts).
 */
export interface LookupQuery extends IdentityParams {
  token: string;
  recipient: string;
  apiUrl: string;
  annee?: number;
  mois?: number;
  bypassCache?: boolean;
  timeoutMs?: number;
}

/** A command line can wait for API Particulier's Retry-After; it waits a minute at most. */
const MAX_WAIT_MS = 60_000;

/** Checks what API Particulier would refuse, before calling it: the collectivity's SIRET and token, then the identity. */
export function checkLookupQuery(query: Partial<LookupQuery>, today: Date = new Date()): LookupProblem[] {
  const problems: LookupProblem[] = [];
  if (!query.recipient || !/^[0-9]{14}$/.test(query.recipient)) problems.push({ field: 'recipient', message: 'Le SIRET de la collectivité (14 chiffres) est obligatoire.' });
  if (!query.token) problems.push({ field: 'api-particulier-token', message: 'Le jeton API Particulier de la collectivité est obligatoire.' });
  return [...problems, ...checkIdentity(query, today)];
}

/**
 * Births in Paris, Lyon and Marseille are usually recorded under the arrondissement: when the whole city's code
 * finds nobody, the arrondissement's may. Said only after a failure, since some records do carry the city's code.
 */
const CITIES_WITH_ARRONDISSEMENTS: Readonly<Record<string, string>> = {
  '75056': '75056 est le code de Paris entière : essayez celui de l’arrondissement de naissance, de 75101 (1er) à 75120 (20e).',
  '69123': '69123 est le code de Lyon entière : essayez celui de l’arrondissement de naissance, de 69381 (1er) à 69389 (9e).',
  '13055': '13055 est le code de Marseille entière : essayez celui de l’arrondissement de naissance, de 13201 (1er) à 13216 (16e).',
};

/** What to try when a lookup with this commune of birth failed, or null. */
export function birthplaceHint(codeCogCommune: string | undefined): string | null {
  return codeCogCommune === undefined ? null : (CITIES_WITH_ARRONDISSEMENTS[codeCogCommune] ?? null);
}

export async function lookupQuotientFamilial(query: LookupQuery): Promise<PacedLookup> {
  const { token, recipient, apiUrl, timeoutMs, ...rest } = query;
  const client = createApiParticulierClient({ baseUrl: apiUrl.replace(/\/+$/, ''), timeoutMs: timeoutMs ?? 10_000 });
  return lookupPaced({ client, pacer: sharedPacerFor(token), maxWaitMs: MAX_WAIT_MS }, { ...rest, token, recipient });
}
