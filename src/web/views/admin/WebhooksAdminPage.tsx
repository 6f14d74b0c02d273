import type { WebhookDelivery, WebhookEndpoint } from '../../../webhooks/index.ts';
import { WEBHOOK_EVENT_TYPES } from '../../../webhooks/index.ts';
import { AdminLayout, formatDateTime, Table, type OperatorFrame } from './AdminLayout.tsx';
import { technicalErrorFr } from './technical-error.ts';
import { collectivityLabel, Notice, PostButton } from './OperationsPages.tsx';

const DELIVERY_LABELS: Record<string, string> = { pending: 'en cours de réessai', delivered: 'livrée', failed: 'en échec' };

export interface EndpointWithDeliveries {
  endpoint: WebhookEndpoint;
  deliveries: WebhookDelivery[];
}

/** The webhook endpoints, the disabled ones first, each with its latest deliveries and the receiver's answers. */
export function WebhooksAdminPage(props: {
  operator: OperatorFrame;
  endpoints: EndpointWithDeliveries[];
  csrfToken: string;
  notice: string | null;
  error?: string | null;
  /** Shown once, right after a creation. */
  created?: { id: string; secret: string } | null;
  /** Names of the collectivities owning endpoints, shown beside their SIRETs. */
  names?: ReadonlyMap<string, string>;
}) {
  const names = props.names ?? new Map<string, string>();
  const owner = (e: WebhookEndpoint) => (e.owner.kind === 'collectivity' ? `collectivité ${collectivityLabel(e.owner.siret, names)}` : `éditeur ${e.owner.name}`);
  const ordered = [...props.endpoints].sort((a, b) => Number(a.endpoint.status === 'active') - Number(b.endpoint.status === 'active'));
  return (
    <AdminLayout title="Webhooks" current="/admin/webhooks" operator={props.operator}>
      <Notice message={props.notice} />
      <Notice message={props.error ?? null} kind="error" />
      {props.created ? (
        <div class="fr-alert fr-alert--info fr-mb-3w">
          <h2 class="fr-alert__title">Secret du webhook {props.created.id}</h2>
          <p>
            À transmettre au destinataire maintenant : il ne sera plus affiché. <code>{props.created.secret}</code>
          </p>
        </div>
      ) : null}
      <Table
        caption="Points de réception (désactivés en premier)"
        headers={['Destinataire', 'Adresse', 'Événements', 'État', 'En échec depuis', 'Action']}
        rows={ordered.map(({ endpoint: e }) => [
          owner(e),
          e.url,
          e.events.join(', '),
          e.status !== 'active' ? (
            `désactivé le ${formatDateTime(e.disabledAt)} : ${e.disabledReason ?? ''}`
          ) : e.failingSince !== null ? (
            <span class="fr-badge fr-badge--sm fr-badge--error">en échec</span>
          ) : (
            <span class="fr-badge fr-badge--sm fr-badge--success">actif</span>
          ),
          formatDateTime(e.failingSince),
          <PostButton
            action={`/admin/webhooks/${e.id}/${e.status === 'active' ? 'desactiver' : 'activer'}`}
            label={e.status === 'active' ? 'Désactiver' : 'Remettre en service'}
            csrfToken={props.csrfToken}
            secondary={e.status === 'active'}
          />,
        ])}
        empty="Aucun webhook enregistré."
      />
      {ordered.map(({ endpoint: e, deliveries }) => (
        <Table
          caption={`Dernières livraisons vers ${e.url} (${owner(e)})`}
          headers={['Message (webhook-id)', 'Événement', 'Créé le', 'État', 'Tentatives', 'Dernier code reçu', 'Action']}
          rows={deliveries.map((d) => [
            d.id,
            d.eventType,
            formatDateTime(d.createdAt),
            DELIVERY_LABELS[d.status] ?? d.status,
            String(d.attempts),
            d.lastStatusCode === null ? technicalErrorFr(d.lastError) : `HTTP ${d.lastStatusCode}`,
            e.status === 'active' ? <PostButton action={`/admin/webhooks/livraisons/${d.id}/rejouer`} label="Rejouer" csrfToken={props.csrfToken} secondary /> : '—',
          ])}
          empty="Aucune livraison."
        />
      ))}
      <h2>Enregistrer un webhook</h2>
      <form method="post" action="/admin/webhooks">
        <input type="hidden" name="_csrf" value={props.csrfToken} />
        <div class="fr-input-group">
          <label class="fr-label" for="webhook-siret">
            SIRET de la collectivité <span class="fr-hint-text">ou, à la place, le nom de l’éditeur ci-dessous</span>
          </label>
          <input class="fr-input" id="webhook-siret" name="siret" inputmode="numeric" maxlength={14} />
        </div>
        <div class="fr-input-group">
          <label class="fr-label" for="webhook-editeur">
            Éditeur <span class="fr-hint-text">le nom donné par DataPass</span>
          </label>
          <input class="fr-input" id="webhook-editeur" name="editeur" maxlength={200} />
        </div>
        <div class="fr-input-group">
          <label class="fr-label" for="webhook-url">
            Adresse du récepteur <span class="fr-hint-text">https://…</span>
          </label>
          <input class="fr-input" id="webhook-url" name="url" type="url" required maxlength={2000} />
        </div>
        <fieldset class="fr-fieldset">
          <legend class="fr-fieldset__legend">Événements</legend>
          {WEBHOOK_EVENT_TYPES.map((type) => (
            <div class="fr-fieldset__element">
              <div class="fr-checkbox-group">
                <input type="checkbox" id={`event-${type}`} name="events" value={type} checked />
                <label class="fr-label" for={`event-${type}`}>
                  {type}
                </label>
              </div>
            </div>
          ))}
        </fieldset>
        <button class="fr-btn" type="submit">
          Enregistrer
        </button>
      </form>
    </AdminLayout>
  );
}
