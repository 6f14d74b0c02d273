import { Field } from '../components/Field.tsx';
import { StatusBadge, statusLabel, type TransmissionStatus } from '../components/StatusBadge.tsx';
import { groupedShipmentReference } from '../../../domain/shipment-reference.ts';
import { frenchDateTime } from '../format.ts';
import { Layout, type LayoutSession } from '../layout.tsx';
import { hasContact, type FamilyInfo } from '../../../db/repositories/family-info.ts';
import { FamilyContact, Lines, PublicContact } from '../../collectivite/views/FamilyContact.tsx';

export type { TransmissionStatus };

export interface FollowUpPageProps {
  reference: string;
  collectivityName: string;
  status: TransmissionStatus;
  /** Oldest first or newest first: shown newest first. */
  history: { status: TransmissionStatus; at: Date }[];
  session?: LayoutSession;
  /** The contact the commune set in its espace collectivité. */
  familyInfo?: FamilyInfo | null;
  /** Its postal code, for the contact shown until the commune sets its own. */
  collectivityPostalCode?: string | null;
  /** What the commune wrote to the family in HubEE ("Message pour l’usager"). */
  communeMessage?: { text: string; at: Date } | null;
}

export const FOLLOW_UP_LOOKUP_ACTION = '/suivi';

const STATUS_EXPLANATIONS: Record<TransmissionStatus, (commune: string) => string> = {
  pending: (commune) =>
    `Votre demande est enregistrée et part vers ${commune}. L’envoi peut prendre un peu de temps si le service d’acheminement est très sollicité : vous n’avez rien à faire.`,
  SENT: (commune) => `Votre demande a été transmise. Elle attend que ${commune} la récupère.`,
  SI_RECEIVED: (commune) => `${commune} a bien reçu votre demande. Elle va maintenant la traiter.`,
  IN_PROGRESS: (commune) => `${commune} est en train de traiter votre demande.`,
  DONE: (commune) => `${commune} a traité votre demande. Votre quotient familial est pris en compte.`,
  REFUSED: (commune) =>
    `${commune} a refusé votre demande. Lisez son message s’il y en a un ci-dessous, ou contactez-la pour en connaître la raison et savoir quoi faire.`,
  failed: (commune) =>
    `Votre demande n’a pas pu être transmise à ${commune}, malgré plusieurs tentatives.`,
};

/** Capital letter at the start of a sentence that may begin with a name such as « la collectivité ». */
function sentence(text: string): string {
  return text.charAt(0).toLocaleUpperCase('fr-FR') + text.slice(1);
}

/** Public status of a démarche, found by its reference: nothing personal is shown. */
export function FollowUpPage(props: FollowUpPageProps) {
  const history = [...props.history].sort((a, b) => b.at.getTime() - a.at.getTime());
  return (
    <Layout title={`Suivi de la démarche ${groupedShipmentReference(props.reference)}`} session={props.session}>
      <div class="fr-grid-row fr-grid-row--center">
        <div class="fr-col-12 fr-col-md-10 fr-col-lg-8">
          <h1>Suivi de ma démarche</h1>
          <dl class="fqf-dl">
            <div class="fqf-dl__row">
              <dt>Identifiant</dt>
              <dd class="fqf-reference">{groupedShipmentReference(props.reference)}</dd>
            </div>
            <div class="fqf-dl__row">
              <dt>Collectivité</dt>
              <dd>{props.collectivityName}</dd>
            </div>
            <div class="fqf-dl__row">
              <dt>État</dt>
              <dd>
                <StatusBadge status={props.status} />
              </dd>
            </div>
          </dl>
          <p>{sentence((STATUS_EXPLANATIONS[props.status] ?? STATUS_EXPLANATIONS.pending)(props.collectivityName))}</p>

          {props.status === 'failed' ? (
            <div class="fr-alert fr-alert--warning fr-mb-4w">
              <h2 class="fr-alert__title">Que faire ?</h2>
              <ul>
                <li>Recommencez la démarche : elle ne prend que quelques minutes.</li>
                <li>Ou contactez {props.collectivityName} pour lui transmettre votre quotient familial autrement.</li>
              </ul>
              <p>
                <a class="fr-link" href="/collectivites">
                  Recommencer une démarche
                </a>
              </p>
            </div>
          ) : null}

          {props.communeMessage ? <CommuneMessageBlock collectivityName={props.collectivityName} message={props.communeMessage} /> : null}

          {props.familyInfo && hasContact(props.familyInfo) ? (
            <FamilyContact collectivityName={props.collectivityName} info={props.familyInfo} />
          ) : props.collectivityPostalCode ? (
            <PublicContact collectivityName={props.collectivityName} codePostal={props.collectivityPostalCode} />
          ) : null}

          {history.length > 0 ? (
            <>
              <h2>Historique</h2>
              {/* Newest first: a plain list, since numbers 1, 2, 3 would count backwards in time. */}
              <ul class="fqf-history">
                {history.map((entry) => (
                  <li>
                    <time datetime={entry.at.toISOString()}>{frenchDateTime(entry.at)}</time> : démarche{' '}
                    {statusLabel(entry.status)}
                  </li>
                ))}
              </ul>
            </>
          ) : null}

          <p class="fr-mt-4w">
            <a class="fr-link" href={FOLLOW_UP_LOOKUP_ACTION}>
              Suivre une autre démarche
            </a>
          </p>
        </div>
      </div>
    </Layout>
  );
}

