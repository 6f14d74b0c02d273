import { createApiParticulierClient, type ApiParticulierError, type IdentityParams, type QuotientFamilialResult } from '../integrations/api-particulier/client.ts';

/**
 * `qf lookup`: one person's QF in identity mode, for a counter agent whose visitor has no FranceConnect (step 5 of
 * the service). The parameters are the contract's (§1.1); the errors are said in French, with what to do.
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

export type LookupProblem = { field: string; message: string };

/** Checks what API Particulier would refuse, before calling it (§1.1 rules, siade's validation order). */
export function checkLookupQuery(query: Partial<LookupQuery>, today: Date = new Date()): LookupProblem[] {
  const problems: LookupProblem[] = [];
  const name = /^[a-zA-ZÀ-ÖØ-öø-ÿ' -]+$/;
  if (!query.recipient || !/^[0-9]{14}$/.test(query.recipient)) problems.push({ field: 'recipient', message: 'Le SIRET de la collectivité (14 chiffres) est obligatoire.' });
  if (!query.token) problems.push({ field: 'api-particulier-token', message: 'Le jeton API Particulier de la collectivité est obligatoire.' });
  if (!query.nomNaissance || !name.test(query.nomNaissance)) problems.push({ field: 'nom-naissance', message: 'Le nom de naissance est obligatoire (lettres, espaces, tirets et apostrophes).' });
  const prenoms = query.prenoms ?? [];
  if (prenoms.length === 0 || prenoms.length > 3 || prenoms.some((p) => !name.test(p))) problems.push({ field: 'prenoms', message: 'Un à trois prénoms sont obligatoires (lettres, espaces, tirets et apostrophes).' });
  if (query.nomUsage !== undefined && !name.test(query.nomUsage)) problems.push({ field: 'nom-usage', message: 'Le nom d’usage ne peut contenir que des lettres, espaces, tirets et apostrophes.' });
  if (query.sexeEtatCivil !== 'M' && query.sexeEtatCivil !== 'F') problems.push({ field: 'sexe', message: 'Le sexe à l’état civil est obligatoire : M ou F.' });
  if (!query.codeCogInseePaysNaissance || !/^99[0-9]{3}$/.test(query.codeCogInseePaysNaissance)) problems.push({ field: 'pays-naissance', message: 'Le code COG du pays de naissance comporte 5 chiffres (France : 99100).' });
  const bornInFrance = query.codeCogInseePaysNaissance === '99100';
  if (query.codeCogInseeCommuneNaissance !== undefined && !/^[0-9][0-9AB][0-9]{3}$/.test(query.codeCogInseeCommuneNaissance)) problems.push({ field: 'commune-naissance', message: 'Le code COG de la commune de naissance comporte 5 caractères (ex. 75107, 2A004).' });
  if (bornInFrance && !query.codeCogInseeCommuneNaissance && !query.nomCommuneNaissance) {
    problems.push({ field: 'commune-naissance', message: 'Pour une personne née en France, donnez le code COG de la commune de naissance, ou son nom avec le département et l’année de naissance.' });
  }
  if (query.nomCommuneNaissance !== undefined && (!query.codeCogInseeDepartementNaissance || query.anneeDateNaissance === undefined)) {
    problems.push({ field: 'nom-commune-naissance', message: 'Le nom de la commune de naissance va avec le département de naissance et l’année de naissance.' });
  }
  if (query.codeCogInseeDepartementNaissance !== undefined && !/^[0-9][0-9AB][0-9]?$/.test(query.codeCogInseeDepartementNaissance)) problems.push({ field: 'departement-naissance', message: 'Le département de naissance comporte 2 ou 3 caractères (ex. 92, 2A, 971).' });
  const { anneeDateNaissance: y, moisDateNaissance: m, jourDateNaissance: d } = query;
  if (y !== undefined && m !== undefined && d !== undefined) {
    const date = new Date(Date.UTC(y, m - 1, d));
    if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) problems.push({ field: 'date-naissance', message: 'La date de naissance n’existe pas.' });
  }
  if (query.annee !== undefined && (query.annee > today.getFullYear() || query.annee < today.getFullYear() - 2)) problems.push({ field: 'annee', message: `L’année du QF va de ${today.getFullYear() - 2} à ${today.getFullYear()}.` });
  if (query.mois !== undefined && (query.mois < 1 || query.mois > 12)) problems.push({ field: 'mois', message: 'Le mois du QF va de 1 à 12.' });
  return problems;
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

export async function lookupQuotientFamilial(query: LookupQuery): Promise<QuotientFamilialResult> {
  const { token, recipient, apiUrl, timeoutMs, ...rest } = query;
  const client = createApiParticulierClient({ baseUrl: apiUrl.replace(/\/+$/, ''), timeoutMs: timeoutMs ?? 10_000 });
  return client.fetchQuotientFamilialByIdentity({ ...rest, token, recipient });
}

/** What went wrong and what to do, in the counter agent's words. */
export function describeLookupError(error: ApiParticulierError): string {
  const code = error.code ? ` (code ${error.code})` : '';
  switch (error.kind) {
    case 'not_found': {
      // Each code names the one body that looked: 23003 the CAF, 10003 the MSA (contract §3).
      const who = error.code === '23003' ? 'La CAF ne trouve pas de dossier allocataire pour cette personne' : error.code === '10003' ? 'La MSA ne trouve pas de dossier allocataire pour cette personne' : 'Aucun dossier allocataire n’est trouvé pour cette personne';
      return `${who}${code}. Vérifiez l’orthographe du nom de naissance et des prénoms, la date et le lieu de naissance ; l’identité doit être celle de l’allocataire, pas d’un enfant.`;
    }
    case 'invalid_request': {
      const fields = error.errors.map((e) => e.parameter).filter((p): p is string => p !== null);
      return `API Particulier refuse la demande${code} : ${error.detail ?? 'paramètre invalide'}${fields.length > 0 ? ` (${fields.join(', ')})` : ''}. Corrigez la saisie.`;
    }
    case 'unauthorized':
      return `Le jeton API Particulier est invalide ou expiré${code}. Demandez-en un nouveau sur l’espace API Particulier de la collectivité.`;
    case 'forbidden':
      return `Ce jeton n’a pas accès au quotient familial${code}. Vérifiez l’habilitation de la collectivité.`;
    case 'rate_limited':
      return `Trop de demandes en peu de temps${code}. Attendez ${error.retryAfterSeconds ?? 60} secondes avant de réessayer.`;
    case 'provider_unavailable':
    case 'provider_timeout':
      return `La CAF ou la MSA ne répond pas pour le moment${code}. Réessayez dans quelques minutes, ou demandez une attestation de QF à la famille.`;
    case 'timeout':
    case 'unreachable':
      return 'API Particulier ne répond pas. Vérifiez la connexion, puis réessayez dans quelques minutes.';
    case 'unexpected':
      return `Réponse inattendue d’API Particulier (HTTP ${error.status})${code}. Réessayez plus tard ; si cela continue, signalez-le avec l’identifiant de requête ${error.requestId ?? 'absent'}.`;
  }
}
