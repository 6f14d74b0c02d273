import { z } from 'zod';
import type { IdentitePivot } from '../../domain/identite-pivot.ts';
import type { KnownQuotientFamilialKey, QuotientFamilialData } from '../../domain/quotient-familial.ts';
import { personas, type Persona } from '../fixtures.ts';
import { unidentifiedPerson, type ApiParticulierErrorItem, type ErrorAnswer } from './error-bodies.ts';
import type { IdentityCriteria } from './query-validation.ts';
import { stagingCaseByFile, type StagingCase } from './staging-cases.ts';

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
  /** The QF value of given months ("YYYY-MM"), when `annee`/`mois` ask for one of them. */
  byMonth: Readonly<Record<string, number>>;
}

const byMonthSchema = z.record(z.string().regex(/^\d{4}-\d{2}$/), z.number().int().min(0)).default({});

/** Parsed once, so that a broken seed file fails at start-up rather than in the middle of a journey. */
export function loadKnownPersonas(source: readonly Persona[] = personas): KnownPersona[] {
  return source.map((persona) => ({
    login: persona.login,
    identity: persona.claims,
    answer: answerOf(persona),
    answerDelayMs: typeof persona.qf.answer_delay_ms === 'number' ? persona.qf.answer_delay_ms : 0,
    byMonth: byMonthSchema.parse(persona.qf.by_month),
  }));
}

function answerOf(persona: Persona): PersonaAnswer {
  // API Particulier's staging identities keep one source: the staging file's answer.
  if (typeof persona.qf.staging_case === 'string') {
    const staged = stagingCaseByFile('france_connect', persona.qf.staging_case) ?? stagingCaseByFile('identite', persona.qf.staging_case);
    if (!staged) throw new Error(`persona ${persona.login}: no staging case ${persona.qf.staging_case}`);
    return stagingAnswer(staged);
  }
  if (persona.qf.status === 200 && persona.qf.data) return { ok: true, data: persona.qf.data };
  const parsed = errorAnswer.parse(persona.qf);
  const errors: ApiParticulierErrorItem[] = parsed.errors;
  return { ok: false, error: { status: parsed.status, body: { errors }, ...(parsed.headers ? { headers: parsed.headers } : {}) } };
}

/** A staging case's answer, as the persona answers are shaped. */
export function stagingAnswer(staged: StagingCase): PersonaAnswer {
  if ('data' in staged.payload) return { ok: true, data: staged.payload.data as QuotientFamilialData };
  // The file gives status and body only; a 429 always tells when to come back (§4), as siade's responder does.
  const headers = staged.status === 429 ? { headers: { 'Retry-After': '1' } } : {};
  return { ok: false, error: { status: staged.status, body: { errors: staged.payload.errors }, ...headers } };
}

/**
 * Nobody matches: in production SNGI cannot identify the person, which API Particulier answers 422 35560
 * (contracts/api-particulier-qf.md §3.3), not a 404.
 */
export const unknownPerson = (): ErrorAnswer => unidentifiedPerson();

/**
 * Matching is deliberately tolerant where SNGI is (case, accents, apostrophes, fewer first names, a partial birth
 * date) and strict on the rest, so that a test can both find a persona and miss it on purpose.
 */
export function findByCriteria(known: readonly KnownPersona[], criteria: IdentityCriteria): KnownPersona | undefined {
  return known.find((p) => matches(p.identity, criteria));
}

/** FranceConnect mode: siade turns the FC identity into the same civility parameters (§5 step 7). */
export function criteriaOfFranceConnectIdentity(identity: FranceConnectIdentity): IdentityCriteria {
  const [year, month, day] = identity.birthdate.split('-').map(Number);
  return {
    nomNaissance: identity.family_name,
    nomUsage: identity.preferred_username ? identity.preferred_username : null,
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
}

/** What FranceConnect tells about the person (checktoken's RNIPP identity; staging's fake tokens add a usage name). */
export type FranceConnectIdentity = IdentitePivot & { preferred_username?: string };

export function findByFranceConnectIdentity(known: readonly KnownPersona[], identity: FranceConnectIdentity): KnownPersona | undefined {
  const criteria = criteriaOfFranceConnectIdentity(identity);
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
  // Option 2 arrives transcoded to its COG code (query-validation.ts).
  if (c.codeCommune !== null) return c.codeCommune === (person.birthplace ?? '').toUpperCase();
  return person.birthcountry !== '99100';
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
