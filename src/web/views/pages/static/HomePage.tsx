import { Layout, type LayoutSession } from '../../layout.tsx';

/** Home page: what the service does, how long it takes, what data goes where. */
export function HomePage(props: { session?: LayoutSession } = {}) {
  return (
    <Layout title="Accueil" session={props.session}>
      <div class="fr-grid-row fr-grid-row--gutters">
        <div class="fr-col-12 fr-col-md-8">
          <h1>Transmettez votre quotient familial à votre commune, sans papiers à fournir</h1>
          <p class="fr-text--lead">
            Votre commune calcule le prix de la cantine, de l’accueil périscolaire ou des transports selon votre quotient
            familial. Avec ce service, vous le lui transmettez en ligne, directement depuis la CAF ou la MSA : plus besoin
            de chercher une attestation.
          </p>
          <p>
            <strong>Cela prend environ 4 minutes.</strong> Il vous faut seulement un compte utilisable avec FranceConnect
            (par exemple celui d’impots.gouv.fr ou d’ameli.fr).
          </p>
          <a class="fr-btn fr-btn--lg fr-mb-4w" href="/collectivites">
            Débuter la démarche
          </a>

          <h2>Comment ça marche ?</h2>
          <ol>
            <li>Vous choisissez votre commune (ou votre intercommunalité).</li>
            <li>Vous vous connectez avec FranceConnect.</li>
            <li>Nous récupérons votre quotient familial auprès de la CAF ou de la MSA et vous le montrons.</li>
            <li>Vous relisez, puis vous décidez de l’envoyer à votre commune.</li>
          </ol>

          <h2>Quelles données, et pour qui ?</h2>
          <ul>
            <li>
              <strong>Votre identité</strong> (noms, prénoms, sexe, date et lieu de naissance) : elle vient de
              FranceConnect et va directement à votre commune.
            </li>
            <li>
              <strong>Votre quotient familial</strong>, avec les allocataires et les enfants du foyer : il vient de la CAF
              ou de la MSA et va directement à votre commune.
            </li>
          </ul>
          <p>
            Un service de l’État achemine votre démarche jusqu’à votre commune. Nous ne gardons pas vos données : elles ne servent que le temps de la démarche.{' '}
            <a href="/donnees-personnelles">En savoir plus sur vos données</a>
          </p>
        </div>
        <div class="fr-col-12 fr-col-md-4">
          <div class="fr-callout">
            <h2 class="fr-callout__title">Vous n’utilisez pas FranceConnect ?</h2>
            <p class="fr-callout__text">
              Vous pouvez aussi remettre une attestation de la CAF ou de la MSA, ou vous rendre au guichet de votre commune.
            </p>
            <a class="fr-link" href="/sans-franceconnect">
              Voir les autres solutions
            </a>
          </div>
          <div class="fr-callout fr-callout--blue-ecume">
            <h2 class="fr-callout__title">Déjà fait la démarche ?</h2>
            <p class="fr-callout__text">Suivez son avancement avec l’identifiant qui vous a été donné.</p>
            <a class="fr-link" href="/suivi">
              Suivre ma démarche
            </a>
          </div>
        </div>
      </div>
    </Layout>
  );
}
