import { FranceConnectButton } from '../components/FranceConnectButton.tsx';
import { Stepper } from '../components/Stepper.tsx';
import { Layout, type LayoutSession } from '../layout.tsx';
import type { CollectivitySummary } from './ChooseCollectivityPage.tsx';

export const FRANCECONNECT_LOGIN_ACTION = '/auth/franceconnect';

export interface CollectivityPageProps {
  collectivity: CollectivitySummary;
  csrfToken: string;
  /** Already validated by the route: passed through as hidden fields. */
  externalId?: string | undefined;
  redirectUri?: string | undefined;
  session?: LayoutSession;
}


/** Step 2: who receives what, then "S’identifier avec FranceConnect" (the shareable link lives in the espace collectivité). */
export function CollectivityPage(props: CollectivityPageProps) {
  const c = props.collectivity;
  return (
    <Layout title={`Transmettre mon quotient familial à ${c.name}`} session={props.session}>
      <div class="fr-grid-row fr-grid-row--center">
        <div class="fr-col-12 fr-col-md-10 fr-col-lg-8">
          <h1>Transmettre mon quotient familial à {c.name}</h1>
          <Stepper current={2} />

          <section class="fr-mb-4w" aria-labelledby="destinataire">
            <h2 id="destinataire">Qui recevra mes données ?</h2>
            <p>
              <strong>{c.name}</strong> ({c.codePostal}, département {c.departement}). Elle s’en servira pour calculer
              vos tarifs (cantine, accueil périscolaire, transports…) selon vos ressources.
            </p>
          </section>

          <section class="fr-mb-4w" aria-labelledby="donnees-recuperees">
            <h2 id="donnees-recuperees">Quelles données seront récupérées ?</h2>
            <ul>
              <li>
                <strong>Votre identité</strong>, transmise par FranceConnect : noms, prénoms, sexe, date et lieu de
                naissance.
              </li>
              <li>
                <strong>Votre quotient familial</strong>, transmis par la CAF ou la MSA : sa valeur et le mois auquel il
                correspond, ainsi que les allocataires et les enfants de votre foyer.
              </li>
            </ul>
            <p>Vous pourrez tout relire avant d’envoyer quoi que ce soit : rien n’est transmis sans votre accord.</p>
          </section>

          <section class="fr-mb-4w" aria-labelledby="me-connecter">
            <h2 id="me-connecter">Me connecter</h2>
            <p>
              FranceConnect vous permet d’utiliser un compte que vous avez déjà, par exemple celui d’impots.gouv.fr,
              d’ameli.fr ou de l’Identité Numérique La Poste.
            </p>
            <FranceConnectButton
              action={FRANCECONNECT_LOGIN_ACTION}
              csrfToken={props.csrfToken}
              hiddenFields={{ siret: c.siret, external_id: props.externalId, redirect_uri: props.redirectUri }}
            />
            <p>
              <a class="fr-link" href={`/collectivites/${c.siret}/sans-franceconnect`}>
                Vous n’utilisez pas FranceConnect ?
              </a>
            </p>
          </section>

        </div>
      </div>
    </Layout>
  );
}
