/**
 * The commune's own API Particulier token (scope QF, from its DataPass habilitation), as the Mise à jour annuelle
 * and the guichet use it. The store that an administrator fills in Paramètres (checked on save, sealed at rest) is
 * the guichet's branch's, with this same interface; until it is merged, the in-memory store below stands in for
 * it, holding tokens only for the life of the process (nothing persisted, nothing logged).
 */
export interface CommuneApiParticulierTokens {
  reveal(siret: string): Promise<string | null>;
  describe(siret: string): Promise<{ lastFour: string; savedAt: Date } | null>;
  save(siret: string, token: string): Promise<void>;
  remove(siret: string): Promise<boolean>;
}

export function createInMemoryCommuneTokens(): CommuneApiParticulierTokens {
  const tokens = new Map<string, { token: string; savedAt: Date }>();
  return {
    async reveal(siret) {
      return tokens.get(siret)?.token ?? null;
    },
    async describe(siret) {
      const saved = tokens.get(siret);
      return saved ? { lastFour: saved.token.slice(-4), savedAt: saved.savedAt } : null;
    },
    async save(siret, token) {
      tokens.set(siret, { token, savedAt: new Date() });
    },
    async remove(siret) {
      return tokens.delete(siret);
    },
  };
}
