/**
 * The journeys this instance saved, as it saved them (encrypted), so that the next page of the same journey does
 * not read back from the database what this process wrote a moment ago. An entry is good only for the version the
 * save gave (the journey cookie carries it): a newer save on another instance carries another version, so the
 * family's next request never hits an older entry. Entries live as long as their row would, at most `maxEntries`
 * of them (the oldest saved go first).
 */
export interface JourneyMemory {
  get(idHash: string, version: string): Uint8Array | null;
  put(idHash: string, entry: { version: string; payload: Uint8Array; expiresAt: Date }): void;
  /** The journey changed or ended elsewhere: its entry goes. */
  forget(idHash: string): void;
  /** Told changes may have been missed: nothing here can be trusted any more, and nothing is kept until `trust`. */
  distrust(): void;
  trust(): void;
  /** Drops the entries past their row's expiry (which nobody read since). */
  sweep(): void;
  readonly size: number;
}

export function createJourneyMemory(options: { maxEntries: number; now: () => Date }): JourneyMemory {
  const entries = new Map<string, { version: string; payload: Uint8Array; expiresAt: number }>();
  let trusted = false;
  return {
    get(idHash, version) {
      const entry = entries.get(idHash);
      if (!trusted || !entry || entry.version !== version) return null;
      if (entry.expiresAt <= options.now().getTime()) {
        entries.delete(idHash);
        return null;
      }
      return entry.payload;
    },
    put(idHash, entry) {
      if (!trusted || options.maxEntries === 0) return;
      entries.delete(idHash);
      entries.set(idHash, { version: entry.version, payload: entry.payload, expiresAt: entry.expiresAt.getTime() });
      if (entries.size > options.maxEntries) entries.delete(entries.keys().next().value!);
    },
    forget(idHash) {
      entries.delete(idHash);
    },
    distrust() {
      trusted = false;
      entries.clear();
    },
    trust() {
      trusted = true;
    },
    sweep() {
      const now = options.now().getTime();
      for (const [idHash, entry] of entries) if (entry.expiresAt <= now) entries.delete(idHash);
    },
    get size() {
      return entries.size;
    },
  };
}
