import { randomBytes } from 'node:crypto';
import { err, ok, type Result } from './result.ts';

/**
 * The reference of one transmission: 13 upper-case hexadecimal characters. The citizen keeps it
 * ("identifiant de cette démarche"), the commune sees it in HubEE inside the folder's externalId.
 *
 * 13 characters because HubEE caps externalIds at 30 and the case id needs `Formulaire-QF-` (14) + 13 + `-01` (3).
 * 52 bits of randomness: guessing an existing reference (the status page is public) is hopeless, and two
 * shipments colliding is negligible at the service's volume; the database unique constraint is the backstop.
 */
declare const brand: unique symbol;
export type ShipmentReference = string & { readonly [brand]: 'ShipmentReference' };

export type HubeeFolderExternalId = `Formulaire-QF-${string}`;
export type HubeeCaseExternalId = `Formulaire-QF-${string}-01`;

export const SHIPMENT_REFERENCE_LENGTH = 13;
const FOLDER_PREFIX = 'Formulaire-QF-';
const REFERENCE = /^[0-9A-F]{13}$/;

export type ShipmentReferenceError = 'bad-format';

/** `random` is injectable for tests only; production uses the CSPRNG. */
export function generateShipmentReference(random: (size: number) => Uint8Array = randomBytes): ShipmentReference {
  return Buffer.from(random(7)).toString('hex').slice(0, SHIPMENT_REFERENCE_LENGTH).toUpperCase() as ShipmentReference;
}

/**
 * Strict on purpose: references arrive from URLs typed or pasted by citizens, and a lenient parse
 * (lower case, spaces) would give two spellings to one status page. The web layer may upper-case and trim
 * before calling this if it wants to be forgiving.
 */
export function parseShipmentReference(input: string): Result<ShipmentReference, ShipmentReferenceError> {
  return REFERENCE.test(input) ? ok(input as ShipmentReference) : err('bad-format');
}

/**
 * A reference as a family types or copies it back: groups separated by spaces or hyphens, lower case, a letter O
 * for a zero. The one spelling it stands for (so the follow-up page keeps a single address), or an error.
 */
export function parseTypedShipmentReference(input: string): Result<ShipmentReference, ShipmentReferenceError> {
  const compact = input.replace(/[\s\u00a0\u202f.\-‐‑–—_]/g, '').toUpperCase().replace(/O/g, '0');
  return parseShipmentReference(compact);
}

/** "A1B2C3D4E5F67" → "A1B2 C3D4 E5F67": groups of 4, 4 and 5 read and copy more easily (no-break spaces). */
export function groupedShipmentReference(reference: string): string {
  return REFERENCE.test(reference) ? `${reference.slice(0, 4)}\u00a0${reference.slice(4, 8)}\u00a0${reference.slice(8)}` : reference;
}

/** `Formulaire-QF-` + reference: 27 characters. */
export function hubeeFolderExternalId(reference: ShipmentReference): HubeeFolderExternalId {
  return `${FOLDER_PREFIX}${reference}`;
}

/** The single case of the folder: folder externalId + `-01`, 30 characters (HubEE's maximum). */
export function hubeeCaseExternalId(reference: ShipmentReference): HubeeCaseExternalId {
  return `${FOLDER_PREFIX}${reference}-01`;
}

/** Back from a HubEE folder or case externalId (as found in notifications) to our reference. */
export function shipmentReferenceFromHubeeExternalId(externalId: string): Result<ShipmentReference, ShipmentReferenceError> {
  const match = /^Formulaire-QF-([0-9A-F]{13})(?:-01)?$/.exec(externalId);
  return match?.[1] === undefined ? err('bad-format') : ok(match[1] as ShipmentReference);
}
