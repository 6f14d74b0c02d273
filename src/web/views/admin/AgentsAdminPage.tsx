import type { AgentRecord } from '../../../db/repositories/collectivity-agents.ts';
import type { JournalRecord } from '../../../db/repositories/espace-journal.ts';
import { journalActor, ROLE_LABELS } from '../../collectivite/views/AgentsPage.tsx';
import { AdminLayout, formatDateTime, Table, type OperatorFrame } from './AdminLayout.tsx';

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
      {props.notice ? <p class="fr-alert fr-alert--success fr-alert--sm fr-mb-2w">{props.notice}</p> : null}
      {props.error ? (
        <p class="fr-alert fr-alert--error fr-alert--sm fr-mb-2w" role="alert">
          {props.error}
        </p>
      ) : null}
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
      <h2>Ajouter un agent</h2>
      <form method="post" action={base}>
        <input type="hidden" name="_csrf" value={props.csrfToken} />
        <div class="fr-input-group">
          <label class="fr-label" for="email">
            Adresse e-mail professionnelle
          </label>
          <input class="fr-input" id="email" name="email" type="email" required />
        </div>
        <div class="fr-select-group">
          <label class="fr-label" for="role">
            Rôle
          </label>
          <select class="fr-select" id="role" name="role">
            <option value="administrateur">Administrateur</option>
            <option value="agent">Agent</option>
          </select>
        </div>
        <button type="submit" class="fr-btn">
          Ajouter
        </button>
      </form>
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
