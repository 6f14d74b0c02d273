import { timingSafeEqual } from 'node:crypto';
import type { ApiKeyRecord, ApiKeyRepository } from '../db/repositories/api-keys.ts';
import type { OrganisationJournal } from '../db/repositories/espace-journal.ts';
import { apiKeyPrefixOf, generateApiKey, hashApiKey, isApiKeyLifetime, type Organisation } from '../domain/api-key.ts';
import { hasControlCharacters } from '../domain/text.ts';

/**
 * Creation, revocation and checking of organisations' API keys. Creations and revocations are journaled in the
 * organisation's journal; a key is shown once, at its creation.
 */
export interface ApiKeysDeps {
  keys: ApiKeyRepository;
  /** The journal of the owner's kind (communes' or éditeurs'). */
  journalOf(owner: Organisation): OrganisationJournal;
  now?: () => Date;
}

/** A last use is written at most once per key in this period: a busy key must not write on every request. */
export const LAST_USE_THROTTLE_SECONDS = 300;

export type KeyCreation = { ok: true; key: string; record: ApiKeyRecord } | { ok: false; reason: 'invalid_name' | 'invalid_lifetime' };

export async function createApiKey(deps: ApiKeysDeps, owner: Organisation, actorEmail: string, input: { name: string; lifetimeDays: number }): Promise<KeyCreation> {
  const name = input.name.trim();
  if (name.length < 1 || name.length > 100 || hasControlCharacters(name)) return { ok: false, reason: 'invalid_name' };
  if (!isApiKeyLifetime(input.lifetimeDays)) return { ok: false, reason: 'invalid_lifetime' };
  const now = (deps.now ?? (() => new Date()))();
  const generated = generateApiKey();
  const record = await deps.keys.create({ prefix: generated.prefix, hash: generated.hash, name, owner, expiresAt: new Date(now.getTime() + input.lifetimeDays * 86_400_000) });
  await deps.journalOf(owner).record({ siret: owner.siret, actorKind: 'agent', actor: actorEmail, action: 'api_key_created', detail: `${record.prefix} (${name})` });
  return { ok: true, key: generated.key, record };
}

export async function revokeApiKey(deps: ApiKeysDeps, owner: Organisation, actorEmail: string, id: string): Promise<ApiKeyRecord | null> {
  const revoked = await deps.keys.revoke(owner, id, (deps.now ?? (() => new Date()))());
  if (revoked) await deps.journalOf(owner).record({ siret: owner.siret, actorKind: 'agent', actor: actorEmail, action: 'api_key_revoked', detail: `${revoked.prefix} (${revoked.name})` });
  return revoked;
}

export type KeyCheck = { ok: true; key: ApiKeyRecord } | { ok: false; reason: 'not_a_key' | 'unknown' | 'expired' | 'revoked' };

/** A stand-in hash compared when no key has the prefix, so that an unknown prefix takes the time of a known one. */
const NO_KEY_HASH = hashApiKey('fqf_live_00000000_no-key');

/** The key of this bearer token when it is one of ours, valid, unexpired and not revoked. */
export async function authenticateApiKey(deps: Pick<ApiKeysDeps, 'keys' | 'now'>, token: string): Promise<KeyCheck> {
  const prefix = apiKeyPrefixOf(token);
  if (prefix === null) return { ok: false, reason: 'not_a_key' };
  const found = await deps.keys.findByPrefix(prefix);
  const given = Buffer.from(hashApiKey(token), 'hex');
  const matches = timingSafeEqual(given, Buffer.from(found?.hash ?? NO_KEY_HASH, 'hex'));
  if (!found || !matches) return { ok: false, reason: 'unknown' };
  const now = (deps.now ?? (() => new Date()))();
  if (found.record.revokedAt !== null) return { ok: false, reason: 'revoked' };
  if (found.record.expiresAt <= now) return { ok: false, reason: 'expired' };
  await deps.keys.markUsed(found.record.id, now, LAST_USE_THROTTLE_SECONDS);
  return { ok: true, key: found.record };
}
