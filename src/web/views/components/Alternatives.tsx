/**
 * The ways to hand the quotient familial to the commune without this online form: used on the
 * "sans FranceConnect" page and on every page where the QF could not be fetched.
 */
export function Alternatives(props: { collectivityName?: string; headingLevel?: 2 | 3; showMoreLink?: boolean }) {
  const Heading = props.headingLevel === 3 ? 'h3' : 'h2';
  const commune = props.collectivityName ? props.collectivityName : 'votre commune';
  return (
    <section class="fr-mb-4w" aria-labelledby="autres-solutions">
      <Heading id="autres-solutions">Les autres solutions</Heading>
      <ul>
        <li>
          <strong>Vous êtes allocataire de la CAF :</strong> téléchargez une attestation de quotient familial sur{' '}
          <a href="https://www.caf.fr" target="_blank" rel="noopener" title="caf.fr - nouvelle fenêtre">
            caf.fr
          </a>
          , dans « Mon Compte », rubrique « Mes attestations », puis remettez-la à {commune}.
        </li>
        <li>
          <strong>Vous dépendez de la MSA :</strong> demandez une attestation depuis votre espace privé sur{' '}
          <a href="https://www.msa.fr" target="_blank" rel="noopener" title="msa.fr - nouvelle fenêtre">
            msa.fr
          </a>{' '}
          ou auprès de votre caisse MSA.
        </li>
        <li>
          <strong>Au guichet :</strong> rendez-vous à l’accueil de {commune} avec vos justificatifs (par exemple
          l’attestation de la CAF ou de la MSA, ou votre dernier avis d’imposition) ; on vous dira lesquels sont
          nécessaires.
        </li>
      </ul>
      {props.showMoreLink === false ? null : (
        <p>
          <a class="fr-link" href="/sans-franceconnect">
            En savoir plus sur les autres solutions
          </a>
        </p>
      )}
    </section>
  );
}
