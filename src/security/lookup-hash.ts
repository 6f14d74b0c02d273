import { createHmac, hkdfSync } from 'node:crypto';

/**
 * A keyed hash to find a row by a personal value (an agent's e-mail) without keeping that value in clear: the
 * key derives from PERSONAL_DATA_KEY, so a copy of the database alone cannot test guesses against it.
 */
export type LookupHasher = (value: string) => string;

export function createLookupHasher(secret: string): LookupHasher {
  const key = Buffer.from(hkdfSync('sha256', secret, 'formulaire-qf', 'lookup-hash-v1', 32));
  return (value) => createHmac('sha256', key).update(value, 'utf8').digest('hex');
}
