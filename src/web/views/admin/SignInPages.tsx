import { ProConnectButton } from '../../collectivite/views/SignInPages.tsx';
import { Alert } from '../components/Alert.tsx';
import { Layout } from '../layout.tsx';

/** Whom an operator asks to be let in, or for a change of role: the service's team. */
export const OPERATORS_CONTACT = 'formulaire-qf@api.gouv.fr';

export type OperatorSignInNotice = 'signed_out' | 'expired';

export function OperatorSignInPage(props: { csrfToken: string; notice?: OperatorSignInNotice }) {
  return (
    <Layout title="Connexion au back office" variant="admin">
      <div class="fr-grid-row fr-grid-row--center">
        <div class="fr-col-12 fr-col-md-10 fr-col-lg-8">
          <h1>Connexion au back office</h1>
          {props.notice === 'expired' ? <Alert type="info" small title="Votre session a expiré : identifiez-vous à nouveau." /> : null}
          <p>
            Le back office est réservé aux opérateurs du service. Identifiez-vous avec ProConnect : votre adresse e-mail doit
            figurer sur la liste des opérateurs du service.
          </p>
          <ProConnectButton csrfToken={props.csrfToken} action="/admin/connexion" />
        </div>
      </div>
    </Layout>
  );
}

/** Where a logout lands: our session is over (and ProConnect's, when its return was checked). */
export function OperatorSignedOutPage(props: { csrfToken: string }) {
  return (
    <Layout title="Vous êtes déconnecté du back office" variant="admin">
      <h1>Vous êtes déconnecté du back office</h1>
      <Alert type="success" small title="Votre session du back office est terminée." />
      <p>Pour revenir, identifiez-vous à nouveau.</p>
      <ProConnectButton csrfToken={props.csrfToken} action="/admin/connexion" />
    </Layout>
  );
}

/** A return from ProConnect's logout that is not the one we started: our side is closed anyway. */
export function OperatorLogoutUnconfirmedPage() {
  return (
    <Layout title="Déconnexion à vérifier" isError variant="admin">
      <h1>Déconnexion à vérifier</h1>
      <p>
        Votre session du back office est terminée, mais ce retour de ProConnect n’est pas celui de votre déconnexion : votre
        session ProConnect est peut-être encore ouverte. Fermez votre navigateur si vous êtes sur un poste partagé.
      </p>
      <p>
        <a class="fr-link" href="/admin/connexion">
          Revenir à la connexion du back office
        </a>
      </p>
    </Layout>
  );
}

/** A ProConnect user not on the allowlist: why, whom to ask, and a logout to switch account. */
export function OperatorRefusalPage(props: { email: string; csrfToken: string }) {
  return (
    <Layout title="Vous n’êtes pas sur la liste des opérateurs" isError variant="admin">
      <h1>Vous n’êtes pas sur la liste des opérateurs</h1>
      <p>
        Votre identité ProConnect est bien reconnue, mais l’adresse {props.email} ne figure pas sur la liste des opérateurs
        du back office de Formulaire QF.
      </p>
      <p>
        Si vous devez y accéder, demandez à l’équipe du service de vous ajouter (en précisant si vous avez besoin de
        modifier ou seulement de consulter) : <a href={`mailto:${OPERATORS_CONTACT}`}>{OPERATORS_CONTACT}</a>. Un agent de
        commune trouve son espace sur <a href="/espace">l’espace collectivité</a>.
      </p>
      <form method="post" action="/admin/deconnexion">
        <input type="hidden" name="_csrf" value={props.csrfToken} />
        <button type="submit" class="fr-btn fr-btn--secondary">
          Se déconnecter pour changer de compte
        </button>
      </form>
    </Layout>
  );
}

export type OperatorSignInProblem = 'cancelled' | 'expired' | 'unreachable' | 'failed';

const PROBLEMS: Record<OperatorSignInProblem, { title: string; text: string }> = {
  cancelled: { title: 'Connexion annulée', text: 'Vous avez annulé la connexion avec ProConnect, ou ProConnect l’a refusée. Vous pouvez recommencer.' },
  expired: { title: 'La connexion a expiré', text: 'La connexion a pris trop de temps, ou les cookies sont désactivés dans votre navigateur. Recommencez depuis la page de connexion du back office.' },
  unreachable: { title: 'ProConnect ne répond pas', text: 'ProConnect est momentanément indisponible. Réessayez dans quelques minutes.' },
  failed: { title: 'La connexion n’a pas abouti', text: 'La réponse de ProConnect n’a pas pu être vérifiée. Recommencez ; si cela se reproduit, prévenez l’équipe du service.' },
};

export function OperatorSignInProblemPage(props: { problem: OperatorSignInProblem }) {
  const p = PROBLEMS[props.problem];
  return (
    <Layout title={p.title} isError variant="admin">
      <h1>{p.title}</h1>
      <p>{p.text}</p>
      <p>
        <a class="fr-link" href="/admin/connexion">
          Revenir à la connexion du back office
        </a>
      </p>
    </Layout>
  );
}
