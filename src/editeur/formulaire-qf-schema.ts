import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';

/**
 * The JSON Schema (draft 2020-12) of `FormulaireQF.json`, kept in `docs/schemas/` so that éditeurs read the same
 * file the app serves and this library validates with.
 */
export const FORMULAIRE_QF_SCHEMA_URL = new URL('../../docs/schemas/formulaire-qf.schema.json', import.meta.url);

export const formulaireQfSchema: Record<string, unknown> = JSON.parse(readFileSync(FORMULAIRE_QF_SCHEMA_URL, 'utf8')) as Record<string, unknown>;

export type SchemaCheck = { valid: true } | { valid: false; errors: string[] };

const ajv = new Ajv2020({ allErrors: true, strict: true });
const validate = ajv.compile(formulaireQfSchema);

/** Checks a parsed FormulaireQF.json; errors name the path and the rule, never the value (it is personal data). */
export function checkFormulaireQfJson(value: unknown): SchemaCheck {
  if (validate(value)) return { valid: true };
  const errors = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`);
  return { valid: false, errors };
}
