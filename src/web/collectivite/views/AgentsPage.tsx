import type { AgentRecord } from '../../../db/repositories/collectivity-agents.ts';
import type { JournalRecord } from '../../../db/repositories/espace-journal.ts';
import { Alert } from '../../views/components/Alert.tsx';
import { frenchDateTime } from '../../views/format.ts';
import { JOURNAL_ACTION_LABELS } from '../../views/journal-labels.ts';
import { Table } from './Table.tsx';
import { EspaceLayout, type EspaceFrame } from './EspaceLayout.tsx';

export const ROLE_LABELS = { administrateur: 'Administrateur', agent: 'Agent' } as const;

const SOURCES = { datapass: 'habilitation DataPass', seed: 'installation locale', agent: 'un administrateur', operator: 'l’équipe du service' } as const;

export function journalActor(entry: Pick<JournalRecord, 'actorKind' | 'actor'>): string {
  if (entry.actorKind === 'datapass') return 'DataPass';
  if (entry.actorKind === 'seed') return 'installation locale';
  if (entry.actorKind === 'job') return 'tâche automatique';
  return entry.actor ?? (entry.actorKind === 'operator' ? 'équipe du service' : 'agent');
}

/** A list of who may enter a space (a commune's agents, an éditeur's members), its forms and its journal. */
export interface MembersSectionProps {
  /** Where the list lives: `/espace/agents`, `/editeur/membres`. */
  listPath: string;
  csrfToken: string;
  organisationName: string;
  /** Who this list is: « Agents », « Membres ». */
  noun: string;
  intro: string;
  agents: AgentRecord[];
  journal: JournalRecord[];
  selfId: string;
  notice?: { type: 'success' | 'error'; text: string } | undefined;
  emailError?: string | undefined;
  emailValue?: string | undefined;
}

export function membersPageIsError(props: Pick<MembersSectionProps, 'notice' | 'emailError'>): boolean {
  return props.notice?.type === 'error' || props.emailError !== undefined;
}

export function AgentsPage(props: Omit<MembersSectionProps, 'listPath' | 'csrfToken' | 'organisationName' | 'noun' | 'intro'> & { frame: EspaceFrame }) {
  const { frame } = props;
  return (
    <EspaceLayout title="Agents" section="agents" frame={frame} isError={membersPageIsError(props)}>
      {MembersSection({
        ...props,
        listPath: '/espace/agents',
        csrfToken: frame.csrfToken,
        organisationName: frame.collectivityName,
        noun: 'Agents',
        intro: `Peuvent entrer dans cet espace les personnes de cette liste qui s’identifient avec ProConnect au nom de ${frame.collectivityName}. Un administrateur gère la liste et les paramètres ; un agent consulte les transmissions et le kit de diffusion.`,
      })}
    </EspaceLayout>
  );
}

export function MembersSection(props: MembersSectionProps) {
  return (
    <>
      {props.notice ? <Alert type={props.notice.type} small live title={props.notice.text} /> : null}
      <p>{props.intro}</p>
      <Table caption={`${props.noun} de ${props.organisationName}`}>
        <thead>
          <tr>
            <th scope="col">Adresse e-mail</th>
            <th scope="col">Rôle</th>
            <th scope="col">Ajouté par</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {props.agents.map((a) => (
            <tr>
              <td>
                {a.email}
                {a.id === props.selfId ? ' (vous)' : ''}
              </td>
              <td>{ROLE_LABELS[a.role]}</td>
              <td>{SOURCES[a.addedBy]}</td>
              <td>
                <form method="post" action={`${props.listPath}/${a.id}/role`} class="fr-mb-1w">
                  <input type="hidden" name="_csrf" value={props.csrfToken} />
                  <input type="hidden" name="role" value={a.role === 'administrateur' ? 'agent' : 'administrateur'} />
                  <button type="submit" class="fr-btn fr-btn--sm fr-btn--tertiary">
                    {a.role === 'administrateur' ? `Rendre ${a.email} agent` : `Rendre ${a.email} administrateur`}
                  </button>
                </form>
                <form method="post" action={`${props.listPath}/${a.id}/retirer`}>
                  <input type="hidden" name="_csrf" value={props.csrfToken} />
                  <button type="submit" class="fr-btn fr-btn--sm fr-btn--tertiary">
                    Retirer {a.email}
                  </button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </Table>

      <h2>Ajouter une personne</h2>
      <form method="post" action={props.listPath} class="fr-mb-6w">
        <input type="hidden" name="_csrf" value={props.csrfToken} />
        <div class={props.emailError ? 'fr-input-group fr-input-group--error' : 'fr-input-group'}>
          <label class="fr-label" for="email">
            Adresse e-mail professionnelle
            <span class="fr-hint-text">Celle avec laquelle la personne s’identifie sur ProConnect.</span>
          </label>
          <input
            class={props.emailError ? 'fr-input fr-input--error' : 'fr-input'}
            id="email"
            name="email"
            type="email"
            autocomplete="off"
            value={props.emailValue ?? ''}
            aria-describedby="email-messages"
            aria-invalid={props.emailError ? 'true' : undefined}
            required
          />
          <div class="fr-messages-group" id="email-messages" aria-live="polite">
            {props.emailError ? <p class="fr-message fr-message--error">{props.emailError}</p> : null}
          </div>
        </div>
        <fieldset class="fr-fieldset">
          <legend class="fr-fieldset__legend">Rôle</legend>
          <div class="fr-fieldset__element">
            <div class="fr-radio-group">
              <input type="radio" id="role-agent" name="role" value="agent" checked />
              <label class="fr-label" for="role-agent">
                Agent
              </label>
            </div>
          </div>
          <div class="fr-fieldset__element">
            <div class="fr-radio-group">
              <input type="radio" id="role-administrateur" name="role" value="administrateur" />
              <label class="fr-label" for="role-administrateur">
                Administrateur
              </label>
            </div>
          </div>
        </fieldset>
        <button type="submit" class="fr-btn">
          Ajouter
        </button>
      </form>

      <h2>Journal</h2>
      <p>Les dernières connexions et les derniers changements de la liste.</p>
      <ul>
        {props.journal.map((e) => (
          <li>
            <time datetime={e.at.toISOString()}>{frenchDateTime(e.at)}</time> — {journalActor(e)} : {JOURNAL_ACTION_LABELS[e.action] ?? e.action}
            {e.target ? ` (${e.target})` : ''}
            {e.detail ? ` — ${e.detail}` : ''}
          </li>
        ))}
      </ul>
    </>
  );
}
