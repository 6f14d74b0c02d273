import type { LayoutSession } from '../../layout.tsx';
import { DEFAULT_SITE_INFO, type SiteInfo } from '../../site.ts';
import { StaticLayout } from './StaticLayout.tsx';

export function DonneesPersonnellesPage(props: { site?: SiteInfo; session?: LayoutSession } = {}) {
  const site = props.site ?? DEFAULT_SITE_INFO;
  return (
    <StaticLayout title="Données personnelles" session={props.session}>
      <p class="fr-text--lead">
        {site.serviceName} manipule des données personnelles le moins possible et le moins longtemps possible. Voici
        lesquelles, pourquoi, et pour combien de temps.
      </p>

      <h2>Responsable de traitement</h2>
      <p>{site.editor.name}, {site.editor.address}.</p>

      <h2>Quelles données sont traitées ?</h2>
      <ul>
        <li>
          <strong>Votre identité</strong>, transmise par FranceConnect : nom de naissance, prénoms, sexe, date, commune et
          pays de naissance.
        </li>
        <li>
          <strong>Votre quotient familial</strong>, transmis par la CAF ou la MSA par API Particulier : sa valeur, le mois
          concerné, l’organisme, ainsi que les allocataires et les enfants du foyer (noms, prénoms, dates de naissance,
          sexe).
        </li>
        <li>
          <strong>Les informations de la démarche</strong> : la collectivité destinataire, l’identifiant de la démarche, le
          numéro de dossier éventuellement fourni par la collectivité, les dates et l’état d’avancement.
        </li>
      </ul>

      <h2>Pourquoi ? Sur quelle base juridique ?</h2>
      <p>
        Les données sont traitées pour permettre à votre collectivité d’appliquer les tarifs de ses services (restauration
        scolaire, accueil périscolaire, transports…) selon votre situation, sans vous demander de justificatif. Ce
        traitement relève d’une mission d’intérêt public (article 6.1.e du règlement général sur la protection des
        données) et s’inscrit dans le principe « Dites-le-nous une fois » du code des relations entre le public et
        l’administration (articles L. 114-8 et suivants).
      </p>

      <h2>Combien de temps ?</h2>
      <ul>
        <li>
          Votre identité et votre quotient familial ne sont gardés que le temps de la démarche : au plus 30 minutes si vous
          ne la terminez pas, et jusqu’à ce que HubEE ait reçu le dossier si vous confirmez l’envoi. Pendant ce temps, ils
          sont chiffrés.
        </li>
        <li>
          Nous gardons ensuite seulement l’identifiant de la démarche, la collectivité, les états d’avancement et leurs
          dates, pour vous permettre de suivre la démarche, pendant 90 jours : ils sont ensuite effacés. Les identifiants
          du dossier chez HubEE sont effacés dès que la collectivité l’a clos.
        </li>
        <li>
          Les statistiques du service ne sont que des comptages par heure et par collectivité (démarches commencées,
          erreurs…) : elles ne contiennent aucune donnée vous concernant, et sont effacées après 13 mois.
        </li>
        <li>
          La collectivité conserve les données reçues selon ses propres règles : renseignez-vous auprès d’elle.
        </li>
      </ul>

      <h2>Qui reçoit les données ?</h2>
      <p>
        Seule la collectivité que vous avez choisie, par HubEE, le service de l’État qui achemine les démarches vers les
        collectivités.
      </p>

      <h2>Cookies</h2>
      <p>
        Le service n’utilise qu’un cookie de session, indispensable pour sécuriser votre connexion et votre démarche. Il est
        effacé à la fin de la démarche. Il n’y a ni cookie publicitaire, ni outil de mesure d’audience tiers : aucun
        consentement n’est donc demandé.
      </p>

      <h2>Vos droits</h2>
      <p>
        Vous disposez d’un droit d’accès, de rectification, de limitation et d’opposition sur vos données. Les données
        d’identité et de quotient familial proviennent de FranceConnect et de votre caisse : pour les corriger, adressez-vous
        à elles. Pour les données reçues par votre collectivité, adressez-vous à elle.
      </p>
      <p>
        Pour exercer vos droits auprès de nous, ou pour toute question, écrivez au délégué à la protection des données :{' '}
        <a href={`mailto:${site.dpoEmail}`}>{site.dpoEmail}</a>.
      </p>
      <p>
        Si vous estimez que vos droits ne sont pas respectés, vous pouvez adresser une réclamation à la{' '}
        <a href="https://www.cnil.fr/fr/plaintes" target="_blank" rel="noopener" title="Adresser une plainte à la CNIL - nouvelle fenêtre">
          CNIL
        </a>
        .
      </p>
    </StaticLayout>
  );
}
