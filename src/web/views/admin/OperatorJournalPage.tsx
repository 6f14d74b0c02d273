import type { JournalAction, JournalRecord } from '../../../db/repositories/espace-journal.ts';
import { AdminLayout, formatDateTime, Table, type OperatorFrame } from './AdminLayout.tsx';

const ACTION_LABELS: Record<JournalAction, string> = {
  sign_in: 'connexion à l’espace collectivité',
  sign_in_refused: 'connexion refusée à l’espace collectivité',
  sign_out: 'déconnexion de l’espace collectivité',
  agent_added: 'ajout d’un agent',
  agent_removed: 'retrait d’un agent',
  agent_role_changed: 'changement de rôle d’un agent',
  settings_changed: 'paramètres modifiés',
  operator_sign_in: 'connexion au back office',
  operator_sign_in_refused: 'connexion refusée au back office',
  operator_sign_out: 'déconnexion du back office',
  collectivity_status_changed: 'changement d’état d’une collectivité',
  shipment_retried: 'relance d’une transmission',
  onboarding_retried: 'relance d’un raccordement',
  webhook_created: 'création d’un webhook',
  webhook_status_changed: 'changement d’état d’un webhook',
  webhook_delivery_replayed: 'rejeu d’une livraison de webhook',
  api_key_created: 'création d’une clé d’API',
  api_key_revoked: 'révocation d’une clé d’API',
  client_linked: 'rattachement d’une commune à un éditeur',
  api_particulier_token_saved: 'jeton API Particulier enregistré',
  api_particulier_token_refused: 'jeton API Particulier refusé',
  api_particulier_token_deleted: 'jeton API Particulier supprimé',
  api_particulier_call: 'appel à API Particulier',
  mise_a_jour: 'mise à jour annuelle des QF',
  test_dossier_sent: 'dossier de test envoyé',
  webhook_test_sent: 'événement de test envoyé à un webhook',
  webhook_secret_rotated: 'secret d’un webhook changé',
};

/** Every sign-in of an operator and every change one made, newest first. */
export function OperatorJournalPage(props: { operator: OperatorFrame; entries: JournalRecord[] }) {
  return (
    <AdminLayout title="Journal des opérateurs" current="/admin/journal" operator={props.operator}>
      <p>Les connexions au back office, acceptées ou refusées, et chaque changement fait par un opérateur (les 200 derniers).</p>
      <Table
        caption="Journal des opérateurs"
        headers={['Quand', 'Qui', 'Quoi', 'Collectivité', 'Objet', 'Détail']}
        empty="Rien encore."
        rows={props.entries.map((e) => [formatDateTime(e.at), e.actor ?? '—', ACTION_LABELS[e.action] ?? e.action, e.siret ?? '', e.target ?? '', e.detail ?? ''])}
      />
    </AdminLayout>
  );
}
