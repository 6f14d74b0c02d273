import { z } from 'zod';
import type { IdentitePivot } from '../../domain/identite-pivot.ts';
import type { KnownQuotientFamilialKey, QuotientFamilialData } from '../../domain/quotient-familial.ts';
import { personas, type Persona } from '../fixtures.ts';
import { allocataireNonReference, type ApiParticulierErrorItem, type ErrorAnswer } from './error-bodies.ts';
import type { IdentityCriteria } from './query-validation.ts';

/**
 * Who the stand-in knows, and what API Particulier answers for each of them: the seed personas, found from the
 * identity parameters (identity route) or from the FranceConnect identity (FranceConnect route).
 */
export type PersonaAnswer = { ok: true; data: QuotientFamilialData } | { ok: false; error: ErrorAnswer };

const errorItem = z.object({
  code: z.string(),
  title: z.string(),
  detail: z.string(),
  source: z.object({ parameter: z.string() }).nullable(),
  meta: z.record(z.string(), z.unknown()),
});
const errorAnswer = z.object({
  status: z.number().int().min(400),
  errors: z.array(errorItem).min(1),
  headers: z.record(z.string(), z.string()).optional(),
});

export interface KnownPersona {
  login: string;
  identity: IdentitePivot;
  answer: PersonaAnswer;
  /** A slow provider: the answer comes after this many milliseconds. */
  answerDelayMs: number;
}

/** Parsed once, so that a broken seed file fails at start-up rather than in the middle of a journey. */
export function loadKnownPersonas(source: readonly Persona[] = personas): KnownPersona[] {
  return source.map((persona) => ({
    login: persona.login,
    identity: persona.claims,
    answer: answerOf(persona),
    answerDelayMs: typeof persona.qf.answer_delay_ms === 'number' ? persona.qf.answer_delay_ms : 0,
  }));
}

function answerOf(persona: Persona): PersonaAnswer {
  if (persona.qf.status === 200 && persona.qf.data) return { ok: true, data: persona.qf.data };
  const parsed = errorAnswer.parse(persona.qf);
  const errors: ApiParticulierErrorItem[] = parsed.errors;
  return { ok: false, error: { status: parsed.status, body: { errors }, ...(parsed.headers ? { headers: parsed.headers } : {}) } };
}

/** The documented "not found" when nobody matches (35003; see the report for SNGI's 422 in production). */
export const unknownPerson = (): ErrorAnswer => allocataireNonReference();

/**
 * Matching is deliberately tolerant where SNGI is (case, accents, apostrophes, fewer first names, a partial birth
 * date) and strict on the rest, so that a test can both find a persona and miss it on purpose.
 */
export function findByCriteria(known: readonly KnownPersona[], criteria: IdentityCriteria): KnownPersona | undefined {
  return known.find((p) => matches(p.identity, criteria));
}

/** FranceConnect mode: siade turns the FC identity into the same civility parameters (§5 step 7). */
export function findByFranceConnectIdentity(known: readonly KnownPersona[], identity: IdentitePivot): KnownPersona | undefined {
  const [year, month, day] = identity.birthdate.split('-').map(Number);
  const criteria: IdentityCriteria = {
    nomNaissance: identity.family_name,
    nomUsage: null,
    prenoms: identity.given_name.split(' '),
    sexe: identity.gender === 'male' ? 'M' : 'F',
    anneeNaissance: year ?? null,
    moisNaissance: month ?? null,
    jourNaissance: day ?? null,
    codePays: identity.birthcountry,
    codeCommune: identity.birthplace === '' ? null : identity.birthplace,
    nomCommune: null,
    codeDepartement: null,
  };
  return known.find((p) => matches(p.identity, criteria) && p.identity.gender === identity.gender);
}

function matches(person: IdentitePivot, c: IdentityCriteria): boolean {
  if (normalise(person.family_name) !== normalise(c.nomNaissance)) return false;
  const personNames = person.given_name_array.map(normalise);
  const askedNames = c.prenoms.flatMap((p) => normalise(p).split(' '));
  if (askedNames.length === 0 || askedNames.length > personNames.length) return false;
  if (askedNames.some((name, i) => name !== personNames[i])) return false;
  if (person.gender !== 'unspecified' && (person.gender === 'male' ? 'M' : 'F') !== c.sexe) return false;
  const [year, month, day] = person.birthdate.split('-').map(Number);
  if (c.anneeNaissance !== null && c.anneeNaissance !== year) return false;
  if (c.moisNaissance !== null && c.moisNaissance !== month) return false;
  if (c.jourNaissance !== null && c.jourNaissance !== day) return false;
  if (c.codePays !== person.birthcountry) return false;
  if (c.codeCommune !== null) return c.codeCommune === (person.birthplace ?? '').toUpperCase();
  // Option 2 without a COG table: the département is checked, the commune's name is taken on trust.
  if (c.codeDepartement !== null) return departementOf(person.birthplace ?? '') === c.codeDepartement;
  return person.birthcountry !== '99100';
}

function departementOf(cog: string): string {
  return cog.toUpperCase().startsWith('97') ? cog.slice(0, 3) : cog.slice(0, 2).toUpperCase();
}

function normalise(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[’‘ʼ]/g, "'")
    .toUpperCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** The production serializer hides each `data` key the token has no scope for (§2.1). */
const SCOPE_OF_KEY = {
  quotient_familial: 'cnaf_quotient_familial',
  allocataires: 'cnaf_allocataires',
  enfants: 'cnaf_enfants',
  adresse: 'cnaf_adresse',
} as const satisfies Record<KnownQuotientFamilialKey, string>;

export function maskByScopes(data: QuotientFamilialData, scopes: readonly string[]): QuotientFamilialData {
  const masked: QuotientFamilialData = {};
  for (const key of Object.keys(data) as KnownQuotientFamilialKey[]) {
    // A key no scope covers (none in the fixtures) is masked: production's serializer only knows these four.
    if (key in SCOPE_OF_KEY && scopes.includes(SCOPE_OF_KEY[key])) Object.assign(masked, { [key]: data[key] });
  }
  return masked;
}

export function hasAnyQuotientFamilialScope(scopes: readonly string[]): boolean {
  return Object.values(SCOPE_OF_KEY).some((scope) => scopes.includes(scope));
}
