import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * The communes of INSEE's COG by département (fixtures/communes.json), for the "option 2" of the identity route:
 * a birth commune given by its name with its département is transcoded to its COG code, and a name that is no
 * commune of that département is refused, as API Particulier does (contracts/api-particulier-qf.md §1.1 step 5).
 */
const fileSchema = z.object({ departements: z.record(z.string(), z.array(z.tuple([z.string(), z.string()]))) });

let index: Map<string, Map<string, string>> | undefined;

function communesIndex(): Map<string, Map<string, string>> {
  if (index) return index;
  const file = fileSchema.parse(JSON.parse(readFileSync(new URL('../fixtures/communes.json', import.meta.url), 'utf8')));
  index = new Map(
    Object.entries(file.departements).map(([departement, communes]) => [
      departement,
      new Map(communes.map(([code, name]) => [comparableName(name), code])),
    ]),
  );
  return index;
}

/** The COG code of the commune so named in the département, or null when there is none. */
export function communeCode(name: string, departement: string): string | null {
  return communesIndex().get(departement.toUpperCase())?.get(comparableName(name)) ?? null;
}

/** Case, accents, hyphens, apostrophes and "Saint"/"St" do not make another commune. */
function comparableName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/[’‘ʼ'\-]/g, ' ')
    .replace(/\bSTE\b/g, 'SAINTE')
    .replace(/\bST\b/g, 'SAINT')
    .replace(/\s+/g, ' ')
    .trim();
}
