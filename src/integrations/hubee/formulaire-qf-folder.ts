import type { Teledossier } from '../../domain/formulaire-qf/teledossier.ts';
import type { HubeeFolderPort } from '../../usecases/transmit-shipment.ts';
import { HubeeError, type HubeeClient } from './client.ts';

/** Sends a FormulaireQF télédossier with our OSL client: the HubEE side of the transmission use case. */
export function createHubeeFolderPort(client: HubeeClient): HubeeFolderPort {
  return {
    async createFolder(teledossier: Teledossier) {
      const folder = await client.createFolder({
        processCode: teledossier.processCode,
        externalId: teledossier.externalId,
        applicant: { firstName: teledossier.applicant.firstName, lastName: teledossier.applicant.lastName },
        cases: teledossier.cases.map((c) => ({
          recipient: { type: c.recipient.type, companyRegister: c.recipient.companyRegister, branchCode: c.recipient.branchCode },
          externalId: c.externalId,
        })),
        attachments: teledossier.attachments.map((a) => ({
          fileName: a.fileName,
          type: a.type,
          size: a.size,
          mimeType: a.mimeType,
          recipients: [...a.recipients],
        })),
      });
      const caseExternalId = teledossier.cases[0].externalId;
      const createdCase = folder.cases.find((c) => c.externalId === caseExternalId) ?? folder.cases[0];
      if (!folder.id || !createdCase?.id) throw new Error('HubEE created the folder without returning its ids');
      const attachmentIds = teledossier.attachments.map((a) => {
        const id = folder.attachments.find((created) => created.fileName === a.fileName)?.id;
        if (!id) throw new Error(`HubEE returned no id for the attachment ${a.mimeType}`);
        return id;
      });
      return { folderId: folder.id, caseId: createdCase.id, attachmentIds };
    },
    uploadAttachment: (folderId, attachmentId, bytes, digest) => client.uploadAttachment(folderId, attachmentId, bytes, { digest }),
    completeFolder: (folderId) => client.markFolderCompleted(folderId),
    async folderStatus(folderId) {
      try {
        return (await client.getFolder(folderId)).globalStatus ?? null;
      } catch (error) {
        if (error instanceof HubeeError && error.kind === 'not_found') return null;
        throw error;
      }
    },
    deleteFolder: (folderId) => client.deleteFolder(folderId),
  };
}
