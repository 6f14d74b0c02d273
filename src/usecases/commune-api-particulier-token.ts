/**
 * The commune's own API Particulier token (scope QF, from its DataPass habilitation), as the Mise à jour annuelle
 * and the guichet use it. The store that an administrator fills in Paramètres (checked on save, sealed at rest) is
 * the guichet's; until it is merged, this in-memory store keeps the same interface so that the job and the pages
 * can be written and tested against it. It holds tokens only for the life of the process and never logs them.
 */
export interface CommuneApiParticulierTokens {
  reveal(siret: string): Promise<string | null>;
  describe(siret: string): Promise<{ lastFour: string; savedAt: Date } | null>;
}

export interface InMemoryCommuneTokens extends CommuneApiParticulierTokens {
  save(siret: string, token: string, savedAt?: Date): void;
}

export function createInMemoryCommuneTokens(): InMemoryCommuneTokens {
  const tokens = new Map<string, { token: string; savedAt: Date }>();
  return {
    async reveal(siret) {
      return tokens.get(siret)?.token ?? null;
    },
    async describe(siret) {
      const saved = tokens.get(siret);
      return saved ? { lastFour: saved.token.slice(-4), savedAt: saved.savedAt } : null;
    },
    save(siret, token, savedAt = new Date()) {
      tokens.set(siret, { token, savedAt });
    },
  };
}
