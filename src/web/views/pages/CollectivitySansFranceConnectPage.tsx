import { Alternatives } from '../components/Alternatives.tsx';
import { Layout } from '../layout.tsx';
import type { CollectivitySummary } from './ChooseCollectivityPage.tsx';

/**
 * What a commune says to families who do not use FranceConnect, in its own words. Filled from the espace
 * collectivité's settings once they exist (see `communeOwnWords` in routes/collectivities.ts); until then every
 * field is absent and the page shows the collectivity's public data.
 */
export interface CommuneOwnWords {
  /** A paragraph of the commune's own, e.g. where and when to bring the attestation. */
  text?: string;
  contact?: { email?: string; phone?: string; address?: string; url?: string };
}

export interface CollectivitySansFranceConnectPageProps {
  collectivity: CollectivitySummary;
  ownWords: CommuneOwnWords;
}

/** "Sans FranceConnect", for one commune: its own text and contact, or its public data, then the other solutions. */
export function CollectivitySansFranceConnectPage(props: CollectivitySansFranceConnectPageProps) {
  const c = props.collectivity;
  const contact = props.ownWords.contact;
  const directory = `https://lannuaire.service-public.fr/recherche?whoWhat=mairie&where=${encodeURIComponent(c.codePostal)}`;
  return (
    <Layout title={`Transmettre mon quotient familial à ${c.name} sans FranceConnect`}>
      <div class="fr-grid-row fr-grid-row--center">
        <div class="fr-col-12 fr-col-md-10 fr-col-lg-8">
          <h1>Transmettre mon quotient familial à {c.name} sans FranceConnect</h1>
          <p class="fr-text--lead">
            Si vous ne pouvez pas ou ne voulez pas utiliser FranceConnect, {c.name} peut quand même connaître votre
            quotient familial.
          </p>
          {props.ownWords.text ? <p>{props.ownWords.text}</p> : null}
          <section class="fr-callout fr-mb-4w" aria-labelledby="contacter-collectivite">
            <h2 class="fr-callout__title" id="contacter-collectivite">
              Contacter {c.name}
            </h2>
            <p class="fr-callout__text">
              {c.name} ({c.codePostal}, département {c.departement})
            </p>
            {contact ? (
              <ul>
                {contact.address ? <li>Adresse : {contact.address}</li> : null}
                {contact.phone ? <li>Téléphone : {contact.phone}</li> : null}
                {contact.email ? (
                  <li>
                    Courriel : <a href={`mailto:${contact.email}`}>{contact.email}</a>
                  </li>
                ) : null}
                {contact.url ? (
                  <li>
                    Site : <a href={contact.url}>{contact.url}</a>
                  </li>
                ) : null}
              </ul>
            ) : (
              <p>
                Les horaires et l’adresse de la mairie sont sur{' '}
                <a href={directory} target="_blank" rel="noopener" title="l’annuaire de l’administration - nouvelle fenêtre">
                  l’annuaire de l’administration
                </a>
                .
              </p>
            )}
          </section>
          <Alternatives collectivityName={c.name} />
          <p>
            <a class="fr-link" href={`/collectivites/${c.siret}`}>
              Revenir à la démarche en ligne pour {c.name}
            </a>
          </p>
        </div>
      </div>
    </Layout>
  );
}
