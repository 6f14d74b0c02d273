import { ProConnectButton } from '../../collectivite/views/SignInPages.tsx';
import { Alert } from '../../views/components/Alert.tsx';
import { Layout } from '../../views/layout.tsx';

/** The way into the espace éditeur: the same ProConnect sign-in as the espace collectivité's. */
export function EditeurSignInPage(props: { csrfToken: string; notice?: 'expired' | 'signed_out' }) {
  return (
    <Layout title="Espace éditeur">
      <div class="fr-grid-row fr-grid-row--center">
        <div class="fr-col-12 fr-col-md-10 fr-col-lg-8">
          <h1>Espace éditeur</h1>
          {props.notice === 'signed_out' ? <Alert type="success" small title="Vous êtes déconnecté de l’espace éditeur." /> : null}
          {props.notice === 'expired' ? <Alert type="info" small title="Votre session a expiré : identifiez-vous à nouveau." /> : null}
          <p class="fr-text--lead">
            Les éditeurs des logiciels des communes y voient leurs communes clientes, créent leurs clés d’API et leurs webhooks, sans
            passer par l’équipe du service.
          </p>
          <p>
            Qui peut entrer : un salarié de l’éditeur qui s’identifie avec ProConnect au nom de sa société (choisissez-la comme
            organisation lors de la connexion) et dont l’adresse e-mail figure sur la liste des membres de l’éditeur.
          </p>
          <ProConnectButton csrfToken={props.csrfToken} />
          <h2 class="fr-mt-4w">Vous n’avez pas encore accès ?</h2>
          <p>
            Un éditeur est inscrit quand une commune le désigne dans son habilitation DataPass, ou par l’équipe du service, qui
            ajoute aussi son premier administrateur. Celui-ci ajoute ensuite ses collègues dans la rubrique « Membres ».
          </p>
        </div>
      </div>
    </Layout>
  );
}
