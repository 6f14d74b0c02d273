import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { ApiParticulierErrorItem } from './error-bodies.ts';

/**
 * API Particulier's own staging test cases (etalab/siade_staging_data, copied in fixtures/ from
 * shared/fixtures/api-particulier-staging-qf.json): each gives request parameters and the exact answer staging
 * returns. The stand-in answers these identities first, the same way, so that an éditeur's tests written against
 * the sandbox pass against staging too (contracts/api-particulier-qf.md §6).
 */
const numberOrString = z.union([z.number(), z.string()]);

const caseSchema = z.object({
  file: z.string(),
  params: z.record(z.string(), z.union([numberOrString, z.array(z.string())])),
  status: z.number().int(),
  payload: z.union([
    z.object({ data: z.record(z.string(), z.unknown()), links: z.record(z.string(), z.unknown()), meta: z.record(z.string(), z.unknown()) }),
    z.object({ errors: z.array(z.custom<ApiParticulierErrorItem>((v) => typeof v === 'object' && v !== null)).min(1) }),
  ]),
});
const fileSchema = z.object({ identite: z.array(caseSchema).min(1), france_connect: z.array(caseSchema).min(1) });

export type StagingCase = z.infer<typeof caseSchema>;
export type StagingRoute = 'identite' | 'france_connect';

export const STAGING_CASES: Readonly<Record<StagingRoute, readonly StagingCase[]>> = fileSchema.parse(
  JSON.parse(readFileSync(new URL('../fixtures/api-particulier-staging-qf.json', import.meta.url), 'utf8')),
);

/** A request's civility and period under the names of the staging files (v3 query names). */
export type CivilityParams = Record<string, string | number | readonly string[]>;

/**
 * Staging's mock answers a case when every parameter of the case is in the request with the same value; when
 * several match, the one that names the most parameters (the most precise) wins, so that "LEFEBVRE + three first
 * names" without a birth date (404) and the same with the full date (200) are told apart. Letter case is ignored.
 */
export function findStagingCase(route: StagingRoute, request: CivilityParams): StagingCase | undefined {
  let best: StagingCase | undefined;
  for (const candidate of STAGING_CASES[route]) {
    const entries = Object.entries(candidate.params);
    if (!entries.every(([name, value]) => sameValue(request[name], value))) continue;
    if (!best || entries.length > Object.keys(best.params).length) best = candidate;
  }
  return best;
}

export function stagingCaseByFile(route: StagingRoute, file: string): StagingCase | undefined {
  return STAGING_CASES[route].find((c) => c.file === file);
}

function sameValue(asked: CivilityParams[string] | undefined, expected: StagingCase['params'][string]): boolean {
  if (asked === undefined) return false;
  if (Array.isArray(expected) || Array.isArray(asked)) {
    const a = Array.isArray(asked) ? asked : [asked];
    const e = Array.isArray(expected) ? expected : [expected];
    return a.length === e.length && a.every((value, i) => fold(String(value)) === fold(String(e[i])));
  }
  if (typeof expected === 'number' || typeof asked === 'number') return Number(asked) === Number(expected);
  return fold(String(asked)) === fold(String(expected));
}

function fold(value: string): string {
  return value.trim().toUpperCase();
}
