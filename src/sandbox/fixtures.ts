import { readFileSync } from 'node:fs';
import type { IdentitePivot } from '../domain/identite-pivot.ts';
import type { QuotientFamilialData } from '../domain/quotient-familial.ts';

/**
 * The seed data of the local installation (a copy of the test personas and communes, carried by the product
 * because a user's machine has no shared/ folder).
 */
export interface SeedCollectivity {
  siret: string;
  code_cog: string;
  name: string;
  departement: string;
  code_postal: string;
  status: 'active' | 'inactive';
  test?: boolean;
}

export interface Persona {
  login: string;
  claims: IdentitePivot & { preferred_username?: string; email?: string };
  qf: { status: number; data?: QuotientFamilialData; [key: string]: unknown };
  note?: string;
}

const read = (name: string): unknown => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));

export const seedCollectivities: readonly SeedCollectivity[] = (read('collectivites.json') as { collectivites: SeedCollectivity[] }).collectivites;
export const personas: readonly Persona[] = (read('personas.json') as { personas: Persona[] }).personas;
