import type { ApiParticulierClient, ApiParticulierError, IdentityParams, IdentityQuery, PeriodParams, QuotientFamilialResult } from '../integrations/api-particulier/client.ts';
import { DEFAULT_RETRY_AFTER_MS, type TokenPacer } from './api-particulier-pacing.ts';

/**
 * One person's QF in API Particulier's identity mode (step 5 of the service: a family without FranceConnect at
 * the counter), shared by the Guichet QF of the espace and the `qf lookup` command: the checks of what API
 * Particulier would refuse, the call under the token's pacer, and what to tell the agent when it goes wrong.
 */
export type LookupField =
  | 'recipient'
  | 'api-particulier-token'
  | 'nom-naissance'
  | 'nom-usage'
  | 'prenoms'
  | 'sexe'
  | 'date-naissance'
  | 'pays-naissance'
  | 'commune-naissance'
  | 'nom-commune-naissance'
  | 'departement-naissance'
  | 'annee'
  | 'mois';

export type LookupProblem = { field: LookupField; message: string };

export type IdentityLookup = IdentityParams & Pick<PeriodParams, 'annee' | 'mois'>;

/**
 * What API Particulier would refuse in an identity and a period, before calling it (§1.1). Which characters a
 * name may hold is API Particulier's rule (it also turns typographic apostrophes into plain ones first): it
 * answers a 422 on the parameter, shown on its field, rather than us guessing its rule and drifting from it.
 */
export function checkIdentity(query: Partial<IdentityLookup>, today: Date = new Date()): LookupProblem[] {
  const problems: LookupProblem[] = [];
  if (!query.nomNaissance?.trim()) problems.push({ field: 'nom-naissance', message: 'Le nom de naissance est obligatoire.' });
  const prenoms = query.prenoms ?? [];
  if (prenoms.length === 0 || prenoms.length > 3) problems.push({ field: 'prenoms', message: 'Un à trois prénoms sont obligatoires, dans l’ordre de l’état civil.' });
  if (query.sexeEtatCivil !== 'M' && query.sexeEtatCivil !== 'F') problems.push({ field: 'sexe', message: 'Le sexe à l’état civil est obligatoire : M ou F.' });
  if (!query.codeCogInseePaysNaissance || !/^99[0-9]{3}$/.test(query.codeCogInseePaysNaissance)) problems.push({ field: 'pays-naissance', message: 'Le code COG du pays de naissance comporte 5 chiffres (France : 99100).' });
  const bornInFrance = query.codeCogInseePaysNaissance === '99100';
  if (query.codeCogInseeCommuneNaissance !== undefined && !/^[0-9][0-9AB][0-9]{3}$/.test(query.codeCogInseeCommuneNaissance)) problems.push({ field: 'commune-naissance', message: 'Le code COG de la commune de naissance comporte 5 caractères (ex. 75107, 2A004).' });
  if (bornInFrance && !query.codeCogInseeCommuneNaissance && !query.nomCommuneNaissance) {
    problems.push({ field: 'commune-naissance', message: 'Pour une personne née en France, donnez la commune de naissance (son code COG, ou son nom avec le département et l’année de naissance).' });
  }
  if (query.nomCommuneNaissance !== undefined && (!query.codeCogInseeDepartementNaissance || query.anneeDateNaissance === undefined)) {
    problems.push({ field: 'nom-commune-naissance', message: 'Le nom de la commune de naissance va avec le département de naissance et l’année de naissance.' });
  }
  if (query.codeCogInseeDepartementNaissance !== undefined && !/^[0-9][0-9AB][0-9]?$/.test(query.codeCogInseeDepartementNaissance)) problems.push({ field: 'departement-naissance', message: 'Le département de naissance comporte 2 ou 3 caractères (ex. 92, 2A, 971).' });
  problems.push(...checkBirthDate(query, today));
  if (query.annee !== undefined && (query.annee > today.getFullYear() || query.annee < today.getFullYear() - 2)) problems.push({ field: 'annee', message: `L’année du QF va de ${today.getFullYear() - 2} à ${today.getFullYear()}.` });
  if (query.mois !== undefined && (query.mois < 1 || query.mois > 12)) problems.push({ field: 'mois', message: 'Le mois du QF va de 1 à 12.' });
  return problems;
}

function checkBirthDate(query: Partial<IdentityLookup>, today: Date): LookupProblem[] {
  const { anneeDateNaissance: y, moisDateNaissance: m, jourDateNaissance: d } = query;
  const wrong = (message: string): LookupProblem[] => [{ field: 'date-naissance', message }];
  if (y !== undefined && (y < 1900 || y > today.getFullYear())) return wrong(`L’année de naissance va de 1900 à ${today.getFullYear()}.`);
  if (m !== undefined && (m < 1 || m > 12)) return wrong('Le mois de naissance va de 1 à 12.');
  if (d !== undefined && m === undefined) return wrong('Le jour de naissance va avec le mois de naissance.');
  if (y !== undefined && m !== undefined && d !== undefined) {
    const date = new Date(Date.UTC(y, m - 1, d));
    if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return wrong('La date de naissance n’existe pas.');
  }
  return [];
}

