import { Layout, type LayoutSession } from '../layout.tsx';

export interface ErrorPageProps {
  status: number;
  /** Page heading; a default is chosen from the status when absent. */
  title?: string;
  message?: string;
  session?: LayoutSession;
}

const DEFAULTS: Record<number, { title: string; message: string }> = {
  400: {
    title: 'Demande incorrecte',
    message: 'Votre demande contient des informations que nous ne comprenons pas. Revenez à la page précédente et réessayez.',
  },
  403: {
    title: 'Formulaire expiré',
    message: 'Le formulaire a expiré, rechargez la page puis recommencez votre action.',
  },
  404: {
    title: 'Page non trouvée',
    message: 'La page que vous cherchez n’existe pas ou a été déplacée. Vérifiez l’adresse, ou repartez de l’accueil.',
  },
  429: {
    title: 'Trop de demandes',
    message: 'Vous avez fait beaucoup de demandes en peu de temps. Patientez une minute puis réessayez.',
  },
  500: {
    title: 'Erreur inattendue',
    message: 'Une erreur inattendue est survenue de notre côté. L’équipe technique en est informée. Réessayez dans quelques instants.',
  },
};

export function defaultErrorText(status: number): { title: string; message: string } {
  return DEFAULTS[status] ?? (status >= 500 ? DEFAULTS[500]! : DEFAULTS[400]!);
}

/** Generic error page (404, 400, 403 CSRF, 429, 500). */
export function ErrorPage(props: ErrorPageProps) {
  const fallback = defaultErrorText(props.status);
  const title = props.title ?? fallback.title;
  const message = props.message ?? fallback.message;
  return (
    <Layout title={title} isError session={props.session}>
      <div class="fr-grid-row fr-grid-row--center">
        <div class="fr-col-12 fr-col-md-10 fr-col-lg-8">
          <h1>{title}</h1>
          <p class="fr-text--sm fr-mb-3w">Erreur {props.status}</p>
          <p class="fr-text--lead fr-mb-3w">{message}</p>
          <ul class="fr-btns-group fr-btns-group--inline-md">
            <li>
              <a class="fr-btn" href="/">
                Revenir à l’accueil
              </a>
            </li>
            <li>
              <a class="fr-btn fr-btn--secondary" href="/faq">
                Consulter la FAQ
              </a>
            </li>
          </ul>
        </div>
      </div>
    </Layout>
  );
}
