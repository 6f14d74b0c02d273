import type { CaseStatus } from '../integrations/hubee/client.ts';
import type { HubeeSiClient } from './hubee.ts';

/**
 * Moves a case and tells the sender, as HubEE expects: PATCH the case, then a STATUS_UPDATE event with
 * `notification: true` (the national form shows the new status to the family). Moving a case to the status it
 * already has does nothing, so that running the command twice is harmless.
 */
export const COMMUNE_STATUSES = ['SI_RECEIVED', 'IN_PROGRESS', 'DONE', 'REFUSED'] as const;
export type CommuneStatus = (typeof COMMUNE_STATUSES)[number];

export type StatusOutcome = { kind: 'moved'; from: string; to: CaseStatus } | { kind: 'unchanged'; status: string };

export async function setCaseStatus(
  hubee: HubeeSiClient,
  caseId: string,
  status: CaseStatus,
  options: { message?: string; author?: string } = {},
): Promise<StatusOutcome> {
  const current = (await hubee.getCase(caseId, { lite: true })).status;
  if (current === status) return { kind: 'unchanged', status };
  await hubee.updateCaseStatus(caseId, status);
  await hubee.createEvent(caseId, {
    actionType: 'STATUS_UPDATE',
    author: options.author ?? 'Commune',
    notification: true,
    caseCurrentStatus: current as CaseStatus,
    caseNewStatus: status,
    ...(options.message ? { message: options.message.slice(0, 1000) } : {}),
  });
  return { kind: 'moved', from: current, to: status };
}
