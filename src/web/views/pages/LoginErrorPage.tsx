import { Layout, type LayoutSession } from '../layout.tsx';

export type LoginErrorKind =
  | 'access_denied'
  | 'invalid_acr'
  | 'provider_error'
  | 'state_mismatch'
  | 'expired'
  | 'invalid_response'
  | 'unreachable'
  | 'cookies'
  | 'no_journey';

export interface LoginErrorPageProps {
  kind: LoginErrorKind;
  /** Where "Recommencer" leads; the collectivity chooser by default. */
  restartUrl?: string | undefined;
  session?: LayoutSession;
}

interface LoginErrorText {
  title: string;
  heading: string;
  what: string;
  todo: string;
}

export const LOGIN_ERROR_TEXTS: Record<LoginErrorKind, LoginErrorText> = {
  access_denied: {
    title: 'Connexion annulée',
    heading: 'Vous avez annulé la connexion avec FranceConnect',
    what: 'La connexion n’a pas abouti, car elle a été annulée sur FranceConnect ou chez le compte choisi. Aucune donnée n’a été récupérée ni transmise.',
    todo: 'Si vous souhaitez toujours transmettre votre quotient familial, recommencez la démarche.',
  },
  invalid_acr: {
    title: 'Niveau de connexion insuffisant',
    heading: 'Cette connexion n’offre pas un niveau de sécurité suffisant',
    what: 'Le compte utilisé avec FranceConnect ne nous a pas donné le niveau de garantie d’identité demandé. Aucune donnée n’a été récupérée.',
    todo: 'Recommencez la démarche, si possible avec un autre compte proposé par FranceConnect.',
  },
  provider_error: {
    title: 'Erreur de FranceConnect',
    heading: 'FranceConnect n’a pas pu terminer votre connexion',
    what: 'FranceConnect ou le compte choisi a signalé une erreur pendant la connexion. Aucune donnée n’a été récupérée.',
    todo: 'Recommencez la démarche dans quelques instants.',
  },
  state_mismatch: {
    title: 'Lien de connexion non valable',
    heading: 'Ce lien de connexion n’est plus valable',
    what: 'Le retour de FranceConnect ne correspond pas à une connexion commencée ici, dans ce navigateur : le lien a peut-être déjà servi, ou il a été ouvert dans un autre onglet ou navigateur. Par sécurité, nous l’avons refusé.',
    todo: 'Recommencez la démarche depuis le début, dans ce navigateur.',
  },
  expired: {
    title: 'Démarche expirée',
    heading: 'Votre démarche a expiré',
    what: 'Par sécurité, une démarche commencée doit être terminée en moins de 30 minutes. Passé ce délai, les informations récupérées sont effacées et rien n’a été transmis.',
    todo: 'Recommencez la démarche : elle ne prend que quelques minutes.',
  },
  invalid_response: {
    title: 'Réponse de FranceConnect non valable',
    heading: 'La réponse de FranceConnect n’a pas pu être vérifiée',
    what: 'Nous vérifions chaque réponse de FranceConnect avant de l’utiliser, et celle-ci n’a pas passé nos contrôles. Par sécurité, nous ne l’avons pas utilisée.',
    todo: 'Recommencez la démarche. Si le problème persiste, réessayez plus tard.',
  },
  unreachable: {
    title: 'FranceConnect indisponible',
    heading: 'FranceConnect est momentanément indisponible',
    what: 'Nous n’avons pas pu joindre FranceConnect. Le service est peut-être en maintenance ou très sollicité.',
    todo: 'Réessayez dans quelques minutes.',
  },
  cookies: {
    title: 'Cookies désactivés',
    heading: 'Votre navigateur bloque les cookies',
    what: 'Pour sécuriser votre connexion, ce service a besoin d’un cookie, qui est effacé à la fin de la démarche. Votre navigateur ne nous l’a pas renvoyé : il bloque sans doute les cookies de ce site (ou la démarche a été commencée dans un autre navigateur).',
    todo: 'Autorisez les cookies pour ce site dans les réglages de votre navigateur (ou quittez la navigation privée stricte), puis recommencez la démarche.',
  },
  no_journey: {
    title: 'Aucune démarche en cours',
    heading: 'Aucune démarche n’est en cours dans ce navigateur',
    what: 'Vous vous êtes peut-être déconnecté, ou la démarche a été commencée dans un autre navigateur ou sur un autre appareil. Rien n’a été transmis depuis cette page.',
    todo: 'Recommencez la démarche depuis la page de votre collectivité, dans ce navigateur.',
  },
};

/** The FranceConnect login failed: what happened and a button to start again. */
export function LoginErrorPage(props: LoginErrorPageProps) {
  const text = LOGIN_ERROR_TEXTS[props.kind] ?? LOGIN_ERROR_TEXTS.provider_error;
  return (
    <Layout title={text.title} isError session={props.session}>
      <div class="fr-grid-row fr-grid-row--center">
        <div class="fr-col-12 fr-col-md-10 fr-col-lg-8">
          <h1>{text.heading}</h1>
          <div class="fr-alert fr-alert--error fr-mb-4w">
            <h2 class="fr-alert__title">Ce qui s’est passé</h2>
            <p>{text.what}</p>
          </div>
          <h2>Que faire ?</h2>
          <p>{text.todo}</p>
          <ul class="fr-btns-group fr-btns-group--inline-md">
            <li>
              <a class="fr-btn" href={props.restartUrl ?? '/collectivites'}>
                Recommencer la démarche
              </a>
            </li>
            <li>
              <a class="fr-btn fr-btn--secondary" href="/sans-franceconnect">
                Faire sans FranceConnect
              </a>
            </li>
          </ul>
        </div>
      </div>
    </Layout>
  );
}
