import { hubeeCaseExternalId, hubeeFolderExternalId, type HubeeCaseExternalId, type HubeeFolderExternalId } from '../shipment-reference.ts';
import type { CodeCog, Siret } from '../siret.ts';
import type { FormulaireQfInput } from './input.ts';
import { buildFormulaireQfJson, formulaireQfJsonBytes } from './json.ts';
import { buildFormulaireQfPdf, pdfFileName } from './pdf.ts';
import { formulaireQfJsonToXml } from './xml.ts';

/**
 * Everything the HubEE folder of one transmission needs (§1 of the payload contract), as plain data: the
 * HubEE client maps it to its requests (create folder, upload each attachment, mark complete).
 */
export const PROCESS_CODE = 'FormulaireQF';

export type TeledossierMimeType = 'application/json' | 'application/xml' | 'application/pdf';

export interface TeledossierAttachment {
  readonly fileName: string;
  readonly mimeType: TeledossierMimeType;
  readonly bytes: Buffer;
  /** Exactly `bytes.length`: HubEE rejects a binary whose size differs from the declared metadata. */
  readonly size: number;
  readonly type: typeof PROCESS_CODE;
  readonly recipients: readonly [HubeeCaseExternalId];
}

export interface TeledossierCase {
  readonly externalId: HubeeCaseExternalId;
  readonly recipient: { readonly type: 'SI'; readonly companyRegister: Siret; readonly branchCode: CodeCog };
}

export interface Teledossier {
  readonly processCode: typeof PROCESS_CODE;
  readonly externalId: HubeeFolderExternalId;
  readonly applicant: { readonly firstName: string; readonly lastName: string };
  /** Exactly one case: the commune. */
  readonly cases: readonly [TeledossierCase];
  /** JSON, XML, PDF, in this order. */
  readonly attachments: readonly [TeledossierAttachment, TeledossierAttachment, TeledossierAttachment];
}

export async function buildTeledossier(input: FormulaireQfInput): Promise<Teledossier> {
  const caseExternalId = hubeeCaseExternalId(input.reference);
  const attachment = (fileName: string, mimeType: TeledossierMimeType, bytes: Buffer): TeledossierAttachment => ({
    fileName,
    mimeType,
    bytes,
    size: bytes.length,
    type: PROCESS_CODE,
    recipients: [caseExternalId],
  });
  const json = buildFormulaireQfJson(input);
  const pdf = await buildFormulaireQfPdf(input);
  return {
    processCode: PROCESS_CODE,
    externalId: hubeeFolderExternalId(input.reference),
    applicant: {
      // FranceConnect's given_name is already the given names joined by one space.
      firstName: input.identity.given_name,
      lastName: input.identity.family_name,
    },
    cases: [
      {
        externalId: caseExternalId,
        recipient: { type: 'SI', companyRegister: input.collectivity.siret, branchCode: input.collectivity.codeCog },
      },
    ],
    attachments: [
      attachment('FormulaireQF.json', 'application/json', formulaireQfJsonBytes(json)),
      attachment('FormulaireQF.xml', 'application/xml', Buffer.from(formulaireQfJsonToXml(json), 'utf8')),
      attachment(pdfFileName(input.identity), 'application/pdf', pdf),
    ],
  };
}
