import { sql } from 'kysely';
import type { Db } from '../database.ts';
import type { ClientLinkSource } from '../schema.ts';

/** An éditeur as an organisation: its SIRET, its name, DataPass's identifier of it. */
export interface EditeurRecord {
  siret: string;
  name: string;
  datapassId: string | null;
}

export interface EditeurRepository {
  findBySiret(siret: string): Promise<EditeurRecord | null>;
  list(): Promise<EditeurRecord[]>;
  /** Creates the éditeur, or completes a known one (a DataPass identifier it had not yet); the name is kept. */
  ensure(editeur: EditeurRecord): Promise<EditeurRecord>;
  /** True when the link is new. */
  linkClient(editeurSiret: string, collectivitySiret: string, linkedBy: ClientLinkSource): Promise<boolean>;
  unlinkClient(editeurSiret: string, collectivitySiret: string): Promise<boolean>;
  /** The SIRETs of the éditeur's client communes, in order. */
  clientSirets(editeurSiret: string): Promise<string[]>;
  isClient(editeurSiret: string, collectivitySiret: string): Promise<boolean>;
}

export function createEditeurRepository(db: Db): EditeurRepository {
  const k = db.kysely;
  const toRecord = (row: { siret: string; name: string; datapass_id: string | null }): EditeurRecord => ({ siret: row.siret, name: row.name, datapassId: row.datapass_id });
  return {
    async findBySiret(siret) {
      const row = await k.selectFrom('editeurs').select(['siret', 'name', 'datapass_id']).where('siret', '=', siret).executeTakeFirst();
      return row ? toRecord(row) : null;
    },
    async list() {
      return (await k.selectFrom('editeurs').select(['siret', 'name', 'datapass_id']).orderBy('name').orderBy('siret').execute()).map(toRecord);
    },
    async ensure(editeur) {
      const row = await k
        .insertInto('editeurs')
        .values({ siret: editeur.siret, name: editeur.name, datapass_id: editeur.datapassId })
        .onConflict((oc) => oc.column('siret').doUpdateSet({ datapass_id: sql`coalesce(editeurs.datapass_id, excluded.datapass_id)` }))
        .returning(['siret', 'name', 'datapass_id'])
        .executeTakeFirstOrThrow();
      return toRecord(row);
    },
    async linkClient(editeurSiret, collectivitySiret, linkedBy) {
      const row = await k
        .insertInto('editeur_clients')
        .values({ editeur_siret: editeurSiret, collectivity_siret: collectivitySiret, linked_by: linkedBy })
        .onConflict((oc) => oc.columns(['editeur_siret', 'collectivity_siret']).doNothing())
        .returning('editeur_siret')
        .executeTakeFirst();
      return row !== undefined;
    },
    async unlinkClient(editeurSiret, collectivitySiret) {
      const result = await k.deleteFrom('editeur_clients').where('editeur_siret', '=', editeurSiret).where('collectivity_siret', '=', collectivitySiret).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async clientSirets(editeurSiret) {
      const rows = await k.selectFrom('editeur_clients').select('collectivity_siret').where('editeur_siret', '=', editeurSiret).orderBy('collectivity_siret').execute();
      return rows.map((r) => r.collectivity_siret);
    },
    async isClient(editeurSiret, collectivitySiret) {
      const row = await k.selectFrom('editeur_clients').select('editeur_siret').where('editeur_siret', '=', editeurSiret).where('collectivity_siret', '=', collectivitySiret).executeTakeFirst();
      return row !== undefined;
    },
  };
}
