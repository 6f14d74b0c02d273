import type { LayoutSession } from '../../layout.tsx';
import { DEFAULT_SITE_INFO, type SiteInfo } from '../../site.ts';
import { StaticLayout } from './StaticLayout.tsx';

/** RGAA 4.1.2 accessibility statement: "non conforme" until an audit is made. */
export function AccessibilitePage(props: { site?: SiteInfo; session?: LayoutSession } = {}) {
  const site = props.site ?? DEFAULT_SITE_INFO;
  return (
    <StaticLayout title="Déclaration d’accessibilité" session={props.session}>
      <p>
        La {site.editor.name} s’engage à rendre ses services en ligne accessibles, conformément à l’article 47 de la loi
        n° 2005-102 du 11 février 2005 pour l’égalité des droits et des chances, la participation et la citoyenneté des
        personnes handicapées.
      </p>
      <p>Cette déclaration d’accessibilité s’applique au service {site.serviceName}.</p>

      <h2>État de conformité</h2>
      <p>
        <strong>{site.serviceName} est non conforme</strong> avec le référentiel général d’amélioration de l’accessibilité
        (RGAA), version 4.1.2, car il n’a pas encore fait l’objet d’un audit.
      </p>
      <p>
        Le service a été conçu avec le Système de design de l’État (DSFR), dont les composants tiennent compte de
        l’accessibilité, et il fonctionne sans JavaScript. Cela ne remplace pas un audit complet.
      </p>

      <h2>Résultats des tests</h2>
      <p>Aucun audit de conformité n’a encore été réalisé. Un audit est prévu ; ses résultats seront publiés ici.</p>

      <h2>Contenus non accessibles</h2>
      <p>
        En l’absence d’audit, la liste des contenus non accessibles n’est pas encore établie. Si vous rencontrez une
        difficulté, signalez-la-nous (voir ci-dessous) : nous vous aiderons à accéder à l’information.
      </p>

      <h2>Établissement de cette déclaration</h2>
      <p>Cette déclaration a été établie le {site.accessibilityStatementDate}.</p>
      <p>Un schéma pluriannuel de mise en accessibilité est en cours de rédaction.</p>

      <h2>Retour d’information et contact</h2>
      <p>
        Si vous n’arrivez pas à accéder à un contenu ou à utiliser une fonction du service, contactez-nous pour être
        orienté vers une autre solution ou obtenir le contenu sous une autre forme :{' '}
        <a href={`mailto:${site.contactEmail}`}>{site.contactEmail}</a>.
      </p>

      <h2>Voies de recours</h2>
      <p>
        Si vous nous avez signalé un défaut d’accessibilité qui vous empêche d’accéder à un contenu ou à un service, et
        que vous n’avez pas obtenu de réponse satisfaisante, vous pouvez saisir le Défenseur des droits :
      </p>
      <ul>
        <li>
          par le{' '}
          <a
            href="https://formulaire.defenseurdesdroits.fr/"
            target="_blank"
            rel="noopener"
            title="Formulaire de contact du Défenseur des droits - nouvelle fenêtre"
          >
            formulaire de contact en ligne
          </a>
          ;
        </li>
        <li>
          en contactant{' '}
          <a
            href="https://www.defenseurdesdroits.fr/carte-des-delegues"
            target="_blank"
            rel="noopener"
            title="Liste des délégués du Défenseur des droits - nouvelle fenêtre"
          >
            le délégué du Défenseur des droits de votre région
          </a>
          ;
        </li>
        <li>par téléphone au 09 69 39 00 00 ;</li>
        <li>
          par courrier, gratuitement et sans timbre : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07.
        </li>
      </ul>
    </StaticLayout>
  );
}
