import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, testServerName } from '../../test/support/database.ts';
import type { Db } from '../db/database.ts';
import { createJobQueue, type JobQueue } from './queue.ts';

describe(`the job queue (${testServerName()})`, () => {
  let db: Db;
  let queue: JobQueue;
  before(async () => {
    db = await createTestDatabase();
    queue = createJobQueue(db);
    await queue.start();
  });
  after(async () => {
    await queue.stop();
    await db.close();
  });

  it('several instances declaring the same queues at once all start (PostgreSQL answered one with a deadlock)', async () => {
    const others = [createJobQueue(db), createJobQueue(db), createJobQueue(db)];
    try {
      await Promise.all(others.map((q) => q.start()));
      for (let round = 0; round < 3; round++) {
        const names = ['transmit', 'follow-up', 'onboard', 'webhooks'].map((n) => `${n}-${round}`);
        await Promise.all(others.flatMap((q) => names.map((name) => q.declareQueue(name, { policy: 'short' }))));
      }
    } finally {
      await Promise.all(others.map((q) => q.stop()));
    }
  });

  it('is ready once started', async () => {
    assert.equal(await queue.isReady(), true);
  });

  it('runs a job and records it completed', async () => {
    const seen: string[] = [];
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    await queue.work<{ word: string }>('echo', async (job) => {
      seen.push(job.data.word);
      done();
    }, { pollingIntervalSeconds: 0.5 });
    const id = await queue.send('echo', { word: 'bonjour' });
    assert.ok(id);
    await finished;
    assert.deepEqual(seen, ['bonjour']);
    await waitFor(async () => (await queue.getJobState('echo', id)) === 'completed');
  });

  it('a job sent by this instance is fetched at once by an idle worker of its own, not at the next poll', { timeout: 120_000 }, async () => {
    const seen: number[] = [];
    const waiting = new Map<number, () => void>();
    const handled = (n: number) => new Promise<void>((resolve) => waiting.set(n, resolve));
    // Far longer than the test's timeout: only the wake-up on send can bring the second job in time.
    await queue.work<{ n: number }>('woken', async (job) => {
      seen.push(job.data.n);
      waiting.get(job.data.n)?.();
    }, { pollingIntervalSeconds: 600 });
    const first = handled(1);
    const firstId = await queue.send('woken', { n: 1 });
    await first;
    // The worker is back to its long wait once the first job is recorded done.
    await waitFor(async () => (await queue.getJobState('woken', firstId!)) === 'completed');
    const second = handled(2);
    await queue.send('woken', { n: 2 });
    await second;
    assert.deepEqual(seen, [1, 2]);
  });

  it('retries a failing job until it succeeds', async () => {
    let attempts = 0;
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    await queue.work('flaky', async () => {
      attempts += 1;
      if (attempts < 3) throw new Error('upstream down');
      done();
    }, { pollingIntervalSeconds: 0.5 });
    await queue.send('flaky', {}, { retryLimit: 5, retryDelaySeconds: 1 });
    await finished;
    assert.equal(attempts, 3);
  });

  it('drops a second job with the same singleton key while the first waits, on a stately queue', async () => {
    await queue.declareQueue('once', { policy: 'stately' });
    const first = await queue.send('once', { n: 1 }, { singletonKey: 'shipment-1', startAfterSeconds: 60 });
    const second = await queue.send('once', { n: 2 }, { singletonKey: 'shipment-1', startAfterSeconds: 60 });
    assert.ok(first);
    assert.equal(second, null);
  });

  it('on a short queue, a job a killed process left running holds back neither its key nor the queue', async () => {
    await queue.declareQueue('after-crash', { policy: 'short' });
    const dead = await queue.send('after-crash', { n: 0 }, { singletonKey: 'shipment-1' });
    assert.ok(dead);
    // What a SIGKILL leaves behind: the job active, its worker gone (pg-boss expires it only after 15 minutes).
    await db.executeSql(`UPDATE pgboss.job SET state = 'active', started_on = now() WHERE id = $1`, [dead]);
    assert.ok(await queue.send('after-crash', { n: 1 }, { singletonKey: 'shipment-1' }), 'the same key can wait again');
    assert.equal(await queue.send('after-crash', { n: 9 }, { singletonKey: 'shipment-1' }), null, 'but only once');
    await queue.send('after-crash', { n: 2 }, { singletonKey: 'shipment-2' });
    const ran: number[] = [];
    await queue.work<{ n: number }>('after-crash', async (job) => void ran.push(job.data.n), { pollingIntervalSeconds: 0.5 });
    await waitFor(async () => ran.length === 2);
    assert.deepEqual(ran.sort(), [1, 2]);
  });

  it('gives an existing queue with nothing pending the policy the code declares', async () => {
    const old = createJobQueue(db);
    await old.start();
    await old.declareQueue('redeclared', { policy: 'stately' });
    await old.stop();
    await queue.declareQueue('redeclared', { policy: 'short' });
    const rows = await db.executeSql(`SELECT policy FROM pgboss.queue WHERE name = 'redeclared'`, []);
    assert.deepEqual(rows.rows, [{ policy: 'short' }]);
  });

  it('refuses to change the policy of a queue that holds pending jobs', async () => {
    const old = createJobQueue(db);
    await old.start();
    await old.declareQueue('redeclared-busy', { policy: 'stately' });
    await old.send('redeclared-busy', { n: 1 }, { startAfterSeconds: 3600 });
    await old.stop();
    const fresh = createJobQueue(db);
    await fresh.start();
    try {
      await assert.rejects(fresh.declareQueue('redeclared-busy', { policy: 'short' }), /policy stately and 1 jobs pending/);
    } finally {
      await fresh.stop();
    }
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
