import type { Db } from '../db/database.ts';
import type { Config } from '../config/config.ts';
import type { EspaceJournal } from '../db/repositories/espace-journal.ts';
import { introspectApiParticulierToken } from '../integrations/api-particulier/introspection.ts';
import type { PersonalDataCipher } from '../security/personal-data-cipher.ts';
import { journalTokenUse } from './journal-token-use.ts';

/**
 * The API Particulier token a commune's DataPass habilitation delivered (issue 13): registered by an
 * administrator in the espace, checked against API Particulier's introspection, kept sealed with the personal-data
 * cipher (bound to the SIRET) and never shown again, only its last four characters and when it was saved.
 */
export interface CommuneApiParticulierTokens {
  /** The token in clear, for a call to API Particulier; null when the commune has none, or none that opens. */
  reveal(siret: string): Promise<string | null>;
  describe(siret: string): Promise<{ lastFour: string; savedAt: Date } | null>;
  /** Replaces any token already there. Check it first (`registerCommuneToken`). */
  save(siret: string, token: string): Promise<void>;
  /** True when there was one. */
  remove(siret: string): Promise<boolean>;
}

const context = (siret: string) => `api-particulier-token:${siret}`;

export function createCommuneApiParticulierTokens(deps: { db: Db; cipher: PersonalDataCipher }): CommuneApiParticulierTokens {
  const k = deps.db.kysely;
  return {
    async reveal(siret) {
      const row = await k.selectFrom('commune_api_particulier_tokens').select('token_sealed').where('collectivity_siret', '=', siret).executeTakeFirst();
      if (!row) return null;
      try {
        return deps.cipher.decrypt<string>(row.token_sealed, context(siret));
      } catch {
        // Sealed under another PERSONAL_DATA_KEY, or not this commune's: unusable, to be registered again.
        return null;
      }
    },
    async describe(siret) {
      const row = await k.selectFrom('commune_api_particulier_tokens').select(['last_four', 'saved_at']).where('collectivity_siret', '=', siret).executeTakeFirst();
      return row ? { lastFour: row.last_four, savedAt: row.saved_at } : null;
    },
    async save(siret, token) {
      const values = { token_sealed: deps.cipher.encrypt(token, context(siret)), last_four: token.slice(-4), saved_at: new Date() };
      await k
        .insertInto('commune_api_particulier_tokens')
        .values({ collectivity_siret: siret, ...values })
        .onConflict((oc) => oc.column('collectivity_siret').doUpdateSet(values))
        .execute();
    },
    async remove(siret) {
      const result = await k.deleteFrom('commune_api_particulier_tokens').where('collectivity_siret', '=', siret).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}

/** The scope without which the token cannot give a QF (the others only add allocataires, children, address). */
export const QUOTIENT_FAMILIAL_SCOPE = 'cnaf_quotient_familial';

export type TokenRefusal =
  | { kind: 'malformed' }
  | { kind: 'invalid_token' }
  | { kind: 'expired_token' }
  | { kind: 'without_quotient_familial'; scopes: string[] }
  | { kind: 'rate_limited'; retryAfterSeconds: number | null }
  | { kind: 'unavailable' };

export type TokenRegistration = { ok: true; scopes: string[] } | { ok: false; refusal: TokenRefusal };

/** What can be a token: printable ASCII with no space (real tokens are JWTs, the sandbox's opaque strings). */
const TOKEN_SHAPE = /^[\x21-\x7e]{8,4096}$/;

/**
 * Checks the token's scopes through API Particulier, then seals it. Each check is journaled as a use of the token
 * (`verification`), and a refusal too, so that the commune sees who tried what.
 */
export async function registerCommuneToken(
  deps: { tokens: CommuneApiParticulierTokens; journal: EspaceJournal; apiParticulier: Config['apiParticulier'] },
  input: { siret: string; agentEmail: string; token: string },
): Promise<TokenRegistration> {
  const token = input.token.trim();
  const actor = { kind: 'agent' as const, email: input.agentEmail };
  if (!TOKEN_SHAPE.test(token)) return { ok: false, refusal: { kind: 'malformed' } };
  const introspection = await introspectApiParticulierToken(deps.apiParticulier, token);
  await journalTokenUse(deps.journal, { siret: input.siret, actor, kind: 'verification', resultCode: introspection.ok ? '200' : String(introspection.status ?? introspection.kind) });
  if (!introspection.ok) {
    const refusal: TokenRefusal =
      introspection.kind === 'rate_limited' ? { kind: 'rate_limited', retryAfterSeconds: introspection.retryAfterSeconds } : { kind: introspection.kind };
    return { ok: false, refusal };
  }
  if (!introspection.scopes.includes(QUOTIENT_FAMILIAL_SCOPE)) {
    await deps.journal.record({ siret: input.siret, actorKind: 'agent', actor: input.agentEmail, action: 'api_particulier_token_refused', detail: 'sans le droit cnaf_quotient_familial' });
    return { ok: false, refusal: { kind: 'without_quotient_familial', scopes: introspection.scopes } };
  }
  await deps.tokens.save(input.siret, token);
  await deps.journal.record({ siret: input.siret, actorKind: 'agent', actor: input.agentEmail, action: 'api_particulier_token_saved', detail: `…${token.slice(-4)}` });
  return { ok: true, scopes: introspection.scopes };
}

export async function deleteCommuneToken(deps: { tokens: CommuneApiParticulierTokens; journal: EspaceJournal }, input: { siret: string; agentEmail: string }): Promise<boolean> {
  const removed = await deps.tokens.remove(input.siret);
  if (removed) await deps.journal.record({ siret: input.siret, actorKind: 'agent', actor: input.agentEmail, action: 'api_particulier_token_deleted' });
  return removed;
}
