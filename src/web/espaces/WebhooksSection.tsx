import type { WebhookDelivery, WebhookEndpoint } from '../../webhooks/index.ts';
import { WEBHOOK_EVENT_TYPES } from '../../webhooks/index.ts';
import { Table } from '../collectivite/views/Table.tsx';
import { Alert } from '../views/components/Alert.tsx';
import { Field } from '../views/components/Field.tsx';
import { frenchDateTime } from '../views/format.ts';

/** The webhooks of the communes a space manages: the list, the secrets just created (shown once), the form. */
export interface WebhooksSectionProps {
  basePath: string;
  csrfToken: string;
  communes: readonly { siret: string; name: string }[];
  endpoints: WebhookEndpoint[];
  created?: { commune: string; url: string; secret: string }[];
  /** A secret just changed: the new one (shown once) and until when the old one still signs. */
  rotated?: { commune: string; url: string; secret: string; previousSecretUntil: Date };
  notice?: { type: 'success' | 'error'; text: string };
  urlError?: string;
  communesError?: string;
  urlValue?: string;
}

const EVENT_LABELS: Record<string, string> = {
  'transmission.sent': 'transmission reçue par HubEE (transmission.sent)',
  'transmission.status_changed': 'changement d’état (transmission.status_changed)',
};

function endpointState(e: WebhookEndpoint): string {
  if (e.status === 'disabled') return e.disabledReason ? `désactivé (${e.disabledReason})` : 'désactivé';
  return e.failingSince ? `en échec depuis le ${frenchDateTime(e.failingSince)}` : 'actif';
}

export function WebhooksSection(props: WebhooksSectionProps) {
  const nameOf = (siret: string) => props.communes.find((c) => c.siret === siret)?.name ?? siret;
  return (
    <>
      {props.created && props.created.length > 0 ? (
        <Alert type="success" title="Webhook enregistré" live>
          <p>Voici le secret de signature de chaque webhook. Copiez-le maintenant : il ne sera plus jamais affiché.</p>
          <ul>
            {props.created.map((c) => (
              <li>
                {c.commune} — {c.url} : <code class="fqf-secret">{c.secret}</code>
              </li>
            ))}
          </ul>
        </Alert>
      ) : null}
      {props.rotated ? (
        <Alert type="success" title="Secret changé" live>
          <p>
            Nouveau secret de {props.rotated.commune} — {props.rotated.url} : <code class="fqf-secret">{props.rotated.secret}</code>
          </p>
          <p>
            Copiez-le maintenant : il ne sera plus jamais affiché. Jusqu’au {frenchDateTime(props.rotated.previousSecretUntil)}, chaque message porte
            deux signatures, avec l’ancien et avec le nouveau secret : installez le nouveau dans votre logiciel d’ici là, aucune livraison ne sera
            refusée.
          </p>
        </Alert>
      ) : null}
      {props.notice ? <Alert type={props.notice.type} small live title={props.notice.text} /> : null}
      <p>
        Un webhook prévient votre logiciel à chaque transmission et à chaque changement d’état, par un message signé (Standard
        Webhooks), réessayé pendant trois jours. Les livraisons manquées se rattrapent par l’API des transmissions.
      </p>
      <Table caption="Webhooks">
        <thead>
          <tr>
            <th scope="col">Commune</th>
            <th scope="col">Adresse</th>
            <th scope="col">Événements</th>
            <th scope="col">État</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {props.endpoints.length === 0 ? (
            <tr>
              <td colspan={5}>Aucun webhook pour l’instant.</td>
            </tr>
          ) : (
            props.endpoints.map((e) => (
              <tr>
                <td>{e.owner.kind === 'collectivity' ? nameOf(e.owner.siret) : e.owner.name}</td>
                <td>
                  <code>{e.url}</code>
                </td>
                <td>{e.events.join(', ')}</td>
                <td>{endpointState(e)}</td>
                <td>
                  <ul class="fr-btns-group fr-btns-group--sm fr-btns-group--inline-lg">
                    <li>
                      <a class="fr-btn fr-btn--sm fr-btn--secondary" href={`${props.basePath}/webhooks/${e.id}/livraisons`}>
                        Livraisons
                      </a>
                    </li>
                    {e.status === 'active' ? (
                      <li>
                        <form method="post" action={`${props.basePath}/webhooks/${e.id}/tester`}>
                          <input type="hidden" name="_csrf" value={props.csrfToken} />
                          <button type="submit" class="fr-btn fr-btn--sm fr-btn--secondary">
                            Envoyer un événement de test
                          </button>
                        </form>
                      </li>
                    ) : null}
                    <li>
                      <form method="post" action={`${props.basePath}/webhooks/${e.id}/changer-secret`}>
                        <input type="hidden" name="_csrf" value={props.csrfToken} />
                        <button type="submit" class="fr-btn fr-btn--sm fr-btn--tertiary">
                          Changer le secret
                        </button>
                      </form>
                    </li>
                    <li>
                      <form method="post" action={`${props.basePath}/webhooks/${e.id}/${e.status === 'active' ? 'desactiver' : 'activer'}`}>
                        <input type="hidden" name="_csrf" value={props.csrfToken} />
                        <button type="submit" class="fr-btn fr-btn--sm fr-btn--tertiary">
                          {e.status === 'active' ? 'Désactiver' : 'Réactiver'}
                        </button>
                      </form>
                    </li>
                  </ul>
                </td>
              </tr>
            ))
          )}
        </tbody>
      </Table>

      <h2>Enregistrer un webhook</h2>
      <form method="post" action={`${props.basePath}/webhooks`} class="fr-mb-6w">
        <input type="hidden" name="_csrf" value={props.csrfToken} />
        <Field id="url" name="url" type="url" label="Adresse du récepteur" hint="Une adresse https de votre logiciel, par exemple https://logiciel.example.fr/webhooks/formulaire-qf." required error={props.urlError} value={props.urlValue} />
        <fieldset class={props.communesError ? 'fr-fieldset fr-fieldset--error' : 'fr-fieldset'} aria-describedby="communes-messages">
          <legend class="fr-fieldset__legend">Pour quelles communes</legend>
          {props.communes.map((c, index) => (
            <div class="fr-fieldset__element">
              <div class="fr-checkbox-group">
                <input type="checkbox" id={`commune-${index}`} name="communes" value={c.siret} checked={props.communes.length === 1 ? true : undefined} />
                <label class="fr-label" for={`commune-${index}`}>
                  {c.name} (SIRET {c.siret})
                </label>
              </div>
            </div>
          ))}
          <div class="fr-messages-group" id="communes-messages" aria-live="polite">
            {props.communesError ? <p class="fr-message fr-message--error">{props.communesError}</p> : null}
          </div>
        </fieldset>
        <fieldset class="fr-fieldset">
          <legend class="fr-fieldset__legend">Événements</legend>
          {WEBHOOK_EVENT_TYPES.map((type, index) => (
            <div class="fr-fieldset__element">
              <div class="fr-checkbox-group">
                <input type="checkbox" id={`evenement-${index}`} name="evenements" value={type} checked />
                <label class="fr-label" for={`evenement-${index}`}>
                  {EVENT_LABELS[type] ?? type}
                </label>
              </div>
            </div>
          ))}
        </fieldset>
        <button type="submit" class="fr-btn">
          Enregistrer le webhook
        </button>
      </form>
    </>
  );
}

