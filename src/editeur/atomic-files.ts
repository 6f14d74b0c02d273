import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * Files that are either entirely there or not at all: written beside their final name, flushed to disk, then
 * renamed (atomic on one file system). A crash leaves at worst a temporary file, never half a file.
 */
export async function writeFileAtomically(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temporary, 'w', 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Appends one line and flushes it, so that a journal survives a crash up to its last complete line. */
export async function appendLine(path: string, line: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const handle = await open(path, 'a', 0o600);
  try {
    await handle.write(`${line}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * An append-only journal for many concurrent writers: lines are gathered and written with one flush to disk per
 * batch (group commit), and each `append` resolves once its line is on disk.
 */
export class Journal {
  readonly #path: string;
  #pending: { line: string; done: () => void; failed: (error: unknown) => void }[] = [];
  #flushing: Promise<void> | null = null;

  constructor(path: string) {
    this.#path = path;
  }

  append(line: string): Promise<void> {
    return new Promise<void>((done, failed) => {
      this.#pending.push({ line, done, failed });
      this.#flushing ??= this.#flush();
    });
  }

  async #flush(): Promise<void> {
    while (this.#pending.length > 0) {
      const batch = this.#pending;
      this.#pending = [];
      try {
        await mkdir(dirname(this.#path), { recursive: true });
        const handle = await open(this.#path, 'a', 0o600);
        try {
          await handle.write(batch.map((b) => `${b.line}\n`).join(''));
          await handle.sync();
        } finally {
          await handle.close();
        }
        for (const b of batch) b.done();
      } catch (error) {
        for (const b of batch) b.failed(error);
      }
    }
    this.#flushing = null;
  }
}
