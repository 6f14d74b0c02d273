import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * DataPass signs each webhook delivery: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>` with
 * the secret shared at the webhook's creation (contracts/hubee.md §6).
 */
export const SIGNATURE_HEADER = 'x-hub-signature-256';

export function signDatapassBody(rawBody: Uint8Array | string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

/**
 * Constant-time check of the header against the body. Buffers of different lengths cannot go through
 * timingSafeEqual: the expected value is then compared with itself, so that a short or long header costs the
 * same time as a wrong one of the right length.
 */
export function isDatapassSignatureValid(rawBody: Uint8Array, header: string | string[] | undefined, secret: string): boolean {
  if (typeof header !== 'string' || header.length === 0) return false;
  const expected = Buffer.from(signDatapassBody(rawBody, secret), 'utf8');
  const given = Buffer.from(header.trim().toLowerCase(), 'utf8');
  const sameLength = given.length === expected.length;
  const equal = timingSafeEqual(expected, sameLength ? given : expected);
  return sameLength && equal;
}
