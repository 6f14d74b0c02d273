import { resolveAnswer } from './api-particulier/answers.ts';
import { criteriaOfFranceConnectIdentity, findByFranceConnectIdentity, loadKnownPersonas, type FranceConnectIdentity } from './api-particulier/personas.ts';

/**
 * What logging in as a persona triggers at API Particulier's FranceConnect route, said in French for the
 * FranceConnect login page and the sandbox's home page. Computed from the same data the stand-in answers from
 * (the staging cases first, then the persona's own answer), so that the page cannot say one thing and the API
 * do another.
 */
let known: ReturnType<typeof loadKnownPersonas> | undefined;

export function franceConnectOutcome(identity: FranceConnectIdentity): string {
  known ??= loadKnownPersonas();
  const people = known;
  const resolved = resolveAnswer(
    'france_connect',
    criteriaOfFranceConnectIdentity(identity),
    { annee: null, mois: null },
    people,
    () => findByFranceConnectIdentity(people, identity),
  );
  const source = resolved.key.startsWith('staging:') ? ' (cas de test d’API Particulier)' : '';
  const delay = resolved.answerDelayMs > 0 ? `, après ${Math.round(resolved.answerDelayMs / 1000)} s` : '';
  if (!resolved.answer.ok) {
    const { status, body } = resolved.answer.error;
    const first = body.errors[0];
    return `Erreur ${status}${first ? ` ${first.code} : ${first.title}` : ''}${delay}${source}`;
  }
  const { quotient_familial: qf, enfants } = resolved.answer.data;
  const children = enfants === undefined ? '' : `, ${enfants.length === 0 ? 'aucun enfant' : enfants.length === 1 ? '1 enfant' : `${enfants.length} enfants`}`;
  return `${qf ? `QF ${qf.fournisseur} ${qf.valeur} €` : 'QF'}${children}${delay}${source}`;
}
