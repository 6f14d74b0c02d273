/**
 * The API Particulier tokens the local stand-in knows (identity route only: the FranceConnect route takes a
 * FranceConnect access token instead). Real tokens are JWTs issued per habilitation; locally an opaque string is
 * enough because no client ever reads inside the token. They start with "local-only-" so that production's
 * configuration check recognises and refuses them.
 *
 * | token                                                    | scopes                                     | answers            |
 * |----------------------------------------------------------|--------------------------------------------|--------------------|
 * | local-only-api-particulier-collectivite-qf               | cnaf_quotient_familial, cnaf_allocataires, cnaf_enfants, cnaf_adresse | the persona's answer |
 * | local-only-api-particulier-qf-seul                       | cnaf_quotient_familial                     | only `quotient_familial` |
 * | local-only-api-particulier-expire                        | the four cnaf_* scopes, expired in 2024   | 401 00103          |
 * | local-only-api-particulier-sans-qf                       | another API's scope (dgfip_...)           | 403 00100          |
 * | anything else                                            |                                            | 401 00101          |
 *
 * `GET /api-particulier/introspect?token=…` answers each one's scopes (401 00103 for the expired one).
 */
export const QF_SCOPES = ['cnaf_quotient_familial', 'cnaf_allocataires', 'cnaf_enfants', 'cnaf_adresse'] as const;

export interface LocalApiParticulierToken {
  /** What /api/introspect names it. */
  name: string;
  scopes: readonly string[];
  /** null: never expires (real tokens last 18 months). */
  expiresAt: Date | null;
}

export const LOCAL_API_PARTICULIER_TOKENS = {
  /** A collectivity's token with every QF scope: the one to use for identity-mode refreshes. */
  collectivity: 'local-only-api-particulier-collectivite-qf',
  /** Only the QF value: shows the scope masking of `allocataires`, `enfants` and `adresse`. */
  quotientFamilialOnly: 'local-only-api-particulier-qf-seul',
  expired: 'local-only-api-particulier-expire',
  withoutQuotientFamilialScope: 'local-only-api-particulier-sans-qf',
} as const;

export const localTokenRegistry: ReadonlyMap<string, LocalApiParticulierToken> = new Map([
  [LOCAL_API_PARTICULIER_TOKENS.collectivity, { name: 'Collectivité (bac à sable) : quotient familial complet', scopes: QF_SCOPES, expiresAt: null }],
  [LOCAL_API_PARTICULIER_TOKENS.quotientFamilialOnly, { name: 'Collectivité (bac à sable) : valeur du QF seule', scopes: ['cnaf_quotient_familial'], expiresAt: null }],
  [LOCAL_API_PARTICULIER_TOKENS.expired, { name: 'Jeton expiré (bac à sable)', scopes: QF_SCOPES, expiresAt: new Date('2024-01-01T00:00:00Z') }],
  [
    LOCAL_API_PARTICULIER_TOKENS.withoutQuotientFamilialScope,
    { name: 'Jeton d’une autre API (bac à sable)', scopes: ['dgfip_revenu_fiscal_de_reference'], expiresAt: null },
  ],
]);