/** One webhook's last deliveries, with the code each attempt received and a replay button. */
export function DeliveriesSection(props: { basePath: string; csrfToken: string; endpoint: WebhookEndpoint; deliveries: WebhookDelivery[]; notice?: string }) {
  const STATUS = { pending: 'en attente', delivered: 'livrée', failed: 'échouée' } as const;
  return (
    <>
      {props.notice ? <Alert type="success" small live title={props.notice} /> : null}
      <p>
        Adresse : <code>{props.endpoint.url}</code>
      </p>
      <Table caption="Dernières livraisons">
        <thead>
          <tr>
            <th scope="col">Identifiant (webhook-id)</th>
            <th scope="col">Événement</th>
            <th scope="col">État</th>
            <th scope="col">Tentatives</th>
            <th scope="col">Dernier code reçu</th>
            <th scope="col">Créée le</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {props.deliveries.length === 0 ? (
            <tr>
              <td colspan={7}>Aucune livraison pour l’instant.</td>
            </tr>
          ) : (
            props.deliveries.map((d) => (
              <tr>
                <td>
                  <code>{d.id}</code>
                </td>
                <td>{d.eventType}</td>
                <td>{STATUS[d.status]}</td>
                <td>{d.attempts}</td>
                <td>{d.lastStatusCode ?? (d.lastError ? 'aucune réponse' : '—')}</td>
                <td>{frenchDateTime(d.createdAt)}</td>
                <td>
                  <form method="post" action={`${props.basePath}/webhooks/livraisons/${d.id}/rejouer`}>
                    <input type="hidden" name="_csrf" value={props.csrfToken} />
                    <button type="submit" class="fr-btn fr-btn--sm fr-btn--tertiary">
                      Rejouer {d.id}
                    </button>
                  </form>
                </td>
              </tr>
            ))
          )}
        </tbody>
      </Table>
      <p>
        <a class="fr-link" href={`${props.basePath}/webhooks`}>
          Revenir aux webhooks
        </a>
      </p>
    </>
  );
}
