import { createHash, randomBytes } from 'node:crypto';

/**
 * The API keys of organisations (a commune, an éditeur). A key reads `fqf_live_<8 characters>_<43 characters>`:
 * the first part, up to the second underscore, is its visible prefix (shown in lists, in logs, unique), the rest
 * 256 random bits. Only a SHA-256 of the whole key is stored: with that much entropy no guess can be tested
 * against the hash, so a slow password hash would cost every request and buy nothing.
 */
export type Organisation = { kind: 'collectivity'; siret: string } | { kind: 'editeur'; siret: string };

export const API_KEY_PREFIX = 'fqf_live_';
const KEY_PATTERN = /^(fqf_live_[a-z0-9]{8})_([A-Za-z0-9_-]{43})$/;
const PREFIX_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/** How long a key may live: a key without an end is a key nobody remembers to revoke. */
export const API_KEY_LIFETIMES_DAYS = [30, 90, 365] as const;
export type ApiKeyLifetime = (typeof API_KEY_LIFETIMES_DAYS)[number];

export function isApiKeyLifetime(value: unknown): value is ApiKeyLifetime {
  return typeof value === 'number' && (API_KEY_LIFETIMES_DAYS as readonly number[]).includes(value);
}

export interface NewApiKey {
  /** Shown once to its creator, never stored. */
  key: string;
  prefix: string;
  hash: string;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function generateApiKey(): NewApiKey {
  const bytes = randomBytes(8);
  const prefix = API_KEY_PREFIX + Array.from(bytes, (b) => PREFIX_ALPHABET[b % PREFIX_ALPHABET.length]).join('');
  const key = `${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, hash: hashApiKey(key) };
}

/** The prefix of something shaped like one of our keys; null for anything else (the operator's token, say). */
export function apiKeyPrefixOf(token: string): string | null {
  return KEY_PATTERN.exec(token)?.[1] ?? null;
}

export function sameOrganisation(a: Organisation, b: Organisation): boolean {
  return a.kind === b.kind && a.siret === b.siret;
}
