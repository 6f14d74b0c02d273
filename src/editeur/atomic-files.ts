import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

/** A directory the tool cannot use: said at once, with the path and why. */
export class UnusableDirectoryError extends Error {
  override name = 'UnusableDirectoryError';
}

/**
 * `mkdir -p`, one level at a time. Node's recursive mkdir loops forever where the system answers ENOENT for a
 * parent that exists (under /proc, say): here each level is made or found once, and any refusal stops at once.
 */
export async function ensureDirectory(path: string): Promise<void> {
  const absolute = resolve(path);
  const missing: string[] = [];
  let existing = absolute;
  for (;;) {
    const found = await stat(existing).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? null : Promise.reject(unusable(path, error))));
    if (found) {
      if (!found.isDirectory()) throw new UnusableDirectoryError(`${path} est inutilisable : ${existing} n’est pas un dossier.`);
      break;
    }
    const parent = dirname(existing);
    if (parent === existing) break;
    missing.unshift(existing);
    existing = parent;
  }
  for (const level of missing) {
    await mkdir(level).catch((error: NodeJS.ErrnoException) => (error.code === 'EEXIST' ? undefined : Promise.reject(unusable(path, error))));
  }
}

function unusable(path: string, error: NodeJS.ErrnoException): UnusableDirectoryError {
  const why = { EACCES: 'permission refusée', EPERM: 'opération interdite', EROFS: 'système de fichiers en lecture seule', ENOENT: 'création impossible à cet endroit', ENOTDIR: 'un élément du chemin n’est pas un dossier', ENOSPC: 'disque plein' }[error.code ?? ''];
  return new UnusableDirectoryError(`Le dossier ${path} est inutilisable : ${why ?? error.code ?? error.message}.`);
}

/**
 * Files that are either entirely there or not at all: written beside their final name, flushed to disk, then
 * renamed (atomic on one file system). A crash leaves at worst a temporary file, never half a file.
 */
export async function writeFileAtomically(path: string, data: string | Uint8Array): Promise<void> {
  await ensureDirectory(dirname(path));
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
  await ensureDirectory(dirname(path));
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
        await ensureDirectory(dirname(this.#path));
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
