import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { startEmbeddedPostgres } from './embedded-postgres.ts';

/** The local installation's own PostgreSQL server, as `npm start` uses it in DATA_DIR. */
describe('the embedded PostgreSQL server', () => {
  // Under /tmp: the server runs as the `postgres` system user when the tests run as root, and must reach its folder.
  const dirs: string[] = [];
  const dataDir = (mode = 0o755) => {
    const dir = mkdtempSync('/tmp/fqf-embedded-test-');
    chmodSync(dir, mode);
    dirs.push(dir);
    return dir;
  };
  after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('is a PostgreSQL 18 server whose data survives a restart', async () => {
    const dir = dataDir();
    const first = await startEmbeddedPostgres({ dataDir: dir });
    await query(first.url, 'CREATE TABLE kept (note text)');
    await query(first.url, "INSERT INTO kept VALUES ('still here')");
    const version = await query(first.url, 'SHOW server_version');
    assert.match(String(version[0]?.server_version), /^18\./);
    await first.stop();
    await assert.rejects(query(first.url, 'SELECT 1'), 'stopped means no longer listening');

    const second = await startEmbeddedPostgres({ dataDir: dir });
    try {
      assert.deepEqual(await query(second.url, 'SELECT note FROM kept'), [{ note: 'still here' }]);
    } finally {
      await second.stop();
    }
  });

  it('starts again after the process that ran it was killed with SIGKILL, data kept', async () => {
    const dir = dataDir();
    const holder = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'testing/hold-embedded-server.ts'), dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    const url = await firstLine(holder);
    await query(url, 'CREATE TABLE kept (note text)');
    await query(url, "INSERT INTO kept VALUES ('written before the crash')");
    const orphan = Number(readFileSync(path.join(dir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.once('exit', resolve));
    assert.ok(isAlive(orphan), 'the server outlives the killed process');

    const restarted = await startEmbeddedPostgres({ dataDir: dir });
    try {
      assert.equal(isAlive(orphan), false, 'the orphaned server was stopped');
      assert.deepEqual(await query(restarted.url, 'SELECT note FROM kept'), [{ note: 'written before the crash' }]);
    } finally {
      await restarted.stop();
    }
  });

  it('refuses a folder whose server belongs to another running process, saying why', async () => {
    const dir = dataDir();
    const holder = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'testing/hold-embedded-server.ts'), dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await firstLine(holder);
      await assert.rejects(startEmbeddedPostgres({ dataDir: dir }), /used by another running process/);
    } finally {
      holder.kill('SIGTERM');
      await new Promise((resolve) => holder.once('exit', resolve));
    }
  });

  it('keeps the cluster of a DATA_DIR the server cannot reach elsewhere, and finds it again', { skip: process.getuid?.() !== 0 && 'only as root' }, async () => {
    const dir = dataDir(0o700);
    const first = await startEmbeddedPostgres({ dataDir: dir });
    try {
      assert.ok(first.clusterDir.startsWith('/var/lib/formulaire-qf/'), first.clusterDir);
      await query(first.url, 'CREATE TABLE kept (note text)');
    } finally {
      await first.stop();
    }
    const second = await startEmbeddedPostgres({ dataDir: dir });
    try {
      assert.equal(second.clusterDir, first.clusterDir);
      assert.deepEqual(await query(second.url, 'SELECT count(*)::int AS n FROM kept'), [{ n: 0 }]);
    } finally {
      await second.stop();
      rmSync(path.dirname(second.clusterDir), { recursive: true, force: true });
    }
  });

  it('removes a temporary server with its data when stopped', async () => {
    const server = await startEmbeddedPostgres({ dataDir: null });
    await query(server.url, 'SELECT 1');
    await server.stop();
    await assert.rejects(query(server.url, 'SELECT 1'));
    assert.equal(existsSync(server.clusterDir), false);
  });
});

async function query(url: string, text: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

function firstLine(child: ReturnType<typeof spawn>): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const newline = seen.indexOf('\n');
      if (newline >= 0) resolve(seen.slice(0, newline));
    });
    child.once('exit', (code) => reject(new Error(`exited ${code} before printing its URL`)));
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
