import { z } from 'zod';
import type { IdentitePivot } from '../../domain/identite-pivot.ts';

/**
 * The identité pivot claims as FranceConnect v2 formats them (contract §4). Validated wherever they enter
 * from FranceConnect: userinfo for our login, checktoken for a data provider.
 */
export const identitePivotSchema = z.object({
  given_name: z.string().min(1),
  given_name_array: z.array(z.string().min(1)).min(1),
  family_name: z.string().min(1),
  birthdate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  gender: z.enum(['female', 'male', 'unspecified']),
  // Empty when born abroad; Corsican communes have 2A/2B codes; null as some identity providers send it.
  birthplace: z.string().regex(/^(\d{5}|2[AB]\d{3})?$/).nullable(),
  birthcountry: z.string().regex(/^\d{5}$/),
});

/** Keeps only the seven pivot claims (userinfo also carries aud, iss, email…). Null when they do not conform. */
export function parseIdentitePivot(claims: unknown): IdentitePivot | null {
  const parsed = identitePivotSchema.safeParse(claims);
  return parsed.success ? parsed.data : null;
}

/** Which claims failed, by name only: the values are personal data and must not reach logs. */
export function describeIdentityProblems(claims: unknown): string {
  const parsed = identitePivotSchema.safeParse(claims);
  if (parsed.success) return 'none';
  return [...new Set(parsed.error.issues.map((issue) => String(issue.path[0] ?? '(root)')))].join(', ');
}
