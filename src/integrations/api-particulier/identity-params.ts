import { FRANCE_COG_COUNTRY, type IdentitePivot } from '../../domain/identite-pivot.ts';
import type { IdentityParams } from './client.ts';

/**
 * The identity route's parameters from a stored identité pivot (a commune refreshing a QF, step 4 of the product),
 * mapped as siade maps a FranceConnect identity (§5 step 7). Null when the pivot cannot be sent: API-SECU refuses a
 * request without a civil-status sex, and FranceConnect's "unspecified" has no M/F equivalent (§3.3).
 */
export function identityParamsFromPivot(pivot: IdentitePivot): IdentityParams | null {
  if (pivot.gender === 'unspecified') return null;
  const [year, month, day] = pivot.birthdate.split('-').map(Number);
  const bornInFrance = pivot.birthcountry === FRANCE_COG_COUNTRY;
  return {
    nomNaissance: pivot.family_name,
    // The API takes at most three first names; the first ones identify best.
    prenoms: pivot.given_name_array.slice(0, 3),
    sexeEtatCivil: pivot.gender === 'male' ? 'M' : 'F',
    ...(year ? { anneeDateNaissance: year } : {}),
    ...(month ? { moisDateNaissance: month } : {}),
    ...(day ? { jourDateNaissance: day } : {}),
    codeCogInseePaysNaissance: pivot.birthcountry,
    ...(bornInFrance && pivot.birthplace ? { codeCogInseeCommuneNaissance: pivot.birthplace } : {}),
  };
}
