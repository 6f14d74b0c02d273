import { PgBoss, type SendOptions, type WorkOptions } from 'pg-boss';
import type { Db } from '../db/database.ts';

/**
 * Our small interface over the durable queue (pg-boss 12, in the same database as everything else), so that
 * moving to another version or library stays local to this file.
 */
export interface JobOptions {
  /** Same key, same job: a second send with a key still queued or running is dropped. */
  singletonKey?: string;
  retryLimit?: number;
  retryDelaySeconds?: number;
  retryBackoff?: boolean;
  startAfterSeconds?: number;
  expireInSeconds?: number;
}

export interface Job<T> {
  id: string;
  name: string;
  data: T;
}

/**
 * `short`: at most one job per singleton key waiting; a running one does not hold the next back, so the work
 * itself must keep attempts apart (a lease in the database). `stately`: also at most one running per key — but a
 * process killed mid-job leaves its job active until pg-boss expires it (15 minutes), and meanwhile the next job
 * of that key, the oldest waiting, is fetched again and again and refused: the whole queue stands still.
 * `standard`: no limit.
 */
export type QueuePolicy = 'standard' | 'short' | 'stately';

export interface JobQueue {
  start(): Promise<void>;
  /** Declares a queue's policy; queues not declared are created `standard` on first use. */
  declareQueue(name: string, options: { policy: QueuePolicy }): Promise<void>;
  stop(): Promise<void>;
  isReady(): Promise<boolean>;
  /** Creates the queue if needed; returns the job id, or null when a singleton key made it a duplicate. */
  send<T extends object>(name: string, data: T, options?: JobOptions): Promise<string | null>;
  work<T extends object>(name: string, handler: (job: Job<T>) => Promise<void>, options?: { concurrency?: number; pollingIntervalSeconds?: number }): Promise<void>;
  schedule(name: string, cron: string, data?: object): Promise<void>;
  /** For tests and the operator: the state of one job. */
  getJobState(name: string, id: string): Promise<string | null>;
}

/**
 * How often an idle worker looks for jobs by itself. A job this instance sends wakes one of its idle workers at once
 * (see `send`), so the poll only finds the jobs other instances sent while all their workers were busy: a few seconds
 * are soon enough for those, and the idle polls (one query per worker each time, around twenty a second at 0.5 s)
 * were a steady cost for the database and the app under every load.
 */
export const IDLE_POLL_SECONDS = 5;

/** SQLSTATEs of a transaction PostgreSQL rolled back because another ran at the same time: deadlock, serialization, duplicate key. */
const CONFLICTS = new Set(['40P01', '40001', '23505']);

/**
 * Several instances starting together on one database create the same queues at the same moment, and PostgreSQL
 * may answer one of them with a deadlock (pg-boss creates a table per queue). The loser's transaction was rolled
 * back whole; the creation is idempotent, so it is simply tried again after a short random wait.
 */
async function retryingConflicts(work: () => Promise<void>, attempts = 8): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (attempt >= attempts || typeof code !== 'string' || !CONFLICTS.has(code)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 200 * attempt));
    }
  }
}

