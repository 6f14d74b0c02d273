import { seedCollectivities } from '../../../sandbox/fixtures.ts';

/**
 * How API Particulier decides that `recipient` is a SIRET (§7): 14 digits and the Luhn checksum, except La Poste's
 * establishments (SIREN 356000000), whose SIRETs do not follow Luhn. HubEE's test organisations also fail Luhn on
 * purpose; the stand-in accepts them because the local seed declares them as tests.
 */
const LA_POSTE = /^356000000\d{5}$/;
const declaredTestSirets = new Set(seedCollectivities.filter((c) => c.test === true).map((c) => c.siret));

export function isAcceptedRecipient(value: string): boolean {
  if (!/^\d{14}$/.test(value)) return false;
  return LA_POSTE.test(value) || declaredTestSirets.has(value) || luhnValid(value);
}

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    const digit = Number(digits[digits.length - 1 - i]);
    const weighted = i % 2 === 1 ? digit * 2 : digit;
    sum += weighted > 9 ? weighted - 9 : weighted;
  }
  return sum % 10 === 0;
}
