import { sql } from 'kysely';
import type { Db } from '../database.ts';

/** A transmission as the operator sees it: no personal data, no external_id (the commune's own file number). */
export interface StuckShipment {
  reference: string;
  collectivitySiret: string;
  collectivityName: string | null;
  status: 'pending' | 'failed';
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  nextAttemptAt: Date;
}

export interface OperatorShipments {
  /** Pending and failed transmissions, oldest first. */
  listStuck(limit: number): Promise<StuckShipment[]>;
  /** Makes a pending transmission due now; false when it is not pending. */
  makeDueNow(reference: string): Promise<boolean>;
}

export function createOperatorShipments(db: Db): OperatorShipments {
  const k = db.kysely;
  return {
    async listStuck(limit) {
      const rows = await k
        .selectFrom('shipments as s')
        .leftJoin('collectivities as c', 'c.siret', 's.collectivity_siret')
        .select(['s.reference', 's.collectivity_siret', 'c.name', 's.status', 's.attempts', 's.last_error', 's.created_at', 's.next_attempt_at'])
        .where('s.status', 'in', ['pending', 'failed'])
        .orderBy('s.created_at')
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        reference: r.reference,
        collectivitySiret: r.collectivity_siret,
        collectivityName: r.name,
        status: r.status === 'pending' ? 'pending' : 'failed',
        attempts: r.attempts,
        lastError: r.last_error,
        createdAt: r.created_at,
        nextAttemptAt: r.next_attempt_at,
      }));
    },
    async makeDueNow(reference) {
      const result = await k
        .updateTable('shipments')
        .set({ next_attempt_at: sql`now()` })
        .where('reference', '=', reference)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
}
