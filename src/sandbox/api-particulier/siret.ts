import { isSiret } from '../../domain/siret.ts';

/**
 * How API Particulier decides that `recipient` is a SIRET (§7): 14 digits and the Luhn key, La Poste's rule for its
 * establishments (domain/siret.ts). HubEE's test organisations fail Luhn on purpose; a local installation accepts
 * them, as their communes are seeded and the journey must work end to end with them.
 */
export function isAcceptedRecipient(value: string): boolean {
  // The domain trims; API Particulier does not, so a padded value is refused here first.
  return /^\d{14}$/.test(value) && isSiret(value, { allowTestSirets: true });
}
