import type { EspaceJournal } from '../../db/repositories/espace-journal.ts';
import { journalTokenUse } from '../journal-token-use.ts';

export { resultCodeOf } from '../journal-token-use.ts';

/**
 * Each call the Mise à jour annuelle makes with a commune's token, in the espace's journal through the one token-use
 * journal (src/usecases/journal-token-use.ts): on behalf of the agent who confirmed the upload, the kind of use and
 * the HTTP status. Never the family: not a name, not a line number.
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

export type TokenUseJournal = (use: TokenUse) => Promise<void>;

export function journalTokenUseInEspace(journal: EspaceJournal): TokenUseJournal {
  return (use) =>
    journalTokenUse(journal, {
      siret: use.siret,
      actor: use.onBehalfOf ? { kind: 'agent', email: use.onBehalfOf } : { kind: 'job' },
      kind: use.kind,
      resultCode: use.resultCode,
    });
}
