import { Alert } from '../../views/components/Alert.tsx';
import { Layout } from '../../views/layout.tsx';
import type { AccessRefusal } from '../../../usecases/espace-access.ts';

/**
 * The official ProConnect button: the DSFR `connect` component in its ProConnect variant (`fr-connect--pro`,
 * DSFR 1.15), in a POST form so that the redirection starts from a CSRF-protected request. The label and the
 * link are ProConnect's own (contract §6), typographic apostrophes included.
 */
export function ProConnectButton(props: { csrfToken: string; action?: string }) {
  return (
    <div class="fr-connect-group">
      <form method="post" action={props.action ?? '/espace/connexion'}>
        <input type="hidden" name="_csrf" value={props.csrfToken} />
        <button class="fr-connect fr-connect--pro" type="submit">
          <span class="fr-connect__login">S’identifier avec</span> <span class="fr-connect__brand">ProConnect</span>
        </button>
      </form>
      <p>
        <a href="https://www.proconnect.gouv.fr/" target="_blank" rel="noopener" title="Qu’est-ce que ProConnect ? - nouvelle fenêtre">
          Qu’est-ce que ProConnect ?
        </a>
      </p>
    </div>
  );
}

export function SignInPage(props: { csrfToken: string; notice?: 'signed_out' | 'expired' }) {
  return (
    <Layout title="Espace collectivité">
      <div class="fr-grid-row fr-grid-row--center">
        <div class="fr-col-12 fr-col-md-10 fr-col-lg-8">
          <h1>Espace collectivité</h1>
          {props.notice === 'signed_out' ? <Alert type="success" small title="Vous êtes déconnecté de l’espace collectivité." /> : null}
          {props.notice === 'expired' ? <Alert type="info" small title="Votre session a expiré : identifiez-vous à nouveau." /> : null}
          <p class="fr-text--lead">
            Les agents des communes qui utilisent Formulaire QF y suivent les transmissions des familles, diffusent le lien de
            la démarche et règlent ce que voient les familles.
          </p>
          <p>
            Qui peut entrer : un agent public qui s’identifie avec ProConnect au nom de sa commune (choisissez-la comme
            organisation lors de la connexion) et dont l’adresse e-mail figure sur la liste des agents de la commune.
          </p>
          <ProConnectButton csrfToken={props.csrfToken} />
          <h2 class="fr-mt-4w">Vous n’avez pas encore accès ?</h2>
          <p>
            Les premiers administrateurs d’une commune sont les personnes de l’habilitation DataPass (le demandeur et les
            contacts). Ils ajoutent ensuite leurs collègues dans la rubrique « Agents ».
          </p>
        </div>
      </div>
    </Layout>
  );
}

const SUPPORT = 'formulaire-qf@api.gouv.fr';

