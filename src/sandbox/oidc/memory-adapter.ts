import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';

/**
 * oidc-provider's state (interactions, sessions, codes, tokens) for one stand-in, in memory. Unlike the
 * library's development adapter it is not shared by every provider of the process, has no size cap that could
 * drop a session mid-test, and lives across the Provider rebuilds of a key rotation.
 */
interface Entry {
  payload: AdapterPayload;
  expiresAt: number;
}

export function memoryAdapterFactory(): AdapterFactory {
  const entries = new Map<string, Entry>();
  const byGrant = new Map<string, Set<string>>();
  const bySessionUid = new Map<string, string>();
  let writes = 0;

  const live = (key: string): AdapterPayload | undefined => {
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry.payload;
  };

  const sweep = () => {
    const now = Date.now();
    for (const [key, entry] of entries) if (entry.expiresAt <= now) entries.delete(key);
  };

  return (name: string): Adapter => {
    const keyFor = (id: string) => `${name}:${id}`;
    return {
      async upsert(id, payload, expiresIn) {
        if (++writes % 200 === 0) sweep();
        const key = keyFor(id);
        entries.set(key, { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Number.POSITIVE_INFINITY });
        if (payload.grantId) {
          const keys = byGrant.get(payload.grantId) ?? new Set<string>();
          keys.add(key);
          byGrant.set(payload.grantId, keys);
        }
        if (name === 'Session' && payload.uid) bySessionUid.set(payload.uid, id);
      },
      async find(id) {
        return live(keyFor(id));
      },
      async findByUid(uid) {
        const id = bySessionUid.get(uid);
        return id === undefined ? undefined : live(keyFor(id));
      },
      async findByUserCode() {
        return undefined;
      },
      async consume(id) {
        const payload = live(keyFor(id));
        if (payload) payload.consumed = Math.floor(Date.now() / 1000);
      },
      async destroy(id) {
        entries.delete(keyFor(id));
      },
      async revokeByGrantId(grantId) {
        for (const key of byGrant.get(grantId) ?? []) entries.delete(key);
        byGrant.delete(grantId);
      },
    };
  };
}
