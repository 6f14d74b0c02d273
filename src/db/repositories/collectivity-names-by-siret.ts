import type { Db } from '../database.ts';

/** Collectivities' names by SIRET, in one query, for the back office's tables (unknown SIRETs are left out). */
export async function collectivityNamesBySiret(db: Db, sirets: readonly string[]): Promise<ReadonlyMap<string, string>> {
  const distinct = [...new Set(sirets)];
  if (distinct.length === 0) return new Map();
  const rows = await db.kysely.selectFrom('collectivities').select(['siret', 'name']).where('siret', 'in', distinct).execute();
  return new Map(rows.map((r) => [r.siret, r.name]));
}
