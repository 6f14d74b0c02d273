import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/**
 * Keeps webhook deliveries away from our own network (SSRF): a target's host is resolved and every address it
 * resolves to is checked, IPv4 and IPv6, including IPv4 addresses hidden in IPv6 forms (mapped `::ffff:a.b.c.d`,
 * NAT64, 6to4). The delivery then connects to the checked addresses only, so that a DNS answer that changes
 * between the check and the connection (rebinding) cannot slip through.
 */
export type TargetRefusal =
  | { reason: 'invalid_url' }
  | { reason: 'scheme_not_allowed'; scheme: string }
  | { reason: 'credentials_in_url' }
  | { reason: 'unresolvable'; host: string }
  | { reason: 'private_address'; host: string };

export type TargetCheck = { ok: true; url: URL; addresses: ResolvedAddress[] } | ({ ok: false } & TargetRefusal);

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export interface TargetPolicy {
  /** The local installation may call a receiver on the same machine; production never. */
  allowPrivate: boolean;
  /** Production wants https only. */
  allowHttp: boolean;
  /** Tests replace DNS. */
  resolve?: (host: string) => Promise<ResolvedAddress[]>;
}

export async function checkWebhookTarget(raw: string, policy: TargetPolicy): Promise<TargetCheck> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'invalid_url' };
  }
  const scheme = url.protocol.replace(/:$/, '');
  if (scheme !== 'https' && !(scheme === 'http' && policy.allowHttp)) return { ok: false, reason: 'scheme_not_allowed', scheme };
  if (url.username || url.password) return { ok: false, reason: 'credentials_in_url' };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: ResolvedAddress[];
  try {
    addresses = await (policy.resolve ?? resolveHost)(host);
  } catch {
    return { ok: false, reason: 'unresolvable', host };
  }
  if (addresses.length === 0) return { ok: false, reason: 'unresolvable', host };
  if (!policy.allowPrivate && addresses.some((a) => isForbiddenAddress(a.address))) return { ok: false, reason: 'private_address', host };
  return { ok: true, url, addresses };
}

async function resolveHost(host: string): Promise<ResolvedAddress[]> {
  const literal = isIP(host);
  if (literal === 4 || literal === 6) return [{ address: host, family: literal }];
  const found = await lookup(host, { all: true, verbatim: true });
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
}

/** IPv4 ranges that are not the public Internet (RFC 6890 and friends). */
const FORBIDDEN_V4: [number, number][] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
].map(([base, bits]) => [v4ToNumber(base as string), bits as number]);

export function isForbiddenAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return isForbiddenV4(v4ToNumber(address));
  if (family === 6) return isForbiddenV6(v6ToBytes(address.replace(/%.*$/, '')));
  // Not an address at all: refuse rather than guess.
  return true;
}

function isForbiddenV4(value: number): boolean {
  return FORBIDDEN_V4.some(([base, bits]) => bits === 0 || value >>> (32 - bits) === base >>> (32 - bits));
}

function isForbiddenV6(bytes: number[]): boolean {
  const word = (i: number) => ((bytes[i * 2] ?? 0) << 8) | (bytes[i * 2 + 1] ?? 0);
  const embeddedV4 = (offset: number) =>
    (((bytes[offset] ?? 0) << 24) | ((bytes[offset + 1] ?? 0) << 16) | ((bytes[offset + 2] ?? 0) << 8) | (bytes[offset + 3] ?? 0)) >>> 0;
  const zeroUpTo = (n: number) => bytes.slice(0, n).every((b) => b === 0);
  // ::, ::1 and the deprecated IPv4-compatible ::a.b.c.d: nothing public lives there.
  if (zeroUpTo(12)) return true;
  // ::ffff:a.b.c.d (mapped) and ::ffff:0:a.b.c.d (translated): the IPv4 address decides.
  if (zeroUpTo(10) && word(5) === 0xffff) return isForbiddenV4(embeddedV4(12));
  if (zeroUpTo(8) && word(4) === 0xffff && word(5) === 0) return isForbiddenV4(embeddedV4(12));
  // 64:ff9b::/96 and 64:ff9b:1::/48 (NAT64) reach an IPv4 address.
  if (word(0) === 0x64 && word(1) === 0xff9b) return word(2) === 1 || isForbiddenV4(embeddedV4(12));
  // 2002::/16 (6to4) carries an IPv4 address in bits 16-47.
  if (word(0) === 0x2002) return isForbiddenV4(embeddedV4(2));
  const first = word(0);
  if ((first & 0xfe00) === 0xfc00) return true; // fc00::/7 unique local
  if ((first & 0xffc0) === 0xfe80) return true; // fe80::/10 link-local
  if ((first & 0xffc0) === 0xfec0) return true; // fec0::/10 old site-local
  if ((first & 0xff00) === 0xff00) return true; // ff00::/8 multicast
  if (first === 0x2001 && word(1) === 0x0db8) return true; // documentation
  if (first === 0x3fff && word(1) < 0x1000) return true; // 3fff::/20 documentation (RFC 9637)
  if (first === 0x5f00) return true; // 5f00::/16 SRv6 SIDs (RFC 9602), never a host
  if (first === 0x2001 && word(1) < 0x0200) return true; // 2001::/23 IETF protocol assignments (Teredo included)
  if (first === 0x0100 && word(1) === 0 && word(2) === 0 && word(3) === 0) return true; // 100::/64 discard
  return false;
}

function v4ToNumber(address: string): number {
  return address.split('.').reduce((acc, part) => ((acc << 8) | Number(part)) >>> 0, 0);
}

/** The 16 bytes of an IPv6 address, with `::` and a trailing dotted IPv4 part expanded. */
function v6ToBytes(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const v4 = v4ToNumber(dotted[1]);
    text = `${text.slice(0, -dotted[1].length)}${((v4 >>> 16) & 0xffff).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headWords = head === '' ? [] : head.split(':');
  const tailWords = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - headWords.length - tailWords.length;
  const words = [...headWords, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...tailWords].map((w) => parseInt(w, 16) || 0);
  return words.flatMap((w) => [(w >> 8) & 0xff, w & 0xff]);
}