/** The commune's own words, escaped like every text (hono/jsx), its line breaks kept. */
function CommuneMessageBlock(props: { collectivityName: string; message: { text: string; at: Date } }) {
  return (
    <section class="fr-mb-4w" aria-labelledby="message-commune">
      <h2 id="message-commune">Message de {props.collectivityName}</h2>
      <div class="fr-highlight">
        {props.message.text.split(/\n\s*\n/).map((paragraph) => (
          <p>
            <Lines text={paragraph} />
          </p>
        ))}
        <p class="fr-text--sm fr-mb-0">
          Écrit le <time datetime={props.message.at.toISOString()}>{frenchDateTime(props.message.at)}</time>
        </p>
      </div>
    </section>
  );
}

function LookupForm(props: { error?: string | undefined; reference?: string | undefined }) {
  return (
    <form method="get" action={FOLLOW_UP_LOOKUP_ACTION} class="fr-mb-4w">
      <Field
        id="reference"
        name="reference"
        label="Identifiant de la démarche"
        hint="Il figure sur la page affichée à la fin de votre démarche : 13 caractères, chiffres et lettres de A à F, avec ou sans espaces (par exemple 3F9A 0C12 B7E4D)."
        error={props.error}
        value={props.reference}
        autocomplete="off"
        spellcheck={false}
        maxLength={40}
        required
      />
      <button type="submit" class="fr-btn">
        Voir l’état de ma démarche
      </button>
    </form>
  );
}

/** GET /suivi?reference=: find a démarche by its reference. */
export function FollowUpLookupPage(props: { error?: string | undefined; reference?: string | undefined; session?: LayoutSession }) {
  return (
    <Layout title="Suivre ma démarche" isError={Boolean(props.error)} session={props.session}>
      <div class="fr-grid-row fr-grid-row--center">
        <div class="fr-col-12 fr-col-md-10 fr-col-lg-8">
          <h1>Suivre ma démarche</h1>
          <p>Saisissez l’identifiant de votre démarche pour savoir où en est votre demande auprès de votre collectivité.</p>
          <LookupForm error={props.error} reference={props.reference} />
        </div>
      </div>
    </Layout>
  );
}

/** No démarche has this reference (or it was forgotten). */
export function FollowUpNotFoundPage(props: { reference: string; session?: LayoutSession }) {
  return (
    <Layout title="Démarche introuvable" isError session={props.session}>
      <div class="fr-grid-row fr-grid-row--center">
        <div class="fr-col-12 fr-col-md-10 fr-col-lg-8">
          <h1>Démarche introuvable</h1>
          <p>
            Aucune démarche ne correspond à l’identifiant <strong>{props.reference}</strong>. Vérifiez qu’il est complet et
            sans faute de frappe, puis réessayez.
          </p>
          <LookupForm reference={props.reference} error="Cet identifiant ne correspond à aucune démarche." />
        </div>
      </div>
    </Layout>
  );
}
