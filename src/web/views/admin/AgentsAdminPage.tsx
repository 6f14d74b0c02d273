import type { AgentRecord } from '../../../db/repositories/collectivity-agents.ts';
import type { JournalRecord } from '../../../db/repositories/espace-journal.ts';
import { journalActor, ROLE_LABELS } from '../../collectivite/views/AgentsPage.tsx';
import { Field } from '../components/Field.tsx';
import { AdminLayout, ChangeOutcome, formatDateTime, OperatorForm, Table, type OperatorFrame } from './AdminLayout.tsx';

/** The operator's view of one commune's agents of the espace collectivité: the list, its changes, the journal. */
export function AgentsAdminPage(props: {
  operator: OperatorFrame;
  collectivity: { siret: string; name: string };
  agents: AgentRecord[];
  journal: JournalRecord[];
  csrfToken: string;
  notice: string | null;
  error: string | null;
}) {
  const base = `/admin/collectivites/${props.collectivity.siret}/agents`;
  const action = (agent: AgentRecord, path: string, label: string, fields: Record<string, string> = {}) => (
    <form method="post" action={`${base}/${agent.id}/${path}`}>
      <input type="hidden" name="_csrf" value={props.csrfToken} />
      {Object.entries(fields).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <button type="submit" class="fr-btn fr-btn--sm fr-btn--tertiary">
        {label}
      </button>
    </form>
  );
  return (
    <AdminLayout title={`Agents de ${props.collectivity.name}`} current="/admin/collectivites" operator={props.operator}>
      <ChangeOutcome notice={props.notice} error={props.error} />
      <Table
        caption={`Agents de ${props.collectivity.name} (${props.collectivity.siret})`}
        headers={['E-mail', 'Rôle', 'Ajouté le', 'Actions']}
        empty="Aucun agent : ajoutez le premier administrateur."
        rows={props.agents.map((a) => [
          a.email,
          ROLE_LABELS[a.role],
          formatDateTime(a.createdAt),
          <>
            {action(a, 'role', a.role === 'administrateur' ? `Rendre ${a.email} agent` : `Rendre ${a.email} administrateur`, { role: a.role === 'administrateur' ? 'agent' : 'administrateur' })}
            {action(a, 'retirer', `Retirer ${a.email}`)}
          </>,
        ])}
      />
      <OperatorForm title="Ajouter un agent" action={base} csrfToken={props.csrfToken} submit="Ajouter">
        <Field id="email" name="email" type="email" label="Adresse e-mail professionnelle" required />
        <div class="fr-select-group">
          <label class="fr-label" for="role">
            Rôle
          </label>
          <select class="fr-select" id="role" name="role">
            <option value="administrateur">Administrateur</option>
            <option value="agent">Agent</option>
          </select>
        </div>
      </OperatorForm>
      <h2>Journal</h2>
      <Table
        caption="Connexions et changements de la liste"
        headers={['Quand', 'Qui', 'Quoi', 'Cible', 'Détail']}
        empty="Rien encore."
        rows={props.journal.map((e) => [formatDateTime(e.at), journalActor(e), e.action, e.target ?? '', e.detail ?? ''])}
      />
    </AdminLayout>
  );
}
