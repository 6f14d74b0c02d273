import type { Db } from '../database.ts';
import type { ShipmentStatusColumn } from '../schema.ts';

/** What the import of the old form's shipments reads and writes, by reference (collectivities have their repository). */
export interface LegacyShipmentStore {
  findShipment(reference: string): Promise<{ reference: string; collectivitySiret: string; status: ShipmentStatusColumn } | null>;
  insertShipment(shipment: ImportedShipment): Promise<void>;
  updateShipmentStatus(reference: string, status: ShipmentStatusColumn, at: Date): Promise<void>;
}

/** A shipment of the old form: no personal data (it never had it once sent), its reference, status and dates. */
export interface ImportedShipment {
  reference: string;
  collectivitySiret: string;
  status: ShipmentStatusColumn;
  hubeeFolderId: string | null;
  hubeeCaseId: string | null;
  createdAt: Date;
  statusUpdatedAt: Date;
}

export function createLegacyShipmentStore(db: Db): LegacyShipmentStore {
  const k = db.kysely;
  return {
    async findShipment(reference) {
      const row = await k.selectFrom('shipments').select(['reference', 'collectivity_siret', 'status']).where('reference', '=', reference).executeTakeFirst();
      return row ? { reference: row.reference, collectivitySiret: row.collectivity_siret, status: row.status } : null;
    },
    async insertShipment(s) {
      const sent = s.status !== 'pending' && s.status !== 'failed';
      await k.transaction().execute(async (tx) => {
        await tx
          .insertInto('shipments')
          .values({
            reference: s.reference,
            collectivity_siret: s.collectivitySiret,
            external_id: null,
            status: s.status,
            hubee_folder_id: s.hubeeFolderId,
            hubee_case_id: s.hubeeCaseId,
            payload: null,
            // Nothing to retry: the old service held the data, and it is not moved over.
            give_up_at: s.createdAt,
            created_at: s.createdAt,
            sent_at: sent ? s.createdAt : null,
            status_updated_at: s.statusUpdatedAt,
          })
          .execute();
        await tx.insertInto('shipment_status_history').values({ reference: s.reference, status: s.status, at: s.statusUpdatedAt }).execute();
      });
    },
    async updateShipmentStatus(reference, status, at) {
      await k.transaction().execute(async (tx) => {
        await tx.updateTable('shipments').set({ status, status_updated_at: at }).where('reference', '=', reference).execute();
        await tx.insertInto('shipment_status_history').values({ reference, status, at }).execute();
      });
    },
  };
}
