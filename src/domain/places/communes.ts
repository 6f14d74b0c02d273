import { createRequire } from 'node:module';

/**
 * The communes of the Code officiel géographique, from `@etalab/decoupage-administratif` (current communes,
 * delegated and associated communes, municipal arrondissements of Paris, Lyon and Marseille, with every postal code
 * and the former codes of each current commune). Loaded once, on first use (about 9 MB of JSON).
 */
interface DecoupageCommune {
  code: string;
  nom: string;
  type: 'commune-actuelle' | 'commune-deleguee' | 'commune-associee' | 'arrondissement-municipal';
  departement?: string;
  codesPostaux?: string[];
  anciensCodes?: string[];
  /** The current commune of a delegated or associated one, or of an arrondissement. */
  chefLieu?: string;
  commune?: string;
}

export interface CommuneEntry {
  code: string;
  name: string;
  departement: string;
  kind: DecoupageCommune['type'];
  postalCodes: readonly string[];
  /** The current commune a delegated or associated one belongs to. */
  parent?: string;
}

interface CommuneTables {
  byCode: Map<string, CommuneEntry>;
  /** A delegated or associated commune whose code the current commune (its chef-lieu) also carries. */
  sharedCodes: Map<string, CommuneEntry>;
  /** A former code (a commune merged or renumbered since) → the current commune that took it over. */
  formerCodes: Map<string, CommuneEntry>;
}

let tables: CommuneTables | null = null;

function load(): CommuneTables {
  if (tables) return tables;
  const raw = createRequire(import.meta.url)('@etalab/decoupage-administratif/data/communes.json') as DecoupageCommune[];
  const byCode = new Map<string, CommuneEntry>();
  const formerCodes = new Map<string, CommuneEntry>();
  const sharedCodes = new Map<string, CommuneEntry>();
  const delegated: CommuneEntry[] = [];
  for (const c of raw) {
    const entry: CommuneEntry = { code: c.code, name: c.nom, departement: c.departement ?? c.code.slice(0, 2), kind: c.type, postalCodes: c.codesPostaux ?? [], ...(c.chefLieu ? { parent: c.chefLieu } : {}) };
    if (c.type === 'commune-deleguee' || c.type === 'commune-associee') delegated.push(entry);
    else byCode.set(c.code, entry);
  }
  for (const entry of delegated) {
    if (byCode.has(entry.code)) sharedCodes.set(entry.code, entry);
    else byCode.set(entry.code, entry);
  }
  for (const c of raw) {
    const current = byCode.get(c.code);
    if (c.type !== 'commune-actuelle' || !current) continue;
    for (const former of c.anciensCodes ?? []) if (!byCode.has(former)) formerCodes.set(former, current);
  }
  tables = { byCode, sharedCodes, formerCodes };
  return tables;
}

export function findCommune(code: string): CommuneEntry | undefined {
  return load().byCode.get(code);
}

/** Every postal code of a commune (with those of its arrondissements and delegated communes). */
export function postalCodesOf(code: string): readonly string[] {
  return findCommune(code)?.postalCodes ?? [];
}

/**
 * A commune of birth, as a parent reads it: "Paris 7e Arrondissement (75)", "Arbignieu, aujourd'hui Arboys en Bugey
 * (01)" (a merged commune whose code the new one took), "Béon, aujourd'hui Culoz-Béon (01)", or for a code that no
 * longer exists "Ancienne commune, aujourd'hui Majastres (04)".
 */
export function communeName(code: string): string {
  const { byCode, sharedCodes, formerCodes } = load();
  const commune = byCode.get(code);
  const older = sharedCodes.get(code);
  // The code of a merged commune now names the new one too: a person born there before the merger reads both.
  if (commune && older && older.name !== commune.name) return `${older.name}, aujourd’hui ${commune.name} (${commune.departement})`;
  if (commune) {
    const parent = commune.kind === 'commune-deleguee' || commune.kind === 'commune-associee' ? byCode.get(commune.parent ?? '') : undefined;
    if (parent) return `${commune.name}, aujourd’hui ${parent.name} (${commune.departement})`;
    return `${commune.name} (${commune.departement})`;
  }
  const successor = formerCodes.get(code);
  if (successor) return `Ancienne commune, aujourd’hui ${successor.name} (${successor.departement})`;
  return `Commune inconnue (code INSEE ${code})`;
}

/** Every commune of the table (current, delegated and associated communes, arrondissements), for a search by name. */
export function allCommunes(): Iterable<CommuneEntry> {
  return load().byCode.values();
}
