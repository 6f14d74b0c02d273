import type { LayoutSession } from '../../layout.tsx';
import { DEFAULT_SITE_INFO, type SiteInfo } from '../../site.ts';
import { StaticLayout } from './StaticLayout.tsx';

export function CguAdministrationsPage(props: { site?: SiteInfo; session?: LayoutSession } = {}) {
  const site = props.site ?? DEFAULT_SITE_INFO;
  return (
    <StaticLayout title="Conditions générales d’utilisation pour les administrations" session={props.session}>
      <p>
        Ces conditions s’appliquent aux collectivités (communes, intercommunalités) et à leurs éditeurs de logiciels qui
        reçoivent des données par {site.serviceName}, service proposé par {site.editor.name}.
      </p>
      <h2>1. Adhésion</h2>
      <p>
        Une collectivité accède au service après une demande d’habilitation sur DataPass, validée par l’équipe API
        Particulier. L’habilitation précise le cadre juridique et les finalités (tarification sociale des services
        municipaux, par exemple). Une fois l’habilitation validée, la collectivité apparaît dans le service et reçoit ses
        démarches par HubEE, sur le portail HubEE ou dans le logiciel de son éditeur.
      </p>
      <h2>2. Données reçues</h2>
      <p>
        Pour chaque démarche, la collectivité reçoit l’identité de la personne telle que transmise par FranceConnect, son
        quotient familial, les allocataires et les enfants du foyer tels que transmis par la CAF ou la MSA, ainsi que, le
        cas échéant, son propre numéro de dossier.
      </p>
      <h2>3. Engagements de la collectivité</h2>
      <ul>
        <li>Utiliser les données pour les seules finalités prévues par son habilitation.</li>
        <li>Ne conserver les données que le temps nécessaire à ces finalités.</li>
        <li>En assurer la sécurité et la confidentialité, et n’y donner accès qu’aux agents qui en ont besoin.</li>
        <li>Informer les familles de l’usage qui est fait de leurs données et de leurs droits.</li>
        <li>Mettre à jour l’état des démarches dans HubEE, pour que les familles puissent en suivre l’avancement.</li>
      </ul>
      <h2>4. Mise à jour du quotient familial</h2>
      <p>
        Avec son habilitation, la collectivité (ou son éditeur) peut interroger API Particulier à partir de l’identité reçue
        pour mettre à jour le quotient familial les années suivantes, dans le respect des limites d’usage de l’API.
      </p>
      <h2>5. Responsabilités</h2>
      <p>
        Le service achemine les données sans les modifier. La collectivité est responsable du traitement qu’elle fait des
        données reçues. Le service peut être interrompu, notamment pour maintenance ; les démarches confirmées par les
        familles sont alors transmises dès son rétablissement.
      </p>
      <h2>6. Évolution des conditions</h2>
      <p>Ces conditions peuvent évoluer. Les collectivités adhérentes sont informées des changements importants.</p>
    </StaticLayout>
  );
}
