import type { IdentitePivot } from '../identite-pivot.ts';
import type { QuotientFamilialData } from '../quotient-familial.ts';
import type { ShipmentReference } from '../shipment-reference.ts';
import type { CodeCog, Siret } from '../siret.ts';

/** Everything one FormulaireQF télédossier is made from (`contracts/formulaire-qf-payload.md`). */
export interface FormulaireQfInput {
  readonly reference: ShipmentReference;
  /** The commune portal's own file number (`?external_id=…`), passed through untouched; null when absent. */
  readonly externalId: string | null;
  /** As FranceConnect returned it. */
  readonly identity: IdentitePivot;
  /** API Particulier's v3 `data`, as returned (keys masked by scopes absent). */
  readonly quotientFamilial: QuotientFamilialData;
  readonly collectivity: FormulaireQfRecipient;
  readonly transmittedAt: Date;
  /**
   * When the same family last transmitted to this commune, among the shipments still kept; null or absent for a
   * first one. Only the PDF says it (the JSON and XML stay as communes parse them).
   */
  readonly previousTransmissionAt?: Date | null;
  /** A test dossier (fictitious person, src/domain/formulaire-qf/test-dossier.ts): its PDF says so. */
  readonly test?: true;
}

export interface FormulaireQfRecipient {
  readonly name: string;
  readonly siret: Siret;
  readonly codeCog: CodeCog;
}
