import type { QuotientFamilialData } from '../../domain/quotient-familial.ts';
import { findByCriteria, stagingAnswer, unknownPerson, type KnownPersona, type PersonaAnswer } from './personas.ts';
import type { IdentityCriteria, Period } from './query-validation.ts';
import { findStagingCase, type CivilityParams, type StagingRoute } from './staging-cases.ts';

/**
 * Who answers a QF request, and with what: API Particulier's staging case when one matches (exactly as staging
 * answers it), else one of our personas, else nobody (422 35560). Then the period asked with `annee`/`mois`.
 */
export interface ResolvedAnswer {
  /** Names the answer for the cache (the staging file or the persona). */
  key: string;
  answer: PersonaAnswer;
  answerDelayMs: number;
}

export function resolveAnswer(
  route: StagingRoute,
  criteria: IdentityCriteria,
  period: Period,
  known: readonly KnownPersona[],
  findPersona: (known: readonly KnownPersona[], criteria: IdentityCriteria) => KnownPersona | undefined = findByCriteria,
  now: Date = new Date(),
): ResolvedAnswer {
  const staged = findStagingCase(route, civilityParams(criteria, period));
  if (staged) {
    // A case that names its month is that month's answer; the others are answered for the month asked.
    const fixedPeriod = 'annee' in staged.params || 'mois' in staged.params;
    return { key: `staging:${staged.file}`, answer: forPeriod(stagingAnswer(staged), fixedPeriod ? NO_PERIOD : period, {}, now), answerDelayMs: 0 };
  }
  const persona = findPersona(known, criteria);
  if (!persona) return { key: 'unknown', answer: { ok: false, error: unknownPerson() }, answerDelayMs: 0 };
  return { key: `persona:${persona.login}`, answer: forPeriod(persona.answer, period, persona.byMonth, now), answerDelayMs: persona.answerDelayMs };
}

const NO_PERIOD: Period = { annee: null, mois: null };

/** The request's civility under the staging files' parameter names (v3 query names, birth date split). */
export function civilityParams(criteria: IdentityCriteria, period: Period): CivilityParams {
  const params: CivilityParams = {
    nomNaissance: criteria.nomNaissance,
    prenoms: criteria.prenoms,
    sexeEtatCivil: criteria.sexe,
    codeCogInseePaysNaissance: criteria.codePays,
  };
  if (criteria.nomUsage !== null) params.nomUsage = criteria.nomUsage;
  if (criteria.anneeNaissance !== null) params.anneeDateNaissance = criteria.anneeNaissance;
  if (criteria.moisNaissance !== null) params.moisDateNaissance = criteria.moisNaissance;
  if (criteria.jourNaissance !== null) params.jourDateNaissance = criteria.jourNaissance;
  if (criteria.codeCommune !== null) params.codeCogInseeCommuneNaissance = criteria.codeCommune;
  if (period.annee !== null) params.annee = period.annee;
  if (period.mois !== null) params.mois = period.mois;
  return params;
}

/**
 * `annee`/`mois` (contracts/api-particulier-qf.md §2.1): neither → the answer as it stands; `mois` only → that
 * month of the current year; `annee` only → the current month of that year. The QF is that month's where the data
 * gives one (`byMonth`), else the same value, dated of the month asked. The family is always the current one.
 */
function forPeriod(answer: PersonaAnswer, period: Period, byMonth: Readonly<Record<string, number>>, now: Date): PersonaAnswer {
  if (!answer.ok || (period.annee === null && period.mois === null) || !answer.data.quotient_familial) return answer;
  const annee = period.annee ?? now.getUTCFullYear();
  const mois = period.mois ?? now.getUTCMonth() + 1;
  const month = `${annee}-${String(mois).padStart(2, '0')}`;
  const qf = answer.data.quotient_familial;
  const data: QuotientFamilialData = { ...answer.data, quotient_familial: { ...qf, annee, mois, valeur: byMonth[month] ?? qf.valeur ?? null } };
  return { ok: true, data };
}
