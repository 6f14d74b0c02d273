import type { JournalRecord } from '../../../db/repositories/espace-journal.ts';
import { JOURNAL_ACTION_LABELS } from '../journal-labels.ts';
import { AdminLayout, formatDateTime, Table, type OperatorFrame } from './AdminLayout.tsx';

/** Every sign-in of an operator and every change one made, newest first. */
export function OperatorJournalPage(props: { operator: OperatorFrame; entries: JournalRecord[] }) {
  return (
    <AdminLayout title="Journal des opérateurs" current="/admin/journal" operator={props.operator}>
      <p>Les connexions au back office, acceptées ou refusées, et chaque changement fait par un opérateur (les 200 derniers).</p>
      <Table
        caption="Journal des opérateurs"
        headers={['Quand', 'Qui', 'Quoi', 'Collectivité', 'Objet', 'Détail']}
        empty="Rien encore."
        rows={props.entries.map((e) => [formatDateTime(e.at), e.actor ?? '—', JOURNAL_ACTION_LABELS[e.action] ?? e.action, e.siret ?? '', e.target ?? '', e.detail ?? ''])}
      />
    </AdminLayout>
  );
}
