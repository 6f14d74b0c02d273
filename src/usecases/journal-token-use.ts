import type { EspaceJournal } from '../db/repositories/espace-journal.ts';
import type { QuotientFamilialResult } from '../integrations/api-particulier/client.ts';

/**
 * Every use of a commune's API Particulier token goes to the espace journal: who (an agent, or a job acting for
 * the commune), when, which function, and the result code. Never the family's identity nor its QF: the detail
 * is built here from a closed list of kinds and a code, so no caller can slip personal data into it.
 */
export type TokenUseKind = 'guichet' | 'mise-a-jour' | 'verification';
export type TokenUser = { kind: 'agent'; email: string } | { kind: 'job' };

export interface TokenUse {
  siret: string;
  actor: TokenUser;
  kind: TokenUseKind;
  /** The HTTP status API Particulier answered ("200", "404", "429"…), or `timeout` / `unreachable` when none came. */
  resultCode: string;
}

const RESULT_CODE = /^([1-5][0-9]{2}|timeout|unreachable|invalid_token|expired_token|unavailable|rate_limited)$/;

export async function journalTokenUse(journal: EspaceJournal, use: TokenUse): Promise<void> {
  const code = RESULT_CODE.test(use.resultCode) ? use.resultCode : 'autre';
  await journal.record({
    siret: use.siret,
    actorKind: use.actor.kind,
    actor: use.actor.kind === 'agent' ? use.actor.email : null,
    action: 'api_particulier_call',
    detail: `${use.kind} : ${code}`,
  });
}

/** The result code of a QF call, as journalTokenUse takes it. */
export function resultCodeOf(result: QuotientFamilialResult): string {
  if (result.ok) return '200';
  return result.error.status === null ? result.error.kind : String(result.error.status);
}
