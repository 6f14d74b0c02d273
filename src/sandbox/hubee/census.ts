import type { Hub } from './hub.ts';

/** What HubEE holds for one FormulaireQF externalId (i.e. one shipment). */
export interface FolderCount {
  /** HUBEE_COMPLETED or beyond: the commune was (or will be) notified. */
  complete: number;
  /** Still HUBEE_RECEIVED: never notified to anyone. */
  incomplete: number;
  deleted: number;
}

export interface HubeeCensus {
  byExternalId: Record<string, FolderCount>;
  /** externalIds with more than one complete folder: a commune received the same shipment twice. */
  duplicated: string[];
  /** Incomplete folders left behind, all externalIds together. */
  orphans: number;
}

/** For tests: count the FormulaireQF folders, so that "exactly one complete folder per shipment" can be asserted. */
export function hubeeCensus(hub: Hub): HubeeCensus {
  const byExternalId: Record<string, FolderCount> = {};
  const countFor = (externalId: string): FolderCount => (byExternalId[externalId] ??= { complete: 0, incomplete: 0, deleted: 0 });
  for (const folder of Object.values(hub.state.folders)) {
    if (folder.processCode !== 'FormulaireQF') continue;
    const count = countFor(folder.externalId);
    if (folder.globalStatus === 'HUBEE_RECEIVED') count.incomplete += 1;
    else count.complete += 1;
  }
  for (const deleted of hub.deletedFolders) if (deleted.processCode === 'FormulaireQF') countFor(deleted.externalId).deleted += 1;
  const counts = Object.entries(byExternalId);
  return {
    byExternalId,
    duplicated: counts.filter(([, c]) => c.complete > 1).map(([externalId]) => externalId),
    orphans: counts.reduce((sum, [, c]) => sum + c.incomplete, 0),
  };
}