export function createJobQueue(db: Db, options: { schema?: string } = {}): JobQueue {
  const schema = options.schema ?? 'pgboss';
  const boss = new PgBoss({
    db: { executeSql: (text: string, values: unknown[]) => db.executeSql(text, values) },
    schema,
    // Our own poll loops run at the intervals the use cases want; pg-boss's supervisor keeps its defaults.
  });
  // pg-boss reports transient errors as events; unhandled, an EventEmitter 'error' would kill the process.
  boss.on('error', () => {});
  const created = new Set<string>();
  /** This instance's workers, per queue, and whether each is handling a job now. */
  const localWorkers = new Map<string, { id: string; busy: boolean }[]>();
  let started = false;

  /** A job was just sent: one idle worker of ours fetches it now rather than at its next poll. */
  const wakeWorker = (name: string) => {
    const workers = localWorkers.get(name) ?? [];
    const idle = workers.find((worker) => !worker.busy);
    // All busy: each fetches again as soon as its job is done.
    for (const worker of idle ? [idle] : workers) boss.notifyWorker(worker.id);
  };

  async function ensureQueue(name: string, policy: QueuePolicy = 'standard'): Promise<void> {
    if (created.has(name)) return;
    await retryingConflicts(async () => {
      // createQueue keeps an existing queue as it is, so a restart does not reset anything… except its policy, which
      // follows the code. pg-boss 12 fixes a policy at a queue's creation (its unique indexes depend on it), so a queue
      // made under another policy is made again, when nothing waits in it; otherwise the mismatch must be seen.
      await boss.createQueue(name, { policy });
      const existing = await boss.getQueue(name);
      if (existing && existing.policy !== policy) {
        // Counted in the table: the queue's own counters are refreshed by pg-boss's monitor, not at once.
        const { rows } = await db.executeSql(`SELECT count(*)::int AS n FROM ${schema}.job WHERE name = $1 AND state IN ('created', 'retry', 'active')`, [name]);
        const pending = (rows[0] as { n: number } | undefined)?.n ?? 0;
        if (pending > 0) throw new Error(`Queue ${name} has policy ${existing.policy} and ${pending} jobs pending; the code declares ${policy}`);
        await boss.deleteQueue(name);
        await boss.createQueue(name, { policy });
      }
    });
    created.add(name);
  }

  return {
    async start() {
      await boss.start();
      started = true;
    },
    async declareQueue(name, { policy }) {
      await ensureQueue(name, policy);
    },
    async stop() {
      if (!started) return;
      started = false;
      await boss.stop({ graceful: true, timeout: 10_000 });
    },
    async isReady() {
      if (!started) return false;
      try {
        await boss.getQueues();
        return true;
      } catch {
        return false;
      }
    },
    async send(name, data, opts = {}) {
      await ensureQueue(name);
      const sendOptions: SendOptions = {};
      if (opts.singletonKey !== undefined) sendOptions.singletonKey = opts.singletonKey;
      if (opts.retryLimit !== undefined) sendOptions.retryLimit = opts.retryLimit;
      if (opts.retryDelaySeconds !== undefined) sendOptions.retryDelay = opts.retryDelaySeconds;
      if (opts.retryBackoff !== undefined) sendOptions.retryBackoff = opts.retryBackoff;
      if (opts.startAfterSeconds !== undefined) sendOptions.startAfter = opts.startAfterSeconds;
      if (opts.expireInSeconds !== undefined) sendOptions.expireInSeconds = opts.expireInSeconds;
      const id = await boss.send(name, data, sendOptions);
      if (id !== null && opts.startAfterSeconds === undefined) wakeWorker(name);
      return id;
    },
    async work(name, handler, opts = {}) {
      await ensureQueue(name);
      const workOptions: WorkOptions = { batchSize: 1, pollingIntervalSeconds: opts.pollingIntervalSeconds ?? IDLE_POLL_SECONDS };
      const workers = Math.max(1, opts.concurrency ?? 1);
      const registered = localWorkers.get(name) ?? [];
      localWorkers.set(name, registered);
      for (let i = 0; i < workers; i++) {
        const worker = { id: '', busy: false };
        worker.id = await boss.work(name, workOptions, async (jobs) => {
          worker.busy = true;
          try {
            for (const job of jobs) {
              await handler({ id: job.id, name: job.name, data: job.data as never });
            }
          } finally {
            worker.busy = false;
            // It looks again right after pg-boss records this job done rather than after a whole poll: a job of the same
            // key sent meanwhile (a retry, on a stately queue) could not be fetched while this one was active.
            boss.notifyWorker(worker.id);
          }
        });
        registered.push(worker);
      }
    },
    async schedule(name, cron, data = {}) {
      await ensureQueue(name);
      await boss.schedule(name, cron, data);
    },
    async getJobState(name, id) {
      const job = await boss.getJobById(name, id);
      return job?.state ?? null;
    },
  };
}
