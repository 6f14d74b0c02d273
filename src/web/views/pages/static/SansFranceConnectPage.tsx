import { Alternatives } from '../../components/Alternatives.tsx';
import type { LayoutSession } from '../../layout.tsx';
import { StaticLayout } from './StaticLayout.tsx';
import { hasContact, type FamilyInfo } from '../../../../db/repositories/family-info.ts';
import { FamilyContact, WithoutFranceConnectText } from '../../../collectivite/views/FamilyContact.tsx';

/** With `commune`: that commune's page (/collectivites/{siret}/sans-franceconnect), its own text and contact first. */
export interface SansFranceConnectCommune {
  name: string;
  siret: string;
  info: FamilyInfo | null;
}

export function SansFranceConnectPage(props: { session?: LayoutSession; commune?: SansFranceConnectCommune } = {}) {
  const commune = props.commune;
  return (
    <StaticLayout title={commune ? `Vous n’utilisez pas FranceConnect ? (${commune.name})` : 'Vous n’utilisez pas FranceConnect ?'} session={props.session}>
      {commune?.info?.withoutFranceConnectText ? <WithoutFranceConnectText collectivityName={commune.name} text={commune.info.withoutFranceConnectText} /> : null}
      {commune?.info && hasContact(commune.info) ? <FamilyContact collectivityName={commune.name} info={commune.info} /> : null}
      <p class="fr-text--lead">
        Ce service en ligne passe par FranceConnect pour être sûr de votre identité. Si vous ne pouvez pas ou ne voulez
        pas l’utiliser, votre commune peut quand même connaître votre quotient familial.
      </p>
      <Alternatives showMoreLink={false} />
      <h2>Obtenir une attestation de quotient familial</h2>
      <h3>Auprès de la CAF</h3>
      <ol>
        <li>
          Connectez-vous à votre espace sur{' '}
          <a href="https://www.caf.fr" target="_blank" rel="noopener" title="caf.fr - nouvelle fenêtre">
            caf.fr
          </a>{' '}
          (« Mon Compte »).
        </li>
        <li>Ouvrez la rubrique « Mes attestations ».</li>
        <li>Choisissez l’attestation de quotient familial, téléchargez-la, puis remettez-la à votre commune.</li>
      </ol>
      <h3>Auprès de la MSA</h3>
      <p>
        Connectez-vous à votre espace privé sur{' '}
        <a href="https://www.msa.fr" target="_blank" rel="noopener" title="msa.fr - nouvelle fenêtre">
          msa.fr
        </a>{' '}
        pour télécharger une attestation, ou demandez-la à votre caisse MSA.
      </p>
      <h2>Au guichet de votre commune</h2>
      <p>
        L’accueil de votre mairie (ou le service enfance, scolaire ou périscolaire) peut aussi consulter votre quotient
        familial à partir de votre identité, si la commune a accès à ce service. Renseignez-vous auprès d’elle sur les
        documents à apporter.
      </p>
      <h2>Qu’est-ce que FranceConnect ?</h2>
      <p>
        FranceConnect permet de vous connecter à de nombreux services publics avec un compte que vous avez déjà : celui
        d’impots.gouv.fr, d’ameli.fr, de l’Identité Numérique La Poste, de France Identité ou de la MSA, par exemple. Si vous
        avez l’un de ces comptes, vous pouvez utiliser{' '}
        <a href={commune ? `/collectivites/${commune.siret}` : '/collectivites'}>la démarche en ligne</a>.
      </p>
    </StaticLayout>
  );
}
