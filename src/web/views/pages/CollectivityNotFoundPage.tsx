import { Layout, type LayoutSession } from '../layout.tsx';

/** /collectivites/{siret} for a SIRET that is unknown or not (yet) active. */
export function CollectivityNotFoundPage(props: { siret: string; name?: string | undefined; session?: LayoutSession }) {
  return (
    <Layout title="Collectivité non trouvée" isError session={props.session}>
      <div class="fr-grid-row fr-grid-row--center">
        <div class="fr-col-12 fr-col-md-10 fr-col-lg-8">
          <h1>Collectivité non trouvée</h1>
          {props.name ? (
            <p>
              <strong>{props.name}</strong> n’utilise pas ou plus ce service en ligne. Elle peut quand même recevoir votre
              quotient familial autrement : adressez-vous à elle.
            </p>
          ) : (
            <p>
              Aucune collectivité ayant adhéré au service ne correspond au numéro SIRET <strong>{props.siret}</strong>. Le
              lien que vous avez suivi est peut-être incomplet, ou la collectivité n’a pas encore adhéré au service.
            </p>
          )}
          <p>Vous pouvez la chercher par son nom, son code postal ou son département.</p>
          <ul class="fr-btns-group fr-btns-group--inline-md">
            <li>
              <a class="fr-btn" href="/collectivites">
                Chercher ma collectivité
              </a>
            </li>
            <li>
              <a class="fr-btn fr-btn--secondary" href="/sans-franceconnect">
                Voir les autres solutions
              </a>
            </li>
          </ul>
        </div>
      </div>
    </Layout>
  );
}
