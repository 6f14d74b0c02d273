import type { CollectivityRepository } from '../src/db/repositories/collectivities.ts';
import type { Db } from '../src/db/database.ts';
import { normalizeSearchText } from '../src/domain/collectivity.ts';

/**
 * A France-sized set of made-up active collectivities (names built like real commune names, real-looking postal
 * codes and départements), to measure the chooser as it will be used.
 */
const ROOTS = ['Beau', 'Mont', 'Ville', 'Fontaine', 'Roche', 'Bois', 'Val', 'Champ', 'Pont', 'Mesnil', 'Ker', 'Plou', 'Saint-Martin', 'Saint-Jean', 'Sainte-Marie', 'Neuf', 'Château', 'Mar', 'Aix', 'Bel', 'Cour', 'Vil', 'La Chapelle', 'Les Essarts', "L'Isle", 'Long', 'Haute', 'Bourg', 'Font', 'Saint-Étienne'];
const MIDDLES = ['', 'court', 'ville', 'mont', 'bois', 'fort', 'lieu', 'vert', 'roux', 'ac', 'ay', 'ières', 'y', 'ange', 'oux', 'erre'];
const SUFFIXES = ['', '', '', '-sur-Mer', '-sur-Loire', '-en-Bresse', '-le-Château', '-les-Bains', '-sous-Bois', '-d’Azergues', '-la-Forêt', '-de-Provence'];
const DEPARTEMENTS = [...Array.from({ length: 95 }, (_, i) => String(i + 1).padStart(2, '0')).filter((d) => d !== '20'), '2A', '2B', '971', '972', '973', '974', '976'];

export function syntheticCollectivity(i: number) {
  const name = `${ROOTS[i % ROOTS.length]}${MIDDLES[Math.floor(i / ROOTS.length) % MIDDLES.length]}${SUFFIXES[Math.floor(i / (ROOTS.length * MIDDLES.length)) % SUFFIXES.length]}${i >= 5760 ? ` ${Math.floor(i / 5760) + 1}` : ''}`;
  const departement = DEPARTEMENTS[i % DEPARTEMENTS.length]!;
  const dep2 = departement.startsWith('2') && departement.length === 2 && /[AB]/.test(departement) ? '20' : departement.slice(0, 2);
  const codePostal = `${dep2}${String((i * 7) % 1000).padStart(3, '0')}`.slice(0, 5);
  const siret = `2${String(1_000_000_000_000 + i).slice(-13)}`;
  const codeCog = departement.length === 3 ? `${departement}${String(i % 100).padStart(2, '0')}` : `${departement}${String(i % 1000).padStart(3, '0')}`;
  return { siret, codeCog, name, departement, codePostal };
}

export async function seedSyntheticCollectivities(db: Db, count: number): Promise<void> {
  const rows = Array.from({ length: count }, (_, i) => syntheticCollectivity(i));
  for (let start = 0; start < rows.length; start += 1000) {
    await db.kysely
      .insertInto('collectivities')
      .values(
        rows.slice(start, start + 1000).map((c) => ({
          siret: c.siret,
          code_cog: c.codeCog,
          name: c.name,
          departement: c.departement,
          code_postal: c.codePostal,
          status: 'active' as const,
          search_name: normalizeSearchText(c.name),
          editor: null,
          allowed_redirect_prefixes: '[]',
        })),
      )
      .onConflict((oc) => oc.column('siret').doNothing())
      .execute();
  }
}

export type { CollectivityRepository };
