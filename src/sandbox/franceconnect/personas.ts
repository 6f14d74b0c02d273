import { createHash } from 'node:crypto';
import { z } from 'zod';
import fixtures from '../fixtures/personas.json' with { type: 'json' };
import { identitePivotSchema } from '../../integrations/franceconnect/identity.ts';

/** What the stand-in's identity provider knows of a test person: the FranceConnect claims of the fixture. */
const personaClaimsSchema = identitePivotSchema.extend({
  idp_birthdate: z.string().optional(),
  preferred_username: z.string().optional(),
  email: z.string().optional(),
});

export type PersonaClaims = z.infer<typeof personaClaimsSchema>;

export interface Persona {
  login: string;
  claims: PersonaClaims;
  /** Stands for FC's hash of the RNIPP identity: what makes `sub` stable for one person. */
  identityHash: string;
}

const fixtureSchema = z.object({
  personas: z.array(z.object({ login: z.string().min(1), claims: personaClaimsSchema }).loose()).min(1),
});

export const PERSONAS: readonly Persona[] = fixtureSchema.parse(fixtures).personas.map((p) => ({
  login: p.login,
  claims: p.claims,
  identityHash: hashIdentity(p.claims),
}));

export function findPersona(login: string): Persona | undefined {
  return PERSONAS.find((p) => p.login === login);
}

/**
 * FC's `sub` is pairwise: sha256(entityId + identityHash + secret) in hex, then "v1" (contract §3). The same
 * person therefore gets one `sub` at the service provider and another at each data provider. The "secret" is a
 * constant here so that a persona keeps its `sub` across restarts.
 */
export function subjectFor(persona: Persona, clientId: string): string {
  const hex = createHash('sha256').update(`${clientId}${persona.identityHash}stand-in-franceconnect`).digest('hex');
  return `${hex}v1`;
}

export function personaBySubject(sub: string, clientId: string): Persona | undefined {
  return PERSONAS.find((p) => subjectFor(p, clientId) === sub);
}

function hashIdentity(claims: PersonaClaims): string {
  const pivot = [claims.given_name, claims.family_name, claims.birthdate, claims.gender, claims.birthplace, claims.birthcountry];
  return createHash('sha256').update(pivot.join('\n')).digest('hex');
}

/** "Angela Claire Louise DUBOIS": how the login page names a persona. */
export function displayName(persona: Persona): string {
  return `${persona.claims.given_name} ${persona.claims.family_name}`;
}