/** API Particulier's parameter names (a 422's `source.parameter`) → the field the agent fills in. */
const FIELD_OF_PARAMETER: Record<string, LookupField> = {
  recipient: 'recipient',
  token: 'api-particulier-token',
  nomNaissance: 'nom-naissance',
  nomUsage: 'nom-usage',
  prenoms: 'prenoms',
  'prenoms[]': 'prenoms',
  sexeEtatCivil: 'sexe',
  anneeDateNaissance: 'date-naissance',
  moisDateNaissance: 'date-naissance',
  jourDateNaissance: 'date-naissance',
  dateNaissance: 'date-naissance',
  codeCogInseePaysNaissance: 'pays-naissance',
  codeCogInseeCommuneNaissance: 'commune-naissance',
  nomCommuneNaissance: 'nom-commune-naissance',
  codeCogInseeDepartementNaissance: 'departement-naissance',
  annee: 'annee',
  mois: 'mois',
};

export function fieldOfParameter(parameter: string | null): LookupField | null {
  return parameter === null ? null : (FIELD_OF_PARAMETER[parameter] ?? null);
}

/** The refused parameters of a 400/422, each on its field with API Particulier's own detail. */
export function problemsOfRefusal(error: ApiParticulierError): LookupProblem[] {
  if (error.kind !== 'invalid_request') return [];
  return error.errors.flatMap((item) => {
    const field = fieldOfParameter(item.parameter);
    return field ? [{ field, message: `API Particulier refuse ce champ : ${item.detail ?? item.title ?? 'valeur invalide'}.` }] : [];
  });
}

/**
 * SNGI could not identify the person: a 422 whose subcode is 560 (35560 for "CNAF & MSA", §3.3), on no parameter.
 * For the agent it is the same news as a 404: nobody by that identity, check what was typed.
 */
export function isUnidentifiedPerson(error: ApiParticulierError): boolean {
  return error.kind === 'not_found' || (error.kind === 'invalid_request' && /^[0-9]{2}560$/.test(error.code ?? ''));
}

/** What went wrong and what to do, in the counter agent's words. */
export function describeLookupError(error: ApiParticulierError): string {
  const code = error.code ? ` (code ${error.code})` : '';
  // Each code names the one body that looked (contract §3): 23003 the CAF, 10003 the MSA; others, both.
  const who = error.code === '23003' ? 'La CAF ne trouve pas de dossier allocataire pour cette personne' : error.code === '10003' ? 'La MSA ne trouve pas de dossier allocataire pour cette personne' : 'La CAF et la MSA ne trouvent pas cette personne';
  const unknown = `${who}${code}. Vérifiez l’orthographe du nom de naissance et des prénoms, la date et le lieu de naissance ; l’identité doit être celle de l’allocataire, pas d’un enfant. Si tout est exact, demandez à la famille une attestation de quotient familial.`;
  if (isUnidentifiedPerson(error)) return unknown;
  switch (error.kind) {
    case 'not_found':
      return unknown;
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

export type PacedLookup =
  | { kind: 'answer'; result: QuotientFamilialResult }
  /** Two 429s in a row: nothing more is sent with this token until `resumeAt`. */
  | { kind: 'stopped'; resumeAt: Date }
  /** API Particulier asked to wait longer than the caller can: try again at `retryAt`. */
  | { kind: 'wait'; retryAt: Date };

/** The French sentence for a lookup that could not be sent. */
export function describePacingStop(outcome: Exclude<PacedLookup, { kind: 'answer' }>): string {
  const at = outcome.kind === 'stopped' ? outcome.resumeAt : outcome.retryAt;
  const time = at.toLocaleTimeString('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return outcome.kind === 'stopped'
    ? `API Particulier a répondu deux fois de suite « trop de requêtes » (429) : les demandes avec le jeton de la collectivité sont arrêtées jusqu’à ${time}, pour ne pas faire bloquer l’accès pendant 12 heures. Réessayez après ${time}.`
    : `API Particulier demande d’attendre avant la prochaine demande (429) : réessayez après ${time}.`;
}

/**
 * One call under the token's pacer: refused while a stop is in force; waits for a pause of up to `maxWaitMs`
 * (Retry-After), else says when to come back; after a 429 waits and asks once more, and a second 429 stops.
 * `onCall` sees each answer that came back (to journal the use of the token).
 */
export async function lookupPaced(
  deps: { client: ApiParticulierClient; pacer: TokenPacer; maxWaitMs: number; now?: () => number; onCall?: (result: QuotientFamilialResult) => Promise<void> },
  query: IdentityQuery,
): Promise<PacedLookup> {
  const now = deps.now ?? Date.now;
  for (;;) {
    const stopped = deps.pacer.stoppedUntil();
    if (stopped) return { kind: 'stopped', resumeAt: stopped };
    const pausedUntil = deps.pacer.pausedUntil();
    if (pausedUntil - now() > deps.maxWaitMs) return { kind: 'wait', retryAt: new Date(pausedUntil) };
    await deps.pacer.acquire();
    const result = await deps.client.fetchQuotientFamilialByIdentity(query);
    await deps.onCall?.(result);
    if (result.ok || result.error.kind !== 'rate_limited') {
      deps.pacer.recordAnswer(result.ok ? result.rateLimit : null);
      return { kind: 'answer', result };
    }
    const verdict = deps.pacer.record429(result.error.retryAfterSeconds === null ? DEFAULT_RETRY_AFTER_MS : result.error.retryAfterSeconds * 1000);
    if (verdict.stop) return { kind: 'stopped', resumeAt: verdict.resumeAt };
  }
}
