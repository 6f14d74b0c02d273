import { createHmac, hkdfSync } from 'node:crypto';
import type { IdentitePivot } from '../domain/identite-pivot.ts';

/**
 * Recognises a family that transmits again to the same commune without keeping who it is: an HMAC of the identité
 * pivot under a key derived from PERSONAL_DATA_KEY and the commune's SIRET. A copy of the database alone cannot
 * test guesses against it, and the same family gives unrelated values at two communes, so nothing links its
 * démarches across communes. The value lives in the shipment's row and goes with it at the retention purge.
 */
export type FamilyFingerprinter = (collectivitySiret: string, identity: IdentitePivot) => string;

export function createFamilyFingerprinter(secret: string): FamilyFingerprinter {
  const master = Buffer.from(hkdfSync('sha256', secret, 'formulaire-qf', 'family-fingerprint-v1', 32));
  return (collectivitySiret, identity) => {
    const key = createHmac('sha256', master).update(collectivitySiret, 'utf8').digest();
    return createHmac('sha256', key).update(canonicalIdentity(identity), 'utf8').digest('hex');
  };
}

/** The same person however FranceConnect's providers spell case and accents' encoding. */
function canonicalIdentity(identity: IdentitePivot): string {
  const norm = (value: string | null) => (value ?? '').normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleUpperCase('fr-FR');
  return JSON.stringify([
    norm(identity.family_name),
    norm(identity.given_name),
    identity.birthdate,
    identity.gender,
    norm(identity.birthplace),
    identity.birthcountry,
  ]);
}
