import { err, ok, type Result } from './result.ts';

/**
 * Identifiers of French administrative units: the SIRET of an establishment (HubEE `companyRegister`), the
 * INSEE COG code of a commune (HubEE `branchCode`) and the code of a département.
 *
 * Branded so that a string which has not been through a parse function cannot be used where one is expected.
 */
declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

export type Siret = Brand<string, 'Siret'>;
export type CodeCog = Brand<string, 'CodeCog'>;
export type DepartementCode = Brand<string, 'DepartementCode'>;

export type SiretError = 'not-14-digits' | 'bad-checksum';
export type CodeCogError = 'bad-format';
export type DepartementError = 'unknown-departement';

/** La Poste put all its establishments under one SIREN; their NICs do not follow the Luhn key (INSEE). */
const LA_POSTE_SIREN = '356000000';

/**
 * HubEE's own test organisations ("Commune de HubEE - Test" and "- API"). Their SIRETs deliberately fail
 * the Luhn check, so they are only ever accepted through `parseSiret(…, { allowTestSirets: true })`.
 */
export const HUBEE_TEST_SIRETS: readonly string[] = Object.freeze(['11111111111111', '11111111111112']);

export function isHubeeTestSiret(value: string): boolean {
  return HUBEE_TEST_SIRETS.includes(value);
}

/** Luhn (mod 10) over a string of digits, rightmost digit being the key. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function digitSum(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) sum += digits.charCodeAt(i) - 48;
  return sum;
}

export interface ParseSiretOptions {
  /** Accept HubEE's declared test SIRETs (sandbox and local installation only). */
  allowTestSirets?: boolean;
}

export function parseSiret(input: string, options: ParseSiretOptions = {}): Result<Siret, SiretError> {
  const value = input.trim();
  if (!/^\d{14}$/.test(value)) return err('not-14-digits');
  if (options.allowTestSirets === true && isHubeeTestSiret(value)) return ok(value as Siret);
  if (luhnValid(value)) return ok(value as Siret);
  // La Poste's head office (35600000000048) passes Luhn above; its other establishments use the
  // "sum of the 14 digits is a multiple of 5" rule instead.
  if (value.startsWith(LA_POSTE_SIREN) && digitSum(value) % 5 === 0) return ok(value as Siret);
  return err('bad-checksum');
}

export function isSiret(input: string, options: ParseSiretOptions = {}): input is Siret {
  return parseSiret(input, options).ok;
}

/**
 * A commune's COG code: 2 characters of département (digits, or 2A/2B for Corsica) then 3 digits.
 * Overseas codes (971xx–976xx, COM 975xx, 977xx, 978xx, 98xxx) fit the same 5-digit shape. `00` and `20`
 * never start a commune code (Corsica has been 2A/2B since 1976), so they are refused.
 */
const CODE_COG = /^(?:0[1-9]|1\d|2[1-9AB]|[3-9]\d)\d{3}$/;

export function parseCodeCog(input: string): Result<CodeCog, CodeCogError> {
  // Lower-case "2a004" is a common typing of a valid code; COG codes are upper case.
  const value = input.trim().toUpperCase();
  return CODE_COG.test(value) ? ok(value as CodeCog) : err('bad-format');
}

export function isCodeCog(input: string): input is CodeCog {
  return parseCodeCog(input).ok;
}

/**
 * Metropolitan départements 01–95 (no 20: 2A/2B), the five DROM (971–974, 976) and the overseas
 * collectivities whose INSEE codes are used like départements (975, 977, 978, 984, 986–989).
 */
const DEPARTEMENT = /^(?:0[1-9]|1\d|2[1-9AB]|[3-8]\d|9[0-5]|97[1-8]|98[46789])$/;

export function parseDepartementCode(input: string): Result<DepartementCode, DepartementError> {
  const value = input.trim().toUpperCase();
  return DEPARTEMENT.test(value) ? ok(value as DepartementCode) : err('unknown-departement');
}

/**
 * The département of a commune, from its COG code. Prefer this to the first two characters of the postal
 * code, which give "97" overseas and "20" in Corsica, neither of which is a département.
 */
export function departementOfCodeCog(code: CodeCog): DepartementCode | null {
  const twoOrThree = code.startsWith('97') || code.startsWith('98') ? code.slice(0, 3) : code.slice(0, 2);
  const parsed = parseDepartementCode(twoOrThree);
  return parsed.ok ? parsed.value : null;
}