function refusalText(refusal: AccessRefusal): { title: string; why: string; whom: string } {
  switch (refusal.kind) {
    case 'private_organization':
      return {
        title: 'Cet espace est réservé aux collectivités',
        why: `Vous vous êtes identifié au nom de ${refusal.organizationLabel ?? `l’organisation ${refusal.siret}`}, qui n’est ni une administration ni un éditeur inscrit au service.`,
        whom: 'Si vous travaillez aussi pour une commune, reconnectez-vous en choisissant la commune comme organisation. Un éditeur de logiciel est inscrit par l’équipe du service ou par l’habilitation DataPass d’une commune cliente.',
      };
    case 'unknown_organization':
      return {
        title: 'Votre organisation n’utilise pas Formulaire QF',
        why: `Vous vous êtes identifié au nom de ${refusal.organizationLabel ?? 'votre organisation'} (SIRET ${refusal.siret}), qui n’est pas une collectivité inscrite au service.`,
        whom: 'Si vous travaillez pour une commune, reconnectez-vous en la choisissant comme organisation. Une commune s’inscrit par une demande d’habilitation sur DataPass.',
      };
    case 'inactive_collectivity':
      return {
        title: `${refusal.collectivity.name} n’utilise plus Formulaire QF`,
        why: 'L’habilitation de la commune a pris fin : son espace est fermé.',
        whom: 'Pour rouvrir l’accès, la commune doit déposer une nouvelle demande d’habilitation sur DataPass.',
      };
    case 'not_on_list':
      return {
        title: `Vous n’êtes pas sur la liste des agents de ${refusal.collectivity.name}`,
        why: 'Votre identité ProConnect est bien reconnue, mais votre adresse e-mail ne figure pas parmi les agents de la commune.',
        whom: `Demandez à un administrateur de l’espace de ${refusal.collectivity.name} (souvent la personne qui a fait la demande d’habilitation) de vous ajouter dans la rubrique « Agents ».`,
      };
    case 'not_editeur_member':
      return {
        title: `Vous n’êtes pas membre de l’espace éditeur de ${refusal.editeur.name}`,
        why: 'Votre identité ProConnect est bien reconnue, mais votre adresse e-mail ne figure pas parmi les membres de l’éditeur.',
        whom: `Demandez à un administrateur de l’espace éditeur de ${refusal.editeur.name} de vous ajouter dans la rubrique « Membres ».`,
      };
  }
}

/** Why the espace is closed to this person, and whom to ask; a logout so that another account can be used. */
export function RefusalPage(props: { refusal: AccessRefusal; csrfToken: string }) {
  const text = refusalText(props.refusal);
  return (
    <Layout title={text.title} isError>
      <div class="fr-grid-row fr-grid-row--center">
        <div class="fr-col-12 fr-col-md-10 fr-col-lg-8">
          <h1>{text.title}</h1>
          <p>{text.why}</p>
          <p>{text.whom}</p>
          <p>
            Une question ? Écrivez à l’équipe du service : <a href={`mailto:${SUPPORT}`}>{SUPPORT}</a>.
          </p>
          <form method="post" action="/espace/deconnexion">
            <input type="hidden" name="_csrf" value={props.csrfToken} />
            <button type="submit" class="fr-btn fr-btn--secondary">
              Se déconnecter pour changer de compte ou d’organisation
            </button>
          </form>
        </div>
      </div>
    </Layout>
  );
}

export type SignInProblem = 'cancelled' | 'expired' | 'unreachable' | 'failed' | 'logout_unconfirmed';

const PROBLEMS: Record<SignInProblem, { title: string; text: string }> = {
  logout_unconfirmed: { title: 'Déconnexion à vérifier', text: 'Votre session sur Formulaire QF est fermée, mais le retour de ProConnect n’a pas pu être vérifié. Sur un poste partagé, fermez le navigateur pour être sûr d’être déconnecté de ProConnect.' },
  cancelled: { title: 'Connexion annulée', text: 'Vous avez annulé la connexion avec ProConnect, ou ProConnect l’a refusée. Vous pouvez recommencer.' },
  expired: { title: 'La connexion a expiré', text: 'La connexion a pris trop de temps, ou les cookies sont désactivés dans votre navigateur. Recommencez depuis la page de l’espace collectivité.' },
  unreachable: { title: 'ProConnect ne répond pas', text: 'ProConnect est momentanément indisponible. Réessayez dans quelques minutes.' },
  failed: { title: 'La connexion n’a pas abouti', text: 'La réponse de ProConnect n’a pas pu être vérifiée. Recommencez ; si cela se reproduit, écrivez à l’équipe du service.' },
};

export function SignInProblemPage(props: { problem: SignInProblem }) {
  const p = PROBLEMS[props.problem];
  return (
    <Layout title={p.title} isError>
      <h1>{p.title}</h1>
      <p>{p.text}</p>
      <p>
        <a class="fr-link" href="/espace">
          Revenir à l’espace collectivité
        </a>
      </p>
    </Layout>
  );
}
