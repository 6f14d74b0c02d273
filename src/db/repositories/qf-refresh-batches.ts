import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../database.ts';
import type { QfRefreshBatchState, QfRefreshPauseReason } from '../schema.ts';
import type { PersonalDataCipher } from '../../security/personal-data-cipher.ts';
import type { RefreshResult } from '../../editeur/qf-refresh.ts';
import type { CheckedFamily } from '../../usecases/mise-a-jour/upload-check.ts';

/**
 * The Mise à jour annuelle's batches and their families (migration 0010). Every read names the commune: a batch
 * is found only with its own commune's SIRET, so that no id in a URL reaches another commune's families. Each
 * family's identity and outcome are sealed, bound to their batch and position.
 */
export interface QfRefreshBatch {
  id: string;
  siret: string;
  agentId: string;
  state: QfRefreshBatchState;
  pauseReason: QfRefreshPauseReason | null;
  resumeAt: Date | null;
  annee: number | null;
  mois: number | null;
  families: number;
  createdAt: Date;
  expiresAt: Date;
  finishedAt: Date | null;
  downloadedAt: Date | null;
}

export interface BatchCounts {
  /** Families that can be sent (pending, claimed or done). */
  toSend: number;
  invalid: number;
  done: number;
  /** Outcomes by kind, over done families: `ok`, `not_found`, `provider_unavailable`… */
  byStatut: Record<string, number>;
}

export interface ClaimedFamily {
  position: number;
  family: CheckedFamily;
}

export interface QfRefreshBatches {
  create(input: { siret: string; agentId: string; agentEmail: string; annee: number | null; mois: number | null; families: readonly CheckedFamily[]; expiresAt: Date }): Promise<string>;
  find(siret: string, id: string): Promise<QfRefreshBatch | null>;
  list(siret: string): Promise<QfRefreshBatch[]>;
  counts(id: string): Promise<BatchCounts>;
  invalidFamilies(id: string, limit: number): Promise<CheckedFamily[]>;
  /** Moves a batch of this commune from one of `from` to `to`; false when it was in no such state. */
  transition(siret: string, id: string, from: readonly QfRefreshBatchState[], to: QfRefreshBatchState, extra?: { pauseReason?: QfRefreshPauseReason | null; resumeAt?: Date | null }): Promise<boolean>;
  markDownloaded(siret: string, id: string, at: Date): Promise<void>;
  delete(siret: string, id: string): Promise<boolean>;
  /** The sealed e-mail of the agent who confirmed, for the journal of each use of the token. */
  agentEmail(id: string): Promise<string | null>;

  // The job's side.
  /** Takes the batch for `owner` when it runs and no live owner holds it. */
  takeLease(id: string, owner: string, now: Date, leaseMs: number): Promise<QfRefreshBatch | null>;
  /** Extends the lease; returns the batch's state, or null when the lease is no longer `owner`'s (or the batch is gone). */
  renewLease(id: string, owner: string, now: Date, leaseMs: number): Promise<QfRefreshBatchState | null>;
  releaseLease(id: string, owner: string): Promise<void>;
  /** Families claimed by an owner that is gone (the lease was taken over): asked or not, nobody knows. */
  staleClaims(id: string, owner: string): Promise<ClaimedFamily[]>;
  claimNext(id: string, owner: string): Promise<ClaimedFamily | null>;
  /** Records the outcome of a claim, only if the claim is still `owner`'s. */
  record(id: string, position: number, owner: string | null, result: RefreshResult): Promise<boolean>;
  /** Gives a claim back (the call was not answered: a 429, a token refused). */
  unclaim(id: string, position: number, owner: string): Promise<void>;
  /** done when nothing is left to ask; returns whether it finished. */
  finishIfComplete(id: string, now: Date): Promise<boolean>;
  pauseFor(id: string, reason: QfRefreshPauseReason, resumeAt: Date | null): Promise<void>;
  /** Running batches with no live owner: the ones a sweep hands to the queue again. */
  dueForWork(now: Date, limit: number): Promise<string[]>;
  results(id: string): Promise<{ position: number; family: CheckedFamily; result: RefreshResult | null }[]>;
  deleteExpired(now: Date): Promise<number>;
}

