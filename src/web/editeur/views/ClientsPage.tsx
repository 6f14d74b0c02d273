import type { ClientSummary } from '../../../db/repositories/editeurs.ts';
import { STATUS_LABELS_FR, type ShipmentStatus } from '../../../domain/shipment-status.ts';
import type { HubeeEnvironment } from '../../../domain/hubee-environment.ts';
import { Table } from '../../collectivite/views/Table.tsx';
import { TestDossierForm, TestDossierSent } from '../../espaces/TestDossier.tsx';
import { Alert } from '../../views/components/Alert.tsx';
import { frenchDateTime } from '../../views/format.ts';
import { EditeurLayout, type EditeurFrame } from './EditeurLayout.tsx';

/** A webhook of a client that fails or was disabled: what the alerts need of it. */
export interface FailingWebhook {
  communeName: string;
  url: string;
  since: Date | null;
  disabled: boolean;
}

export interface ClientsPageProps {
  frame: EditeurFrame;
  clients: ClientSummary[];
  failingWebhooks: FailingWebhook[];
  /** Webhooks per commune SIRET. */
  webhookCounts: Record<string, number>;
  appUrl: string;
  /** Where a test dossier would go (or why none can), and the one just sent to a client. */
  testDossier: { environment: HubeeEnvironment | null; unavailable: string | null; sent: { reference: string; environment: HubeeEnvironment; collectivitySiret: string } | null };
}

const ONBOARDING_LABELS: Record<string, string> = {
  pending: 'inscription en cours',
  done: 'inscrite',
  failed: 'inscription bloquée',
  ended: 'habilitation terminée',
};

/** An onboarding that has not finished a day after its last step, or that failed, is stuck. */
function onboardingStuck(client: ClientSummary, now: Date): boolean {
  const o = client.onboarding;
  if (!o) return false;
  return o.status === 'failed' || (o.status === 'pending' && (o.lastError || now.getTime() - o.updatedAt.getTime() > 86_400_000));
}

function accessMode(client: ClientSummary): string {
  if (!client.onboarding) return 'non renseigné (commune inscrite avant l’espace éditeur)';
  return client.onboarding.delegatedToEditeur ? 'API, déléguée à l’éditeur (vos accès SI HubEE)' : 'portail HubEE (la commune relève elle-même ses dossiers)';
}

export function ClientsPage(props: ClientsPageProps) {
  const now = new Date();
  const stuck = props.clients.filter((c) => onboardingStuck(c, now));
  const waiting = props.clients.filter((c) => c.waiting > 0);
  const alerts = props.failingWebhooks.length + stuck.length + waiting.length;
  return (
    <EditeurLayout title="Communes clientes" section="clients" frame={props.frame}>
      <p>
        Les communes qui vous ont désigné comme éditeur dans leur habilitation DataPass, ou que l’équipe du service vous a rattachées.
        Rien de personnel n’apparaît ici : des états et des nombres.
      </p>
      <h2>Alertes</h2>
      {alerts === 0 ? <p>Aucune alerte : webhooks, transmissions et inscriptions suivent leur cours.</p> : null}
      {props.failingWebhooks.map((w) => (
        <Alert type="error" small title={`Webhook de ${w.communeName} ${w.disabled ? 'désactivé' : 'en échec'}${w.since ? ` depuis le ${frenchDateTime(w.since)}` : ''} : ${w.url}`} />
      ))}
      {waiting.map((c) => (
        <Alert type="warning" small title={`${c.name} : ${c.waiting} transmission${c.waiting > 1 ? 's' : ''} en attente (envoi à HubEE en cours ou échoué, ou dossier non relevé depuis deux jours).`} />
      ))}
      {stuck.map((c) => (
        <Alert type="warning" small title={`${c.name} : l’inscription au service est bloquée${c.onboarding?.step ? ` (étape ${c.onboarding.step})` : ''} ; l’équipe du service en est prévenue.`} />
      ))}

      <Table caption="Communes clientes">
        <thead>
          <tr>
            <th scope="col">Commune</th>
            <th scope="col">Inscription</th>
            <th scope="col">Accès HubEE</th>
            <th scope="col">Transmissions (30 jours)</th>
          </tr>
        </thead>
        <tbody>
          {props.clients.length === 0 ? (
            <tr>
              <td colspan={4}>Aucune commune cliente pour l’instant.</td>
            </tr>
          ) : (
            props.clients.map((c) => (
              <tr>
                <td>
                  <a href={`#commune-${c.siret}`}>{c.name}</a>
                </td>
                <td>{c.status === 'inactive' ? 'n’utilise plus le service' : c.onboarding ? (ONBOARDING_LABELS[c.onboarding.status] ?? c.onboarding.status) : 'active'}</td>
                <td>{accessMode(c)}</td>
                <td>
                  {c.counts.length === 0 ? 'aucune' : c.counts.map((n) => `${STATUS_LABELS_FR[n.status as ShipmentStatus] ?? n.status} : ${n.count}`).join(' ; ')}
                </td>
              </tr>
            ))
          )}
        </tbody>
      </Table>

      {props.clients.map((c) => (
        <section id={`commune-${c.siret}`} class="fr-mb-6w">
          <h2>Intégrer {c.name}</h2>
          <ul>
            <li>
              SIRET : <code>{c.siret}</code> ; code COG : <code>{c.codeCog}</code>
            </li>
            <li>
              Lien de la démarche pour son portail : <code>{`${props.appUrl}/collectivites/${c.siret}?external_id=…&redirect_uri=…`}</code> (les adresses de retour
              se déclarent dans l’espace collectivité de la commune)
            </li>
            <li>Dossiers HubEE : démarche <code>FormulaireQF</code>, {accessMode(c)}</li>
            <li>
              États des transmissions : <code>{`GET ${props.appUrl}/api/v2/transmissions?siret=${c.siret}`}</code> avec une{' '}
              <a href="/editeur/cles">clé d’API</a>
            </li>
            <li>
              Webhooks : {props.webhookCounts[c.siret] ?? 0} enregistré{(props.webhookCounts[c.siret] ?? 0) > 1 ? 's' : ''} (<a href="/editeur/webhooks">gérer les webhooks</a>)
            </li>
          </ul>
          {props.testDossier.sent?.collectivitySiret === c.siret ? <TestDossierSent reference={props.testDossier.sent.reference} environment={props.testDossier.sent.environment} collectivityName={c.name} /> : null}
          {c.status === 'active' ? (
            <TestDossierForm
              action={`/editeur/clients/${c.siret}/dossier-de-test`}
              csrfToken={props.frame.csrfToken}
              collectivityName={c.name}
              environment={props.testDossier.environment}
              unavailable={props.testDossier.unavailable}
            />
          ) : (
            <p>Dossier de test : {c.name} n’utilise plus le service, HubEE ne lui transmet rien.</p>
          )}
        </section>
      ))}
      <p>
        Tout le détail : <a href="/api/documentation">la documentation de l’API</a>.
      </p>
    </EditeurLayout>
  );
}
