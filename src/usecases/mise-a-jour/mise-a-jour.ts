import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import type { EspaceJournal } from '../../db/repositories/espace-journal.ts';
import { createQfRefreshBatches, type QfRefreshBatches } from '../../db/repositories/qf-refresh-batches.ts';
import type { ApiParticulierClient } from '../../integrations/api-particulier/client.ts';
import { enqueueQfRefresh } from '../../jobs/qf-refresh.ts';
import type { JobQueue } from '../../jobs/queue.ts';
import type { PersonalDataCipher } from '../../security/personal-data-cipher.ts';
import { sharedPacerFor, type TokenPacer } from '../api-particulier-pacing.ts';
import type { CommuneApiParticulierTokens } from '../commune-api-particulier-token.ts';
import { runRefreshBatch, type BatchRunOutcome } from './refresh-batch.ts';
import { journalTokenUseInEspace } from './token-use-journal.ts';

/** The Mise à jour annuelle's part of the application context: its store, the commune's tokens, its job. */
export interface MiseAJour {
  batches: QfRefreshBatches;
  tokens: CommuneApiParticulierTokens;
  /** Hands a running batch to the queue (after its confirmation or its resumption). */
  enqueue(batchId: string): Promise<void>;
  run(batchId: string): Promise<BatchRunOutcome>;
  /** Running batches no live worker holds. */
  dueForWork(): Promise<string[]>;
  /** The process stops: runs end after their calls in flight and give their lease back. */
  stop(): void;
}

/** Seven days at most, as the page and the "Données personnelles" page say. */
export const BATCH_LIFETIME_MS = 7 * 24 * 3600 * 1000;

export function createMiseAJour(deps: {
  db: Db;
  cipher: PersonalDataCipher;
  queue: JobQueue;
  apiParticulier: ApiParticulierClient;
  journal: EspaceJournal;
  tokens: CommuneApiParticulierTokens;
  pacerFor?: (token: string) => TokenPacer;
  leaseMs?: number;
}): MiseAJour {
  const batches = createQfRefreshBatches({ db: deps.db, cipher: deps.cipher });
  const owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const leaseMs = deps.leaseMs ?? 30_000;
  let stopping = false;
  const journalTokenUse = journalTokenUseInEspace(deps.journal);
  return {
    batches,
    tokens: deps.tokens,
    enqueue: (batchId) => enqueueQfRefresh(deps.queue, batchId),
    run: (batchId) =>
      runRefreshBatch(
        { batches, tokens: deps.tokens, apiParticulier: deps.apiParticulier, pacerFor: deps.pacerFor ?? sharedPacerFor, journalTokenUse, owner, leaseMs, concurrency: 8, isStopping: () => stopping },
        batchId,
      ),
    dueForWork: () => batches.dueForWork(new Date(), 20),
    stop() {
      stopping = true;
    },
  };
}