export function createQfRefreshBatches(deps: { db: Db; cipher: PersonalDataCipher }): QfRefreshBatches {
  const k = deps.db.kysely;
  const { cipher } = deps;
  const identityContext = (id: string, position: number) => `qf-refresh:${id}:${position}:identity`;
  const outcomeContext = (id: string, position: number) => `qf-refresh:${id}:${position}:outcome`;
  const agentContext = (id: string) => `qf-refresh:${id}:agent`;
  const openFamily = (id: string, position: number, blob: Uint8Array) => cipher.decrypt<CheckedFamily>(blob, identityContext(id, position));
  const batchOf = (row: {
    id: string; collectivity_siret: string; agent_id: string; state: QfRefreshBatchState; pause_reason: QfRefreshPauseReason | null; resume_at: Date | null;
    annee: number | null; mois: number | null; families: number; created_at: Date; expires_at: Date; finished_at: Date | null; downloaded_at: Date | null;
  }): QfRefreshBatch => ({
    id: row.id, siret: row.collectivity_siret, agentId: row.agent_id, state: row.state, pauseReason: row.pause_reason, resumeAt: row.resume_at,
    annee: row.annee, mois: row.mois, families: row.families, createdAt: row.created_at, expiresAt: row.expires_at, finishedAt: row.finished_at, downloadedAt: row.downloaded_at,
  });
  const columns = ['id', 'collectivity_siret', 'agent_id', 'state', 'pause_reason', 'resume_at', 'annee', 'mois', 'families', 'created_at', 'expires_at', 'finished_at', 'downloaded_at'] as const;

  return {
    async create(input) {
      const id = randomUUID();
      await k.transaction().execute(async (tx) => {
        await tx
          .insertInto('qf_refresh_batches')
          .values({
            id, collectivity_siret: input.siret, agent_id: input.agentId, agent_email: cipher.encrypt(input.agentEmail, agentContext(id)), state: 'checked',
            pause_reason: null, resume_at: null, annee: input.annee, mois: input.mois, families: input.families.length, lease_owner: null, lease_until: null,
            expires_at: input.expiresAt, confirmed_at: null, finished_at: null, downloaded_at: null,
          })
          .execute();
        const rows = input.families.map((family, position) => ({
          batch_id: id, position, identity: cipher.encrypt(family, identityContext(id, position)), state: family.identity.params ? ('pending' as const) : ('invalid' as const),
          claimed_by: null, statut: family.identity.params ? null : family.identity.problem, outcome: null,
        }));
        for (let i = 0; i < rows.length; i += 1000) await tx.insertInto('qf_refresh_families').values(rows.slice(i, i + 1000)).execute();
      });
      return id;
    },
    async find(siret, id) {
      const row = await k.selectFrom('qf_refresh_batches').select(columns).where('id', '=', id).where('collectivity_siret', '=', siret).executeTakeFirst();
      return row ? batchOf(row) : null;
    },
    async list(siret) {
      const rows = await k.selectFrom('qf_refresh_batches').select(columns).where('collectivity_siret', '=', siret).orderBy('created_at', 'desc').limit(50).execute();
      return rows.map(batchOf);
    },
    async counts(id) {
      const rows = await k.selectFrom('qf_refresh_families').select(['state', 'statut', sql<number>`count(*)::int`.as('n')]).where('batch_id', '=', id).groupBy(['state', 'statut']).execute();
      const counts: BatchCounts = { toSend: 0, invalid: 0, done: 0, byStatut: {} };
      for (const row of rows) {
        if (row.state === 'invalid') counts.invalid += row.n;
        else counts.toSend += row.n;
        if (row.state === 'done') {
          counts.done += row.n;
          const kind = row.statut ?? 'inconnu';
          counts.byStatut[kind] = (counts.byStatut[kind] ?? 0) + row.n;
        }
      }
      return counts;
    },
    async invalidFamilies(id, limit) {
      const rows = await k.selectFrom('qf_refresh_families').select(['position', 'identity']).where('batch_id', '=', id).where('state', '=', 'invalid').orderBy('position').limit(limit).execute();
      return rows.map((row) => openFamily(id, row.position, row.identity));
    },
    async transition(siret, id, from, to, extra = {}) {
      const now = new Date();
      const result = await k
        .updateTable('qf_refresh_batches')
        .set({
          state: to,
          ...(extra.pauseReason !== undefined ? { pause_reason: extra.pauseReason } : {}),
          ...(extra.resumeAt !== undefined ? { resume_at: extra.resumeAt } : {}),
          ...(to === 'running' ? { confirmed_at: sql<Date>`coalesce(confirmed_at, ${now})`, pause_reason: null, resume_at: null } : {}),
          ...(to === 'cancelled' ? { finished_at: now } : {}),
        })
        .where('id', '=', id)
        .where('collectivity_siret', '=', siret)
        .where('state', 'in', [...from])
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async markDownloaded(siret, id, at) {
      await k.updateTable('qf_refresh_batches').set({ downloaded_at: at }).where('id', '=', id).where('collectivity_siret', '=', siret).execute();
    },
    async delete(siret, id) {
      // The families go with it (ON DELETE CASCADE).
      const result = await k.deleteFrom('qf_refresh_batches').where('id', '=', id).where('collectivity_siret', '=', siret).executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },
    async agentEmail(id) {
      const row = await k.selectFrom('qf_refresh_batches').select('agent_email').where('id', '=', id).executeTakeFirst();
      return row ? cipher.decrypt<string>(row.agent_email, agentContext(id)) : null;
    },

    async takeLease(id, owner, now, leaseMs) {
      const row = await k
        .updateTable('qf_refresh_batches')
        .set({ lease_owner: owner, lease_until: new Date(now.getTime() + leaseMs) })
        .where('id', '=', id)
        .where('state', '=', 'running')
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now), eb('lease_owner', '=', owner)]))
        .returning(columns)
        .executeTakeFirst();
      return row ? batchOf(row) : null;
    },
    async renewLease(id, owner, now, leaseMs) {
      const row = await k
        .updateTable('qf_refresh_batches')
        .set({ lease_until: new Date(now.getTime() + leaseMs) })
        .where('id', '=', id)
        .where('lease_owner', '=', owner)
        .returning('state')
        .executeTakeFirst();
      return row?.state ?? null;
    },
    async releaseLease(id, owner) {
      await k.updateTable('qf_refresh_batches').set({ lease_owner: null, lease_until: null }).where('id', '=', id).where('lease_owner', '=', owner).execute();
    },
    async staleClaims(id, owner) {
      const rows = await k
        .selectFrom('qf_refresh_families')
        .select(['position', 'identity'])
        .where('batch_id', '=', id)
        .where('state', '=', 'claimed')
        .where((eb) => eb.or([eb('claimed_by', 'is', null), eb('claimed_by', '!=', owner)]))
        .orderBy('position')
        .execute();
      return rows.map((row) => ({ position: row.position, family: openFamily(id, row.position, row.identity) }));
    },
    async claimNext(id, owner) {
      const { rows } = await sql<{ position: number; identity: Uint8Array }>`
        UPDATE qf_refresh_families SET state = 'claimed', claimed_by = ${owner}
        WHERE batch_id = ${id} AND position = (
          SELECT position FROM qf_refresh_families WHERE batch_id = ${id} AND state = 'pending' ORDER BY position LIMIT 1 FOR UPDATE SKIP LOCKED
        )
        RETURNING position, identity`.execute(k);
      const row = rows[0];
      return row ? { position: row.position, family: openFamily(id, row.position, row.identity) } : null;
    },
    async record(id, position, owner, result) {
      let query = k
        .updateTable('qf_refresh_families')
        .set({ state: 'done', statut: result.statut.slice(0, 40), outcome: cipher.encrypt(result, outcomeContext(id, position)), claimed_by: null })
        .where('batch_id', '=', id)
        .where('position', '=', position)
        .where('state', '=', 'claimed');
      if (owner !== null) query = query.where('claimed_by', '=', owner);
      const updated = await query.executeTakeFirst();
      return Number(updated.numUpdatedRows) === 1;
    },
    async unclaim(id, position, owner) {
      await k.updateTable('qf_refresh_families').set({ state: 'pending', claimed_by: null }).where('batch_id', '=', id).where('position', '=', position).where('claimed_by', '=', owner).where('state', '=', 'claimed').execute();
    },
    async finishIfComplete(id, now) {
      const result = await k
        .updateTable('qf_refresh_batches')
        .set({ state: 'done', finished_at: now })
        .where('id', '=', id)
        .where('state', '=', 'running')
        .where((eb) => eb.not(eb.exists(eb.selectFrom('qf_refresh_families').select('position').where('batch_id', '=', id).where('state', 'in', ['pending', 'claimed']))))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async pauseFor(id, reason, resumeAt) {
      await k.updateTable('qf_refresh_batches').set({ state: 'paused', pause_reason: reason, resume_at: resumeAt }).where('id', '=', id).where('state', '=', 'running').execute();
    },
    async dueForWork(now, limit) {
      const rows = await k
        .selectFrom('qf_refresh_batches')
        .select('id')
        .where('state', '=', 'running')
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
        .orderBy('created_at')
        .limit(limit)
        .execute();
      return rows.map((row) => row.id);
    },
    async results(id) {
      const rows = await k.selectFrom('qf_refresh_families').select(['position', 'identity', 'outcome']).where('batch_id', '=', id).orderBy('position').execute();
      return rows.map((row) => ({
        position: row.position,
        family: openFamily(id, row.position, row.identity),
        result: row.outcome ? cipher.decrypt<RefreshResult>(row.outcome, outcomeContext(id, row.position)) : null,
      }));
    },
    async deleteExpired(now) {
      const result = await k.deleteFrom('qf_refresh_batches').where('expires_at', '<', now).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
