/**
 * Per-process settings HubEE applies (contracts/hubee.md §4.3). FormulaireQF's real values were not published;
 * the stand-in allows 15 MB per file, far above the three small files the form sends and below the sandbox's
 * 20 MB request limit.
 */
const DEFAULT_MAX_ATTACHMENT_SIZE = 15 * 1024 * 1024;

const PROCESSES: Record<string, { attachmentMaxSizeEnabled: number }> = {
  FormulaireQF: { attachmentMaxSizeEnabled: DEFAULT_MAX_ATTACHMENT_SIZE },
};

export function maxAttachmentSize(processCode: string): number {
  return PROCESSES[processCode]?.attachmentMaxSizeEnabled ?? DEFAULT_MAX_ATTACHMENT_SIZE;
}
