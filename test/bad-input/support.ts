import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { TestService } from '../support/service.ts';

/**
 * What the bad-input suites share: hostile text in every shape, a check that an answer is a clear refusal (or
 * a legitimate page) and never a crash, and the row counts of every table a request from outside could write.
 */

/** Runs per property: enough to find the odd case, few enough for the suite to stay well under a minute. */
export const RUNS = 100;

/** Unicode that trips up naive code: direction overrides, combining marks, emoji sequences, NUL, look-alikes. */
const ODD_PIECES = [
  '\u202e', '\u202d', '\u200f', '\u061c', 'e\u0301\u0301\u0301\u0301', '\u0308', '👨‍👩‍👧‍👦', '🏳️‍🌈', '🇫🇷', '\u0000', '\u0007', '\u001b[31m',
  '\ufeff', '\u200b', '\u00a0', '\u3000', '\ufffd', '\uffff', 'ﬁ', 'İ', 'ß', 'Ⅻ', '𝔐𝔞𝔧𝔞𝔰𝔱𝔯𝔢𝔰', 'ǅ', '\r\n', '\t',
  // SQL and LIKE metacharacters, and what an injection looks like.
  '%', '_', '\\', '\\%', '%_%', "'", '"', ';', '--', "' OR '1'='1", "'); DROP TABLE collectivities; --", '\\\\', '[', ']', '^', '$', '*', '.*',
  // Markup and templates.
  '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', '{{7*7}}', '${7*7}', '&amp;', '&#0;',
  // Numbers that look like what the service expects.
  '21040107100019', '2104010710001', '210401071000190', '0'.repeat(14), '0123456789ABC', '0123456789abc', 'ZZZZZZZZZZZZZ', '04107', '-1', '1e308', 'NaN',
  // Path tricks.
  '..', '../', '..%2f', '/', '//', '?', '#', '&', '=', '+', '~', '@',
];

/** A text of hostile pieces and random characters of every plane, lone surrogates included. */
export const oddText = (maxLength = 60): fc.Arbitrary<string> =>
  fc
    .array(
      fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...ODD_PIECES) },
        { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
        { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
        { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
      ),
      { maxLength: Math.max(1, Math.floor(maxLength / 6)) },
    )
    .map((pieces) => pieces.join(''));

/** Huge texts: far beyond any field's limit. */
export const hugeText: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('a', 'é', '%', '👨‍👩‍👧‍👦', "'", '\u0301', ' '), fc.integer({ min: 2_000, max: 70_000 }))
  // Cut to length, possibly through a surrogate pair or a grapheme: one more oddity.
  .map(([piece, length]) => piece.repeat(length).slice(0, length));

/** A huge text fit for a URL: long enough to pass every limit, short enough to keep the runs quick. */
export const hugeQueryValue: fc.Arbitrary<string> = hugeText.map((text) => percentEncode(text.slice(0, 8_000)));

/**
 * Every byte percent-encoded, so that any text can travel in a URL: lone surrogates become U+FFFD, as a
 * browser would send them.
 */
export function percentEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0').toUpperCase()}`).join('');
}

/** Escapes a browser would never send, but a hand-made request can: broken, overlong, surrogate, truncated. */
const RAW_ESCAPES = ['%', '%%', '%zz', '%0', '%E0%A4%A', '%ED%A0%80', '%ED%B0%80', '%C0%AF', '%C0%80', '%FF%FE', '%F4%90%80%80', '%00', '%25', '%2525', '%5C', '%2F', '%u202e', '+', '%2B'];

/** A query-string value as it travels: percent-encoded text, with raw malformed escapes mixed in. */
export const rawQueryValue = (maxLength = 60): fc.Arbitrary<string> =>
  fc
    .array(fc.oneof(oddText(maxLength).map(percentEncode), fc.constantFrom(...RAW_ESCAPES)), { maxLength: 4 })
    .map((parts) => parts.join(''));

