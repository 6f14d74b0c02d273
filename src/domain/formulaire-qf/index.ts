/** The FormulaireQF télédossier: what a commune receives through HubEE (`contracts/formulaire-qf-payload.md`). */
export type { FormulaireQfInput, FormulaireQfRecipient } from './input.ts';
export {
  buildFormulaireQfJson,
  formulaireQfJsonBytes,
  type FormulaireQfJson,
  type LegacyPersonneJson,
  type LegacyQuotientFamilialJson,
  type PivotIdentityJson,
  type QuotientFamilialV3Json,
} from './json.ts';
export { buildFormulaireQfXml, formulaireQfJsonToXml } from './xml.ts';
export { buildFormulaireQfPdf, pdfFileName } from './pdf.ts';
export { formulaireQfPdfContent, PDF_TITLE, type PdfBlock } from './pdf-content.ts';
export {
  buildTeledossier,
  PROCESS_CODE,
  type Teledossier,
  type TeledossierAttachment,
  type TeledossierCase,
  type TeledossierMimeType,
} from './teledossier.ts';
