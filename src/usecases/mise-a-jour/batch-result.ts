import type { QfRefreshBatches } from '../../db/repositories/qf-refresh-batches.ts';
import { refreshResultsCsv, unansweredResult, type RefreshResult } from '../../editeur/qf-refresh.ts';

/**
 * A batch's result as `qf refresh` writes it: one line per family in the order of the upload, the QF obtained or
 * why not — a line refused at the check with its messages, a family not asked because the agent cancelled.
 */
export async function batchResults(batches: QfRefreshBatches, batchId: string, cancelled: boolean): Promise<RefreshResult[]> {
  return (await batches.results(batchId)).map(({ family, result }) => {
    if (result) return result;
    const row = { id: family.identity.id ?? family.where, externalId: family.identity.externalId };
    if (!family.identity.params) return unansweredResult(row, family.identity.problem ?? 'identite_inutilisable', family.identity.messages.join(' '));
    return cancelled ? unansweredResult(row, 'annule', 'Pas demandé : la mise à jour a été annulée avant cette famille.') : unansweredResult(row, 'not_done');
  });
}

export async function batchResultCsv(batches: QfRefreshBatches, batchId: string, cancelled: boolean): Promise<string> {
  // The byte-order mark makes spreadsheets read the accents of the `raison` column as UTF-8.
  return `\uFEFF${refreshResultsCsv(await batchResults(batches, batchId, cancelled))}`;
}
