import { buildFormulaireQfJson, type FormulaireQfJson } from './json.ts';
import type { FormulaireQfInput } from './input.ts';
import { toRailsXml } from './rails-xml.ts';

/** `FormulaireQF.xml` (§3): the same tree as the JSON, serialised as Rails' `Hash#to_xml` did. */
export function buildFormulaireQfXml(input: Pick<FormulaireQfInput, 'externalId' | 'identity' | 'quotientFamilial'>): string {
  return formulaireQfJsonToXml(buildFormulaireQfJson(input));
}

export function formulaireQfJsonToXml(json: FormulaireQfJson): string {
  return toRailsXml(json);
}
