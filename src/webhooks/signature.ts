import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Signatures as the Standard Webhooks specification defines them (https://www.standardwebhooks.com/):
 * `webhook-signature: v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}">`, keyed with the
 * bytes of a secret written `whsec_<base64>`. The same functions serve us (signing) and éditeurs (verifying).
 */
const SECRET_PREFIX = 'whsec_';

/** A new secret: 32 random bytes, in the spec's textual form. */
export function generateWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}

/** True for `whsec_` followed by the base64 of 24 to 64 bytes (the spec's bounds). */
export function isWebhookSecret(value: string): boolean {
  if (!value.startsWith(SECRET_PREFIX)) return false;
  const encoded = value.slice(SECRET_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return false;
  const bytes = Buffer.from(encoded, 'base64');
  // Canonical only: the same bytes written two ways would be two secrets for the user and one for us.
  return bytes.length >= 24 && bytes.length <= 64 && bytes.toString('base64') === encoded;
}

function secretKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
}

export function signWebhook(input: { id: string; timestamp: number; body: string; secret: string }): string {
  const mac = createHmac('sha256', secretKey(input.secret)).update(`${input.id}.${input.timestamp}.${input.body}`).digest('base64');
  return `v1,${mac}`;
}

/**
 * The three headers of one attempt; the timestamp is the attempt's (seconds), the id the message's. While a secret
 * rotates, one signature per secret, space-separated as the specification allows, so that a receiver holding
 * either secret accepts the message.
 */
export function webhookHeaders(input: { id: string; timestamp: number; body: string; secrets: readonly [string, ...string[]] }): Record<string, string> {
  return {
    'webhook-id': input.id,
    'webhook-timestamp': String(input.timestamp),
    'webhook-signature': input.secrets.map((secret) => signWebhook({ ...input, secret })).join(' '),
  };
}

/** One secret, or several while the receiver moves from one to the next. */
export type WebhookSecrets = string | readonly string[];

export type WebhookVerification = { ok: true } | { ok: false; reason: 'missing_headers' | 'timestamp_out_of_tolerance' | 'bad_signature' };

/**
 * What a receiver does: true only when one `v1,` signature of the header (there may be several while a secret
 * rotates) is the HMAC of this raw body under one of the given secrets (a receiver may hold the old and the new one), compared in constant time, and the timestamp is within `toleranceSeconds`
 * (default 5 minutes) so that a captured message cannot be replayed later. A boolean, so that
 * `if (!verifyWebhook(…))` refuses a forgery; `checkWebhook` tells why.
 */
export function verifyWebhook(
  headers: Record<string, string | string[] | undefined>,
  body: string,
  secret: WebhookSecrets,
  options: { toleranceSeconds?: number; nowSeconds?: number } = {},
): boolean {
  return checkWebhook(headers, body, secret, options).ok;
}

/** A signature is the canonical base64 of 32 bytes: 43 characters and one `=`, nothing else decodes to a match. */
const CANONICAL_SIGNATURE = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;

/** verifyWebhook with the reason of a refusal. */
export function checkWebhook(
  headers: Record<string, string | string[] | undefined>,
  body: string,
  secret: WebhookSecrets,
  options: { toleranceSeconds?: number; nowSeconds?: number } = {},
): WebhookVerification {
  const header = (name: string) => {
    const value = headers[name] ?? headers[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
  };
  const id = header('webhook-id');
  const timestamp = header('webhook-timestamp');
  const signatures = header('webhook-signature');
  if (!id || !timestamp || !signatures || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'missing_headers' };
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(timestamp)) > (options.toleranceSeconds ?? 300)) return { ok: false, reason: 'timestamp_out_of_tolerance' };
  const secrets = typeof secret === 'string' ? [secret] : secret;
  const expected = secrets.map((s) => Buffer.from(signWebhook({ id, timestamp: Number(timestamp), body, secret: s }).slice(3), 'base64'));
  for (const candidate of signatures.split(' ')) {
    const comma = candidate.indexOf(',');
    if (comma < 0 || candidate.slice(0, comma) !== 'v1') continue;
    const value = candidate.slice(comma + 1);
    // Node's base64 decoder skips what it does not know and ignores trailing bits: only the canonical form counts.
    if (!CANONICAL_SIGNATURE.test(value)) continue;
    const given = Buffer.from(value, 'base64');
    if (expected.some((mac) => given.length === mac.length && timingSafeEqual(given, mac))) return { ok: true };
  }
  return { ok: false, reason: 'bad_signature' };
}
