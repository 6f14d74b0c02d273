import { groupedShipmentReference } from '../../../domain/shipment-reference.ts';
import { Layout, type LayoutSession } from '../layout.tsx';

export interface ConfirmationPageProps {
  collectivityName: string;
  reference: string;
  /** The follow-up page of this démarche, e.g. /suivi/{reference}. */
  followUpUrl: string;
  /** Already validated for this collectivity: a plain link back to its site. */
  redirectUri?: string | undefined;
  /** HubEE failed for now: the transmission is stored and will be retried (still a success for the citizen). */
  queued: boolean;
  /** The récapitulatif PDF, while the journey still holds what was sent. */
  recapitulatifUrl?: string | undefined;
  session?: LayoutSession;
}

/** The end of the journey: the reference to keep, and the way back to the commune's site. */
export function ConfirmationPage(props: ConfirmationPageProps) {
  const heading = props.queued
    ? `Votre demande est enregistrée : elle sera transmise à ${props.collectivityName} dès que possible`
    : `Vos informations ont bien été transmises à ${props.collectivityName}`;
  return (
    <Layout title={props.queued ? 'Demande enregistrée' : 'Informations transmises'} session={props.session}>
      <div class="fr-grid-row fr-grid-row--center">
        <div class="fr-col-12 fr-col-md-10 fr-col-lg-8">
          <h1>{heading}</h1>
          {props.queued ? (
            <div class="fr-alert fr-alert--info fr-mb-4w">
              <h2 class="fr-alert__title">Rien à refaire de votre côté</h2>
              <p>
                Le service qui achemine les démarches vers les collectivités ne répond pas pour le moment. Votre demande
                est bien enregistrée et partira automatiquement dès qu’il sera de nouveau disponible.
              </p>
            </div>
          ) : (
            <div class="fr-alert fr-alert--success fr-mb-4w">
              <h2 class="fr-alert__title">C’est terminé</h2>
              <p>
                {props.collectivityName} va recevoir votre quotient familial et votre identité. Elle pourra s’en servir
                pour calculer vos tarifs.
              </p>
            </div>
          )}

          <div class="fr-callout fr-mb-4w">
            <h2 class="fr-callout__title">Identifiant de votre démarche</h2>
            <p class="fr-callout__text fqf-reference">{groupedShipmentReference(props.reference)}</p>
            <p>
              Notez-le ou téléchargez le récapitulatif : il vous permet de suivre votre démarche et de la mentionner si
              vous contactez {props.collectivityName}.
            </p>
            {props.recapitulatifUrl ? (
              <p>
                <a class="fr-link fr-link--download" href={props.recapitulatifUrl} download>
                  Télécharger le récapitulatif de ma démarche
                  <span class="fr-link__detail">PDF – ce qui a été transmis, à qui, quand</span>
                </a>
              </p>
            ) : null}
          </div>

          <h2>Et ensuite ?</h2>
          <p>
            {props.collectivityName} traite votre demande. Vous pouvez suivre son avancement à tout moment avec votre
            identifiant.
          </p>
          <p>
            {props.queued
              ? 'Votre identité et votre quotient familial sont gardés de façon chiffrée jusqu’à leur envoi, puis effacés de notre service.'
              : 'Votre identité et votre quotient familial ne sont pas conservés par notre service.'}{' '}
            Nous gardons seulement l’identifiant, la collectivité, les dates et l’état d’avancement de la démarche.
          </p>
          <ul class="fr-btns-group fr-btns-group--inline-md">
            {props.redirectUri ? (
              <li>
                <a class="fr-btn" href={props.redirectUri}>
                  Retourner sur le site de ma collectivité
                </a>
              </li>
            ) : null}
            <li>
              <a class={props.redirectUri ? 'fr-btn fr-btn--secondary' : 'fr-btn'} href={props.followUpUrl}>
                Suivre ma démarche
              </a>
            </li>
          </ul>
        </div>
      </div>
    </Layout>
  );
}
