import { z } from 'zod';
import { isSiret } from '../../domain/siret.ts';

/**
 * What we take from ProConnect's userinfo (contract §2): the person, and the `siret` of the organisation they
 * chose at login. Nothing here is trusted for authorisation by itself: the espace checks the SIRET and the
 * e-mail against its own lists.
 */
export interface ProConnectUser {
  sub: string;
  email: string;
  givenName: string;
  usualName: string;
  siret: string;
  organizationLabel: string | null;
  roles: string[];
  idpId: string | null;
}

const userinfoSchema = z.object({
  sub: z.string().min(1).max(256),
  email: z.email().max(320),
  given_name: z.string().min(1).max(256),
  usual_name: z.string().min(1).max(256),
  siret: z.string().regex(/^[0-9]{14}$/),
  organization_label: z.string().max(512).nullish(),
  roles: z.array(z.string().max(64)).max(20).nullish(),
  idp_id: z.string().max(256).nullish(),
});

export function parseProConnectUser(claims: unknown): ProConnectUser | null {
  const parsed = userinfoSchema.safeParse(claims);
  if (!parsed.success) return null;
  const c = parsed.data;
  // ProConnect checks the Luhn key (La Poste exempt) before sending a SIRET; a failing one is not ProConnect's.
  if (!isSiret(c.siret)) return null;
  return {
    sub: c.sub,
    email: c.email.toLowerCase(),
    givenName: c.given_name,
    usualName: c.usual_name,
    siret: c.siret,
    organizationLabel: c.organization_label ?? null,
    roles: c.roles ?? [],
    idpId: c.idp_id ?? null,
  };
}

/** Which claims failed, never their values (fit for logs). */
export function describeUserProblems(claims: unknown): string {
  const parsed = userinfoSchema.safeParse(claims);
  return parsed.success ? 'siret fails its check digit' : parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
}
