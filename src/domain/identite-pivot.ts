/**
 * The identité pivot exactly as FranceConnect returns it (claim names and formats of FranceConnect v2,
 * `contracts/franceconnect.md` §4). It is forwarded to the commune unchanged.
 */
export type Gender = 'female' | 'male' | 'unspecified';

export interface IdentitePivot {
  given_name: string;
  given_name_array: string[];
  family_name: string;
  /** YYYY-MM-DD (présumés nés: YYYY-MM-01 or YYYY-01-01). */
  birthdate: string;
  gender: Gender;
  /**
   * COG code of the commune of birth; "" when born abroad. FranceConnect may also send null (born abroad, or an
   * identity provider that does not give it): it is accepted and forwarded as null, as it came.
   */
  birthplace: string | null;
  /** COG code of the country of birth; "99100" is France. */
  birthcountry: string;
}

export const FRANCE_COG_COUNTRY = '99100';
