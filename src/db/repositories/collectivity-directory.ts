import { sql } from 'kysely';
import type { Db } from '../database.ts';
import { collectivityRow, type CollectivityRecord } from './collectivities.ts';
import type { CollectivityStatus } from '../schema.ts';

/** A collectivity as the public API and the operator see it (no search column, no timestamps). */
export type DirectoryEntry = Pick<CollectivityRecord, 'siret' | 'codeCog' | 'name' | 'departement' | 'codePostal' | 'status' | 'editor'>;

/**
 * The collectivities as a directory: pages of the active ones in a stable order (the public API), creation
 * that refuses an existing SIRET, and the operator's filtered list. Pages are keyed by SIRET (the primary key),
 * so that the 35,000th row costs what the first one does.
 */
export interface CollectivityDirectory {
  /** Active collectivities after `after` (a SIRET), by SIRET; `nextAfter` is null on the last page. */
  pageOfActive(options: { after: string | null; limit: number; departement: string | null }): Promise<{ entries: DirectoryEntry[]; nextAfter: string | null }>;
  /** Null when the SIRET is already known (active or not): nothing is changed then. */
  insertNew(collectivity: CollectivityRecord, searchName: string): Promise<{ id: number; createdAt: Date; updatedAt: Date } | null>;
  /** For the operator: by name, SIRET or COG code, active or not. */
  search(options: { normalizedQuery: string; status: CollectivityStatus | null; limit: number; offset: number }): Promise<{ entries: DirectoryEntry[]; total: number }>;
}

const columns = ['siret', 'code_cog', 'name', 'departement', 'code_postal', 'status', 'editor'] as const;

type Row = { siret: string; code_cog: string; name: string; departement: string; code_postal: string; status: CollectivityStatus; editor: string | null };

const toEntry = (r: Row): DirectoryEntry => ({
  siret: r.siret,
  codeCog: r.code_cog,
  name: r.name,
  departement: r.departement,
  codePostal: r.code_postal,
  status: r.status,
  editor: r.editor,
});

/** `onChange` runs after a creation, so that the chooser's search index picks the new collectivity up at once. */
export function createCollectivityDirectory(db: Db, options: { onChange?: () => void } = {}): CollectivityDirectory {
  const k = db.kysely;
  return {
    async pageOfActive({ after, limit, departement }) {
      let query = k.selectFrom('collectivities').select(columns).where('status', '=', 'active');
      if (after !== null) query = query.where('siret', '>', after);
      if (departement !== null) query = query.where('departement', '=', departement);
      // One more row than asked tells whether there is a next page without counting the table.
      const rows = await query.orderBy('siret').limit(limit + 1).execute();
      const entries = rows.slice(0, limit).map(toEntry);
      return { entries, nextAfter: rows.length > limit ? (entries.at(-1)?.siret ?? null) : null };
    },
    async insertNew(c, searchName) {
      const inserted = await k
        .insertInto('collectivities')
        .values(collectivityRow(c, searchName))
        .onConflict((oc) => oc.column('siret').doNothing())
        .returning(['id', 'created_at', 'updated_at'])
        .executeTakeFirst();
      if (inserted === undefined) return null;
      options.onChange?.();
      return { id: inserted.id, createdAt: inserted.created_at, updatedAt: inserted.updated_at };
    },
    async search({ normalizedQuery, status, limit, offset }) {
      let base = k.selectFrom('collectivities');
      if (status !== null) base = base.where('status', '=', status);
      if (normalizedQuery !== '') {
        const escaped = normalizedQuery.replace(/[\\%_]/g, (c) => `\\${c}`);
        base = base.where((eb) =>
          eb.or([
            eb('search_name', 'like', `${escaped}%`),
            eb('search_name', 'like', `% ${escaped}%`),
            eb('siret', 'like', `${escaped}%`),
            eb('code_cog', '=', normalizedQuery.toUpperCase()),
          ]),
        );
      }
      const [rows, count] = await Promise.all([
        base.select(columns).orderBy('search_name').orderBy('siret').limit(limit).offset(offset).execute(),
        base.select(sql<number>`count(*)::int`.as('total')).executeTakeFirstOrThrow(),
      ]);
      return { entries: rows.map(toEntry), total: count.total };
    },
  };
}
