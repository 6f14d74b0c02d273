import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { emptyState, type HubeeState } from './model.ts';

/**
 * Holds the stand-in's state and binaries. Handlers mutate `state` synchronously, then await `commit()`, which
 * writes the whole state file atomically (temp file + rename) so a crash never leaves half a file behind.
 * With no directory everything stays in memory (tests).
 */
export interface HubeeStore {
  readonly state: HubeeState;
  commit(): Promise<void>;
  putBinary(key: string, bytes: Buffer): Promise<void>;
  getBinary(key: string): Promise<Buffer | null>;
  deleteBinary(key: string): Promise<void>;
  /** Waits for pending writes (server close). */
  flush(): Promise<void>;
}

export function sha256Base64(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64');
}

export async function openStore(directory: string | null): Promise<HubeeStore> {
  if (directory === null) return memoryStore();
  return fileStore(directory);
}

function memoryStore(): HubeeStore {
  const state = emptyState();
  const binaries = new Map<string, Buffer>();
  return {
    state,
    commit: async () => {},
    putBinary: async (key, bytes) => {
      binaries.set(key, Buffer.from(bytes));
    },
    getBinary: async (key) => binaries.get(key) ?? null,
    deleteBinary: async (key) => {
      binaries.delete(key);
    },
    flush: async () => {},
  };
}

async function fileStore(directory: string): Promise<HubeeStore> {
  const binariesDir = join(directory, 'attachments');
  await mkdir(binariesDir, { recursive: true });
  const statePath = join(directory, 'state.json');
  const state = await loadState(statePath);

  // Writes are chained so two commits never race on the temp file; a commit resolves once a write that started
  // after its mutation has finished.
  let chain: Promise<void> = Promise.resolve();
  const commit = (): Promise<void> => {
    chain = chain.then(() => writeAtomically(statePath, JSON.stringify(state)));
    return chain;
  };

  return {
    state,
    commit,
    putBinary: (key, bytes) => writeAtomically(join(binariesDir, safeKey(key)), bytes),
    getBinary: async (key) => {
      try {
        return await readFile(join(binariesDir, safeKey(key)));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    deleteBinary: (key) => rm(join(binariesDir, safeKey(key)), { force: true }),
    flush: () => chain,
  };
}

async function loadState(path: string): Promise<HubeeState> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
    throw error;
  }
  const parsed = JSON.parse(text) as Partial<HubeeState>;
  if (parsed.version !== 1) throw new Error(`HubEE stand-in: unsupported state file version in ${path}`);
  // Merge over an empty state so that a file written before a collection existed still loads.
  return { ...emptyState(), ...parsed } as HubeeState;
}

let tempCounter = 0;
async function writeAtomically(path: string, data: string | Uint8Array): Promise<void> {
  const temp = `${path}.${process.pid}.${++tempCounter}.tmp`;
  await writeFile(temp, data);
  await rename(temp, path);
}

/** Binary keys are ids we generate (UUIDs), but never let one escape the folder. */
function safeKey(key: string): string {
  if (!/^[A-Za-z0-9_.-]+$/.test(key) || key.includes('..')) throw new Error(`Invalid binary key: ${key}`);
  return key;
}
