import type { FranceConnectIdentity } from './personas.ts';

/**
 * API Particulier staging's fake FranceConnect tokens (contracts/api-particulier-qf.md §6.2, franceconnect.md §6):
 * the bearer `cnaf_qfv2` or `all_fc` stands for a FranceConnect token of a fixed identity, without FranceConnect.
 * Their staging cases name a usage name (MARTIN, Delamouette) that the published fake payloads lack; it is given
 * here so that those cases answer, as staging's summary says they do.
 */
const FULL_SCOPES = ['openid', 'identite_pivot', 'cnaf_quotient_familial', 'cnaf_allocataires', 'cnaf_enfants', 'cnaf_adresse'];

export const STAGING_FRANCE_CONNECT_TOKENS: ReadonlyMap<string, { scopes: string[]; identity: FranceConnectIdentity }> = new Map([
  [
    'cnaf_qfv2',
    {
      scopes: FULL_SCOPES,
      identity: {
        given_name: 'Georges',
        given_name_array: ['Georges'],
        family_name: 'CNAF',
        preferred_username: 'MARTIN',
        birthdate: '2002-01-01',
        gender: 'male',
        birthplace: '75002',
        birthcountry: '99100',
      },
    },
  ],
  [
    'all_fc',
    {
      scopes: FULL_SCOPES,
      identity: {
        given_name: 'Thomas',
        given_name_array: ['Thomas'],
        family_name: 'Delatour',
        preferred_username: 'Delamouette',
        birthdate: '1994-04-16',
        gender: 'male',
        birthplace: '75111',
        birthcountry: '99100',
      },
    },
  ],
]);

/**
 * The identity pivot scopes siade requires of a FranceConnect token (§5 step 5), after expanding FC's aliases:
 * `identite_pivot` = `profile` + `birth`, `profile` = given_name family_name birthdate gender, `birth` =
 * birthplace birthcountry.
 */
const REQUIRED_IDENTITY_SCOPES = ['family_name', 'given_name', 'gender', 'birthdate', 'birthplace', 'birthcountry'];
const ALIASES: Record<string, readonly string[]> = {
  identite_pivot: ['profile', 'birth'],
  profile: ['given_name', 'family_name', 'birthdate', 'gender'],
  birth: ['birthplace', 'birthcountry'],
};

export function hasIdentityScopes(scopes: readonly string[]): boolean {
  const expanded = new Set<string>();
  const add = (scope: string): void => {
    if (expanded.has(scope)) return;
    expanded.add(scope);
    for (const part of ALIASES[scope] ?? []) add(part);
  };
  scopes.forEach(add);
  return REQUIRED_IDENTITY_SCOPES.every((scope) => expanded.has(scope));
}
