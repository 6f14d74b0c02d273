import type { PGlite } from '@electric-sql/pglite';

/**
 * PGlite has a single connection. Kysely (through its PostgresDialect) and pg-boss both expect a pool, so this
 * adapter hands out that one connection to one borrower at a time: a transaction holds it until released, and
 * every other query (a job poll, a page) waits its turn instead of landing inside someone else's transaction.
 */
export interface QueryResultLike {
  rows: unknown[];
  rowCount: number;
  command: string;
}

export interface PooledClient {
  query(sql: string, params?: readonly unknown[]): Promise<QueryResultLike>;
  release(): void;
}

export class EmbeddedPool {
  private queue: Promise<void> = Promise.resolve();

  constructor(readonly pglite: PGlite) {}

  async connect(): Promise<PooledClient> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const previous = this.queue;
    this.queue = previous.then(() => released);
    await previous;
    let done = false;
    return {
      query: (sql, params) => this.run(sql, params ?? []),
      release: () => {
        if (done) return;
        done = true;
        release();
      },
    };
  }

  /** One statement (or a multi-statement script when there are no parameters), outside any borrowed connection. */
  async execute(sql: string, params: readonly unknown[] = []): Promise<QueryResultLike> {
    const client = await this.connect();
    try {
      return await client.query(sql, params);
    } finally {
      client.release();
    }
  }

  async end(): Promise<void> {
    await this.queue;
  }

  private async run(sql: string, params: readonly unknown[]): Promise<QueryResultLike> {
    const command = sql.trimStart().split(/\s+/, 1)[0]?.toUpperCase() ?? '';
    if (params.length === 0 && looksLikeScript(sql)) {
      // The extended protocol refuses several statements at once; pg-boss installs its schema that way.
      const results = await this.pglite.exec(sql);
      const last = results[results.length - 1];
      return { rows: last?.rows ?? [], rowCount: last?.affectedRows ?? 0, command };
    }
    const result = await this.pglite.query(sql, params as unknown[]);
    return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length, command };
  }
}

function looksLikeScript(sql: string): boolean {
  const trimmed = sql.trim().replace(/;$/, '');
  return trimmed.includes(';');
}
