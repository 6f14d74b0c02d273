import { randomUUID } from 'node:crypto';
import type { QfRefreshBatches, ClaimedFamily } from '../../db/repositories/qf-refresh-batches.ts';
import { refreshResultOf, unansweredResult } from '../../editeur/qf-refresh.ts';
import type { ApiParticulierClient } from '../../integrations/api-particulier/client.ts';
import type { TokenPacer } from '../api-particulier-pacing.ts';
import type { CommuneApiParticulierTokens } from '../commune-api-particulier-token.ts';
import { resultCodeOf, type TokenUseJournal } from './token-use-journal.ts';

/**
 * One run of a Mise à jour annuelle's job: each pending family of the batch, at the token's pace, until none is
 * left, the agent pauses or cancels, API Particulier says twice "too many requests" (the batch is paused with the
 * time it may resume), the token is refused, or the process stops. A lease on the batch keeps two instances from
 * working on it at once; the sweep of the job hands a batch whose lease ran out to another instance.
 */
export interface RefreshBatchDeps {
  batches: QfRefreshBatches;
  tokens: CommuneApiParticulierTokens;
  apiParticulier: ApiParticulierClient;
  pacerFor: (token: string) => TokenPacer;
  journalTokenUse: TokenUseJournal;
  /** This process; each run adds its own suffix, so that two runs never share a lease. */
  owner: string;
  leaseMs: number;
  /** Calls in flight at once: enough to keep the pace when an answer takes longer than the pace's interval. */
  concurrency: number;
  /** True once the process is stopping: no new call starts. */
  isStopping: () => boolean;
  now?: () => Date;
}

export type BatchRunOutcome = 'done' | 'paused' | 'cancelled' | 'stopping' | 'lease_lost' | 'not_running';

/** Shown for a family whose call was in flight when its worker died: see `takeOverStaleClaims`. */
export const INTERRUPTED = 'interrompu';
const INTERRUPTED_REASON =
  'Demande interrompue par un arrêt du service : elle n’est pas refaite, pour ne jamais interroger deux fois une famille. Ajoutez cette famille à un prochain envoi.';
const DEFAULT_RETRY_AFTER_MS = 60_000;

export async function runRefreshBatch(given: RefreshBatchDeps, batchId: string): Promise<BatchRunOutcome> {
  const deps = { ...given, owner: `${given.owner}:${randomUUID().slice(0, 8)}` };
  const now = deps.now ?? (() => new Date());
  const batch = await deps.batches.takeLease(batchId, deps.owner, now(), deps.leaseMs);
  if (!batch) return 'not_running';
  let outcome: BatchRunOutcome | null = null;
  try {
    await takeOverStaleClaims(deps, batchId);
    const token = await deps.tokens.reveal(batch.siret);
    if (!token) {
      await deps.batches.pauseFor(batchId, 'no_token', null);
      outcome = 'paused';
      return outcome;
    }
    const pacer = deps.pacerFor(token);
    const onBehalfOf = await deps.batches.agentEmail(batchId);

    const stop = (why: BatchRunOutcome) => {
      outcome ??= why;
    };
    const worker = async () => {
      for (;;) {
        if (outcome) return;
        if (deps.isStopping()) return stop('stopping');
        const state = await deps.batches.renewLease(batchId, deps.owner, now(), deps.leaseMs);
        if (state === null) return stop('lease_lost');
        if (state === 'paused') return stop('paused');
        if (state === 'cancelled') return stop('cancelled');
        if (state !== 'running') return stop('not_running');
        const claimed = await deps.batches.claimNext(batchId, deps.owner);
        if (!claimed) return;
        await ask(claimed);
      }
    };
    const ask = async ({ position, family }: ClaimedFamily) => {
      const params = family.identity.params;
      if (!params) {
        await deps.batches.record(batchId, position, deps.owner, unansweredResult({ id: family.identity.id ?? family.where, externalId: family.identity.externalId }, family.identity.problem ?? 'identite_inutilisable', family.identity.messages.join(' ')));
        return;
      }
      // Asked again after a first 429's pause, until an answer that is not a 429 or the work stops.
      for (;;) {
        await pacer.acquire();
        if (outcome || deps.isStopping()) {
          await deps.batches.unclaim(batchId, position, deps.owner);
          return stop('stopping');
        }
        const answer = await deps.apiParticulier.fetchQuotientFamilialByIdentity({
          ...params,
          token,
          recipient: batch.siret,
          ...(batch.annee !== null ? { annee: batch.annee } : {}),
          ...(batch.mois !== null ? { mois: batch.mois } : {}),
        });
        await deps.journalTokenUse({ siret: batch.siret, kind: 'mise-a-jour', actor: 'job', onBehalfOf, resultCode: resultCodeOf(answer) });
        if (!answer.ok && answer.error.kind === 'rate_limited') {
          // A 429 asked nobody: the family goes back to the queue, unasked.
          const decision = pacer.record429(answer.error.retryAfterSeconds !== null ? answer.error.retryAfterSeconds * 1000 : DEFAULT_RETRY_AFTER_MS);
          if (decision.stop) {
            await deps.batches.unclaim(batchId, position, deps.owner);
            await deps.batches.pauseFor(batchId, 'rate_limited', decision.resumeAt);
            return stop('paused');
          }
          continue;
        }
        pacer.recordAnswer(answer.ok ? answer.rateLimit : null);
        if (!answer.ok && (answer.error.kind === 'unauthorized' || answer.error.kind === 'forbidden')) {
          await deps.batches.unclaim(batchId, position, deps.owner);
          await deps.batches.pauseFor(batchId, 'token_refused', null);
          return stop('paused');
        }
        await deps.batches.record(batchId, position, deps.owner, refreshResultOf({ id: family.identity.id ?? family.where, externalId: family.identity.externalId }, answer));
        return;
      }
    };
    // One worker failing stops the others at their next step, so that none goes on with the lease given back.
    let failure: { error: unknown } | null = null;
    await Promise.all(
      Array.from({ length: Math.max(1, deps.concurrency) }, () =>
        worker().catch((error: unknown) => {
          failure ??= { error };
          stop('stopping');
        }),
      ),
    );
    if (failure) throw (failure as { error: unknown }).error;
    if (!outcome) outcome = (await deps.batches.finishIfComplete(batchId, now())) ? 'done' : 'not_running';
    return outcome;
  } finally {
    await deps.batches.releaseLease(batchId, deps.owner);
  }
}

/**
 * Families claimed by a worker that died (its lease ran out and this one took the batch over). Its call may have
 * reached API Particulier, or not: nobody can know. They are recorded as interrupted, never asked again: a family
 * is queried at most once (each query is an access to its data under the commune's habilitation, journaled as
 * such), and a crash costs at most one family per call in flight — `concurrency` of them — which the result names
 * so that the agent can send them again. Asking them again would make every crash a possible double query.
 */
async function takeOverStaleClaims(deps: RefreshBatchDeps, batchId: string): Promise<void> {
  for (const { position, family } of await deps.batches.staleClaims(batchId, deps.owner)) {
    await deps.batches.record(batchId, position, null, unansweredResult({ id: family.identity.id ?? family.where, externalId: family.identity.externalId }, INTERRUPTED, INTERRUPTED_REASON));
  }
}
