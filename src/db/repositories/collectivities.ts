import { sql } from 'kysely';
import type { Db } from '../database.ts';
import type { CollectivityStatus } from '../schema.ts';

export interface CollectivityRecord {
  siret: string;
  codeCog: string;
  name: string;
  departement: string;
  codePostal: string;
  status: CollectivityStatus;
  editor: string | null;
  allowedRedirectPrefixes: string[];
}

export interface CollectivitySearchResult {
  results: Pick<CollectivityRecord, 'siret' | 'name' | 'codePostal' | 'departement'>[];
  total: number;
}

export interface CollectivityRepository {
  findBySiret(siret: string): Promise<CollectivityRecord | null>;
  findActiveBySiret(siret: string): Promise<CollectivityRecord | null>;
  findActiveByCodeCog(codeCog: string): Promise<CollectivityRecord | null>;
  listActive(): Promise<CollectivityRecord[]>;
  /** What the chooser's search index needs of every active collectivity. */
  listActiveSummaries(): Promise<(CollectivitySearchResult['results'][number] & Pick<CollectivityRecord, 'codeCog'>)[]>;
  upsert(collectivity: CollectivityRecord, searchName: string): Promise<void>;
  setStatus(siret: string, status: CollectivityStatus): Promise<boolean>;
  /** The return links a commune's administrators allow (espace collectivité, Paramètres). */
  setAllowedRedirectPrefixes(siret: string, prefixes: readonly string[]): Promise<boolean>;
  countActive(): Promise<number>;
}

type Row = {
  siret: string;
  code_cog: string;
  name: string;
  departement: string;
  code_postal: string;
  status: CollectivityStatus;
  editor: string | null;
  allowed_redirect_prefixes: string[];
};

const toRecord = (row: Row): CollectivityRecord => ({
  siret: row.siret,
  codeCog: row.code_cog,
  name: row.name,
  departement: row.departement,
  codePostal: row.code_postal,
  status: row.status,
  editor: row.editor,
  allowedRedirectPrefixes: row.allowed_redirect_prefixes,
});

const columns = ['siret', 'code_cog', 'name', 'departement', 'code_postal', 'status', 'editor', 'allowed_redirect_prefixes'] as const;

/** `onChange` runs after every write, so that caches of the collectivities (the search index) can be dropped. */
export function createCollectivityRepository(db: Db, options: { onChange?: () => void } = {}): CollectivityRepository {
  const k = db.kysely;
  const changed = () => options.onChange?.();
  return {
    async findBySiret(siret) {
      const row = await k.selectFrom('collectivities').select(columns).where('siret', '=', siret).executeTakeFirst();
      return row ? toRecord(row) : null;
    },
    async findActiveBySiret(siret) {
      const row = await k.selectFrom('collectivities').select(columns).where('siret', '=', siret).where('status', '=', 'active').executeTakeFirst();
      return row ? toRecord(row) : null;
    },
    async findActiveByCodeCog(codeCog) {
      const row = await k
        .selectFrom('collectivities')
        .select(columns)
        .where('code_cog', '=', codeCog)
        .where('status', '=', 'active')
        .orderBy('siret')
        .executeTakeFirst();
      return row ? toRecord(row) : null;
    },
    async listActive() {
      const rows = await k.selectFrom('collectivities').select(columns).where('status', '=', 'active').orderBy('name').execute();
      return rows.map(toRecord);
    },
    async listActiveSummaries() {
      const rows = await k.selectFrom('collectivities').select(['siret', 'code_cog', 'name', 'code_postal', 'departement']).where('status', '=', 'active').execute();
      return rows.map((r) => ({ siret: r.siret, codeCog: r.code_cog, name: r.name, codePostal: r.code_postal, departement: r.departement }));
    },
    async upsert(c, searchName) {
      const values = collectivityRow(c, searchName);
      await k
        .insertInto('collectivities')
        .values(values)
        .onConflict((oc) => oc.column('siret').doUpdateSet({ ...values, updated_at: sql`now()` }))
        .execute();
      changed();
    },
    async setStatus(siret, status) {
      const result = await k
        .updateTable('collectivities')
        .set({ status, updated_at: sql`now()` })
        .where('siret', '=', siret)
        .executeTakeFirst();
      changed();
      return Number(result.numUpdatedRows) > 0;
    },
    async setAllowedRedirectPrefixes(siret, prefixes) {
      const result = await k
        .updateTable('collectivities')
        .set({ allowed_redirect_prefixes: JSON.stringify(prefixes), updated_at: sql`now()` })
        .where('siret', '=', siret)
        .executeTakeFirst();
      changed();
      return Number(result.numUpdatedRows) > 0;
    },
    async countActive() {
      const row = await k
        .selectFrom('collectivities')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('status', '=', 'active')
        .executeTakeFirstOrThrow();
      return row.n;
    },
  };
}

/** A collectivity as its table row, for every writer of the table. */
export function collectivityRow(c: CollectivityRecord, searchName: string) {
  return {
    siret: c.siret,
    code_cog: c.codeCog,
    name: c.name,
    departement: c.departement,
    code_postal: c.codePostal,
    status: c.status,
    search_name: searchName,
    editor: c.editor,
    allowed_redirect_prefixes: JSON.stringify(c.allowedRedirectPrefixes),
  };
}
