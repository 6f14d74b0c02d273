import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase } from '../../test/support/database.ts';
import type { Db } from '../db/database.ts';
import { createJobQueue, type JobQueue } from './queue.ts';

describe(`the job queue (${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite'})`, () => {
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
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
