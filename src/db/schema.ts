import type { ColumnType, Generated } from 'kysely';

/** The tables as Kysely sees them. Personal data never has a column here in clear. */
export interface Database {
  collectivities: CollectivitiesTable;
}

export type CollectivityStatus = 'active' | 'inactive';

export interface CollectivitiesTable {
  siret: string;
  code_cog: string;
  name: string;
  departement: string;
  code_postal: string;
  status: CollectivityStatus;
  /** Lower-cased, accent-free name, for the search. */
  search_name: string;
  editor: string | null;
  /** URL prefixes a `redirect_uri` must start with for this collectivity. */
  allowed_redirect_prefixes: ColumnType<string[], string, string>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
