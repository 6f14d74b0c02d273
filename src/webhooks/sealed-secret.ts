import type { PersonalDataCipher } from '../security/personal-data-cipher.ts';

/**
 * Webhook signing secrets at rest: sealed with the personal-data cipher (AES-256-GCM under PERSONAL_DATA_KEY),
 * bound to their endpoint's id, so that a dump or a backup of the database cannot forge a webhook, and a sealed
 * secret copied onto another endpoint does not open.
 */
const context = (endpointId: string) => `webhook-secret:${endpointId}`;

export function sealWebhookSecret(cipher: PersonalDataCipher, endpointId: string, secret: string): Buffer {
  return cipher.encrypt(secret, context(endpointId));
}

export function openWebhookSecret(cipher: PersonalDataCipher, endpointId: string, sealed: Uint8Array): string {
  return cipher.decrypt<string>(sealed, context(endpointId));
}
