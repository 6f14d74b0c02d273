import type { QfProblem } from '../../../domain/quotient-familial.ts';
import { Alternatives } from '../components/Alternatives.tsx';
import { LOGOUT_ACTION } from '../components/LogoutButton.tsx';

/** "Réessayer": the QF again, for the journey that failed to get it. */
export const QF_RETRY_ACTION = '/auth/franceconnect/reessayer';
import { Layout, type LayoutSession } from '../layout.tsx';

/** One page per way the QF can be missing (the domain's list). */
export type QfErrorKind = QfProblem;

export interface QfErrorPageProps {
  kind: QfErrorKind;
  collectivityName: string;
  /** The collectivity's page, where "Recommencer avec un autre compte" leads once FranceConnect has logged out. */
  restartUrl?: string | undefined;
  /** Logged in: its CSRF token signs "Réessayer" and "Recommencer avec un autre compte". */
  session?: LayoutSession;
}

interface QfErrorText {
  title: string;
  heading: string;
  paragraphs: string[];
  /** Worth trying again later (temporary failure). */
  temporary: boolean;
}

export const QF_ERROR_TEXTS: Record<QfErrorKind, QfErrorText> = {
  not_found: {
    title: 'Quotient familial introuvable',
    heading: 'Ni la CAF ni la MSA ne trouvent votre dossier',
    paragraphs: [
      'Avec l’identité transmise par FranceConnect, aucune des deux caisses ne vous connaît comme allocataire. Cela arrive notamment lorsque le dossier d’allocations est au nom de l’autre parent, ou lorsque vous ne percevez pas de prestations.',
      'Si le dossier est au nom d’une autre personne de votre foyer, celle-ci peut faire la démarche avec son propre compte FranceConnect.',
    ],
    temporary: false,
  },
  dossier_absent_cnaf: {
    title: 'Dossier absent à la CAF',
    heading: 'La CAF n’a pas de dossier d’allocataire à votre nom',
    paragraphs: [
      'La CAF ne trouve pas de dossier à votre nom. C’est le cas par exemple si vous ne percevez plus de prestations, si vos ressources n’ont pas encore été déclarées, ou si le dossier est au nom de l’autre parent.',
      'En début de mois, la CAF met à jour ses données : si vous venez de faire une démarche auprès d’elle, réessayez dans quelques jours.',
    ],
    temporary: false,
  },
  dossier_absent_msa: {
    title: 'Dossier absent à la MSA',
    heading: 'La MSA n’a pas de dossier d’allocataire à votre nom',
    paragraphs: [
      'La MSA ne trouve pas de dossier à votre nom. C’est le cas par exemple si vous ne percevez plus de prestations, ou si le dossier est au nom de l’autre parent.',
      'Si vous pensez que c’est une erreur, contactez votre caisse MSA.',
    ],
    temporary: false,
  },
  not_found_other: {
    title: 'Quotient familial introuvable',
    heading: 'Votre quotient familial n’a pas pu être trouvé',
    paragraphs: [
      'Votre caisse n’a pas pu nous donner de quotient familial pour l’identité transmise par FranceConnect.',
      'Si le dossier d’allocations est au nom d’une autre personne de votre foyer, celle-ci peut faire la démarche avec son propre compte FranceConnect.',
    ],
    temporary: false,
  },
  provider_unavailable: {
    title: 'Service de la CAF ou de la MSA indisponible',
    heading: 'Le service de la CAF ou de la MSA est momentanément indisponible',
    paragraphs: [
      'Nous n’avons pas pu obtenir votre quotient familial : le service de votre caisse ne répond pas correctement pour le moment. Vous n’y êtes pour rien.',
      'Réessayez plus tard, par exemple dans une heure. Rien n’a été envoyé à la collectivité.',
    ],
    temporary: true,
  },
  rate_limited: {
    title: 'Trop de demandes en ce moment',
    heading: 'Le service reçoit trop de demandes en ce moment',
    paragraphs: [
      'Beaucoup de familles font cette démarche en même temps et le service de la CAF et de la MSA limite le nombre de demandes.',
      'Réessayez dans quelques minutes. Rien n’a été envoyé à la collectivité.',
    ],
    temporary: true,
  },
  timeout: {
    title: 'Délai de réponse dépassé',
    heading: 'La CAF ou la MSA a mis trop de temps à répondre',
    paragraphs: [
      'Nous avons attendu la réponse de votre caisse, sans succès. Le service est sans doute très sollicité.',
      'Réessayez dans quelques minutes. Rien n’a été envoyé à la collectivité.',
    ],
    temporary: true,
  },
  qf_unusable: {
    title: 'Quotient familial inutilisable',
    heading: 'Votre caisse a répondu, mais sans quotient familial utilisable',
    paragraphs: [
      'La CAF ou la MSA a bien répondu à notre demande, mais sa réponse ne contient pas de valeur de quotient familial que nous puissions lire. Sans cette valeur, votre collectivité ne pourrait pas calculer vos tarifs : nous ne lui envoyons donc rien.',
      'Ce n’est pas de votre fait. Vous pouvez réessayer un peu plus tard ; si cela se reproduit, passez par l’une des solutions ci-dessous.',
    ],
    temporary: true,
  },
  unexpected: {
    title: 'Erreur inattendue',
    heading: 'Une erreur inattendue nous empêche de récupérer votre quotient familial',
    paragraphs: [
      'Quelque chose ne s’est pas passé comme prévu en interrogeant votre caisse. L’équipe technique en est informée.',
      'Vous pouvez réessayer un peu plus tard. Rien n’a été envoyé à la collectivité.',
    ],
    temporary: true,
  },
};

/** The QF could not be fetched: what happened, what to do, and the other ways to reach the commune. */
export function QfErrorPage(props: QfErrorPageProps) {
  const text = QF_ERROR_TEXTS[props.kind] ?? QF_ERROR_TEXTS.unexpected;
  const token = props.session?.logoutCsrfToken;
  return (
    <Layout title={text.title} isError session={props.session}>
      <div class="fr-grid-row fr-grid-row--center">
        <div class="fr-col-12 fr-col-md-10 fr-col-lg-8">
          <h1>{text.heading}</h1>
          <div class="fr-alert fr-alert--error fr-alert--sm fr-mb-4w">
            <p>
              Votre quotient familial n’a pas pu être récupéré : il n’a donc pas été transmis à {props.collectivityName}.
            </p>
          </div>
          {text.paragraphs.map((paragraph) => (
            <p>{paragraph}</p>
          ))}
          {token && text.temporary ? (
            // Asks the caisse again for the same family and collectivity (FranceConnect's session makes it one click).
            <form method="post" action={QF_RETRY_ACTION} class="fr-mb-4w">
              <input type="hidden" name="_csrf" value={token} />
              <button type="submit" class="fr-btn">
                Réessayer
              </button>
            </form>
          ) : null}
          <Alternatives collectivityName={props.collectivityName} />
          {token && props.restartUrl && !text.temporary ? (
            // Logs out of FranceConnect first: its single sign-on would otherwise pick the same account again.
            <form method="post" action={LOGOUT_ACTION}>
              <input type="hidden" name="_csrf" value={token} />
              <input type="hidden" name="next" value={props.restartUrl} />
              <button type="submit" class="fr-btn fr-btn--secondary">
                Recommencer la démarche avec un autre compte
              </button>
            </form>
          ) : null}
        </div>
      </div>
    </Layout>
  );
}
