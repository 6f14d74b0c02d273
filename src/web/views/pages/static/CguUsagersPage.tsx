import type { LayoutSession } from '../../layout.tsx';
import { DEFAULT_SITE_INFO, type SiteInfo } from '../../site.ts';
import { StaticLayout } from './StaticLayout.tsx';

export function CguUsagersPage(props: { site?: SiteInfo; session?: LayoutSession } = {}) {
  const site = props.site ?? DEFAULT_SITE_INFO;
  return (
    <StaticLayout title="Conditions générales d’utilisation pour les usagers" session={props.session}>
      <p>
        Ces conditions décrivent les règles d’utilisation du service {site.serviceName}, proposé par {site.editor.name}.
        Utiliser le service revient à les accepter.
      </p>
      <h2>1. Objet du service</h2>
      <p>
        {site.serviceName} permet à une personne de transmettre à sa commune (ou à son intercommunalité) son quotient
        familial, tel que calculé par la CAF ou la MSA, ainsi que son identité, afin que la collectivité puisse appliquer
        les tarifs qui correspondent à sa situation.
      </p>
      <h2>2. Accès au service</h2>
      <p>
        Le service est gratuit. Il est accessible à toute personne disposant d’un compte utilisable avec FranceConnect.
        Seules les collectivités qui ont adhéré au service peuvent recevoir des données.
      </p>
      <h2>3. Fonctionnement</h2>
      <ul>
        <li>Vous choisissez la collectivité destinataire et vous vous connectez avec FranceConnect.</li>
        <li>Le service récupère votre quotient familial auprès de la CAF ou de la MSA, par API Particulier.</li>
        <li>Vous relisez les informations ; rien n’est transmis sans votre confirmation.</li>
        <li>Une fois confirmées, les informations sont envoyées à la collectivité par HubEE.</li>
      </ul>
      <h2>4. Engagements de l’usager</h2>
      <p>
        Vous vous engagez à utiliser le service pour votre propre situation ou celle de votre foyer, et à ne pas tenter
        d’accéder aux données d’une autre personne ni de perturber le fonctionnement du service.
      </p>
      <h2>5. Responsabilités</h2>
      <p>
        Les informations transmises sont celles fournies par FranceConnect et par votre caisse (CAF ou MSA) : le service ne
        les modifie pas. La collectivité destinataire reste seule responsable de l’usage qu’elle en fait, notamment du
        calcul de ses tarifs. Le service peut être interrompu, notamment pour maintenance, sans que sa responsabilité
        puisse être engagée.
      </p>
      <h2>6. Données personnelles</h2>
      <p>
        Le traitement de vos données est décrit sur la page <a href="/donnees-personnelles">Données personnelles</a>.
      </p>
      <h2>7. Évolution des conditions</h2>
      <p>Ces conditions peuvent évoluer. La version en vigueur est celle publiée sur cette page.</p>
      <p>
        Les collectivités trouveront leurs propres conditions sur la page{' '}
        <a href="/cgu-administrations">CGU pour les administrations</a>.
      </p>
    </StaticLayout>
  );
}
