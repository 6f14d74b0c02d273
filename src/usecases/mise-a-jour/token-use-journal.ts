import type { EspaceJournal } from '../../db/repositories/espace-journal.ts';
import type { QuotientFamilialResult } from '../../integrations/api-particulier/client.ts';

/**
 * Each use of a commune's API Particulier token, in the espace's journal: for whom (the agent who confirmed the
 * Mise à jour; the job makes the calls on their behalf), when, the kind of use and the HTTP status. Never the
 * family: not a name, not a line number.
 */
export interface TokenUse {
  siret: string;
  kind: 'mise-a-jour';
  actor: 'job';
  /** The e-mail of the agent the job works for. */
  onBehalfOf: string | null;
  /** HTTP status of API Particulier's answer ("200", "404"…), or `timeout` / `unreachable` when none came. */
  resultCode: string;
}

/** The result code of a QF call, as the journal takes it. */
export function resultCodeOf(answer: QuotientFamilialResult): string {
  if (answer.ok) return '200';
  return answer.error.status === null ? answer.error.kind : String(answer.error.status);
}

export type TokenUseJournal = (use: TokenUse) => Promise<void>;

export function journalTokenUseInEspace(journal: EspaceJournal): TokenUseJournal {
  return (use) =>
    journal.record({
      siret: use.siret,
      actorKind: 'agent',
      actor: use.onBehalfOf,
      action: 'api_particulier_token_used',
      detail: `${use.kind} (tâche de fond) : ${use.resultCode}`,
    });
}