/** A whole query string: random keys (some the app reads, some lists or nested), random values. */
export const rawQueryString = (keys: readonly string[]): fc.Arbitrary<string> =>
  fc
    .array(
      fc.tuple(
        fc.oneof(
          fc.constantFrom(...keys),
          fc.constantFrom(...keys).map((key) => `${key}[]`),
          fc.constantFrom(...keys).map((key) => `${key}[0][a]`),
          fc.constantFrom('__proto__', '__proto__[x]', 'constructor[prototype][x]', 'toString', 'hasOwnProperty'),
          rawQueryValue(12),
        ),
        fc.option(rawQueryValue(), { nil: undefined }),
      ),
      { maxLength: 6 },
    )
    .map((pairs) => pairs.map(([key, value]) => (value === undefined ? key : `${key}=${value}`)).join('&'));

/** A distinct client address per request, so the per-address rate limits do not hide what the route does. */
let addressCounter = 0;
export function nextAddress(): string {
  addressCounter += 1;
  return `10.${(addressCounter >> 16) & 255}.${(addressCounter >> 8) & 255}.${addressCounter & 255}`;
}

export function inject(test: TestService, options: InjectOptions): Promise<LightMyRequestResponse> {
  return test.service.app.inject({ remoteAddress: nextAddress(), ...options });
}

/**
 * A refusal the visitor can read, or one of the answers the route legitimately gives: never a 5xx. An HTML
 * refusal is a page with a title and a heading; a refusal under /api is JSON with a message.
 */
export function assertHandled(response: LightMyRequestResponse, allowed: readonly number[], what: string): void {
  const where = `${what} → HTTP ${response.statusCode}`;
  assert.ok(response.statusCode < 500, `${where}: ${response.body.slice(0, 300)}`);
  assert.ok(allowed.includes(response.statusCode), `${where}, expected one of ${allowed.join(', ')}`);
  if (response.statusCode < 400) return;
  const type = String(response.headers['content-type'] ?? '');
  if (type.startsWith('application/json')) {
    const body = response.json() as { error?: { message?: unknown } };
    assert.ok(typeof body.error?.message === 'string' && body.error.message.length > 0, `${where}: no message in ${response.body.slice(0, 200)}`);
  } else {
    assert.match(type, /^text\/html/, `${where}: content-type ${type}`);
    assert.match(response.body, /<title>[^<]+<\/title>/, `${where}: no title`);
    assert.match(response.body, /<h1[^>]*>[^<]+/, `${where}: no heading`);
  }
}

/** The tables a request from outside could write to (those that exist at this stage of the schema). */
const WRITABLE_TABLES = [
  'journeys',
  'shipments',
  'shipment_status_history',
  'collectivities',
  'datapass_events',
  'onboardings',
  'webhook_endpoints',
  'webhook_deliveries',
] as const;
export type WritableTable = (typeof WRITABLE_TABLES)[number];

const existingTables = new WeakMap<TestService, Promise<Set<string>>>();

export async function rowCounts(test: TestService): Promise<Partial<Record<WritableTable, number>>> {
  const { db } = test.service.context;
  let existing = existingTables.get(test);
  if (!existing) {
    existing = db
      .executeSql("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
      .then(({ rows }) => new Set((rows as { table_name: string }[]).map((row) => row.table_name)));
    existingTables.set(test, existing);
  }
  const tables = await existing;
  const present = WRITABLE_TABLES.filter((table) => tables.has(table));
  // One query for all: the suites count before and after many requests.
  const [row] = (await db.executeSql(`SELECT ${present.map((table) => `(SELECT count(*) FROM ${table}) AS ${table}`).join(', ')}`)).rows as Record<string, number | string>[];
  return Object.fromEntries(present.map((table) => [table, Number(row?.[table])]));
}

/** Runs a property and then checks that no table grew, except those the caller allows. */
export async function assertNothingWritten(test: TestService, run: () => Promise<void>, except: readonly WritableTable[] = []): Promise<void> {
  const before = await rowCounts(test);
  await run();
  const after = await rowCounts(test);
  for (const table of Object.keys(before) as WritableTable[]) {
    if (except.includes(table)) continue;
    assert.ok((after[table] ?? 0) <= (before[table] ?? 0), `${table}: ${before[table]} rows before, ${after[table]} after`);
  }
}
