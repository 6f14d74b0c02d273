import { randomBytes, scrypt as scryptCallback, scryptSync, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Operators' passwords, as stored in ADMIN_USERS: `scrypt$N$r$p$salt$hash` (salt and hash in base64url).
 * scrypt is in Node itself, memory-hard, and its cost is part of the stored value so it can be raised later.
 */
const FORMAT = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9_-]{16,})\$([A-Za-z0-9_-]{43,})$/;

/**
 * The cost floor production demands, OWASP's for scrypt (Password Storage Cheat Sheet): r ≥ 8 and N·p ≥ 2^17
 * (its table: N=2^17 p=1, N=2^16 p=2, N=2^15 p=3, N=2^14 p=5, N=2^13 p=10), N ≥ 2^13. New hashes take
 * N=2^15, r=8, p=4: 32 MiB per verification, so that a burst of logins cannot exhaust memory.
 */
export const COST_FLOOR = { minR: 8, minN: 2 ** 13, minNTimesP: 2 ** 17 } as const;
const DEFAULT_COST = { N: 2 ** 15, r: 8, p: 4 } as const;
const KEY_LENGTH = 32;
const MAX_MEMORY = 64 * 1024 * 1024;

function scrypt(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(password, salt, KEY_LENGTH, { ...options, maxmem: MAX_MEMORY }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** The cost parameters of a stored hash, or null when it is malformed. */
export function costOf(stored: string): { N: number; r: number; p: number } | null {
  const match = FORMAT.exec(stored);
  return match ? { N: Number(match[1]), r: Number(match[2]), p: Number(match[3]) } : null;
}

/** Whether a stored hash is at least as costly as COST_FLOOR. */
export function meetsCostFloor(stored: string): boolean {
  const cost = costOf(stored);
  return cost !== null && cost.r >= COST_FLOOR.minR && cost.N >= COST_FLOOR.minN && cost.N * cost.p >= COST_FLOOR.minNTimesP;
}

/** For the configuration's checks at start-up (synchronous, like the rest of loadConfig); false for a malformed hash. */
export function verifyPasswordSync(password: string, stored: string): boolean {
  const match = FORMAT.exec(stored);
  if (!match) return false;
  const [, n, r, p, salt, hash] = match as unknown as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, 'base64url');
  try {
    const actual = scryptSync(password, Buffer.from(salt, 'base64url'), KEY_LENGTH, { N: Number(n), r: Number(r), p: Number(p), maxmem: MAX_MEMORY });
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  } catch {
    return false;
  }
}

/** A hash of nothing anyone knows, at the same cost as `like`, so that an unknown name costs as much as a known one. */
export function decoyHashLike(like: string | undefined): string {
  const cost = (like && costOf(like)) || { N: 16384, r: 8, p: 1 };
  return `scrypt$${cost.N}$${cost.r}$${cost.p}$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`;
}

export function isPasswordHash(value: string): boolean {
  return FORMAT.test(value);
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, DEFAULT_COST);
  return `scrypt$${DEFAULT_COST.N}$${DEFAULT_COST.r}$${DEFAULT_COST.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** Constant-time comparison of the derived key; false (never an exception) for a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const match = FORMAT.exec(stored);
  if (!match) return false;
  const [, n, r, p, salt, hash] = match as unknown as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scrypt(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
