import { WINDOWS_1252_HIGH } from './windows-1252.ts';

/**
 * A hand-written equivalent of Ruby on Rails' `Hash#to_xml` (ActiveSupport + Builder 3), limited to the
 * values a JSON tree can hold, because éditeurs parse `FormulaireQF.xml` exactly as Rails wrote it:
 *
 * - declaration `<?xml version="1.0" encoding="UTF-8"?>`, root `<hash>`, two-space indentation, a newline
 *   after every tag including the last;
 * - keys dasherized (`external_id` → `external-id`), camelCase left alone;
 * - a nested hash is an element with no type attribute containing its children (an empty one still gets
 *   an opening and a closing line);
 * - strings have no type; integers `type="integer"`; non-integral numbers `type="float"` written as Ruby's
 *   `Float#to_s`; booleans `type="boolean"`; null `<key nil="true"/>`; an empty string `<key></key>`;
 * - arrays `type="array"`, each item named with the singular of the (dasherized) key, an empty array
 *   self-closed `<key type="array"/>`;
 * - text escaped as the existing form's files show it: C1 control codes read as Windows-1252, characters XML
 *   forbids replaced by U+FFFD (the replacement character), then `&`, `<`, `>` escaped (quotes are left alone);
 * - a key that cannot be an element name (API Particulier may add fields; their data is forwarded) has each
 *   impossible character replaced by `_`, so that the file stays well-formed; the JSON keeps the key exactly.
 *
 * JavaScript cannot tell `2550` from `2550.0` once parsed, so an integral number is always an integer.
 * Non-finite numbers become nil, as JSON.stringify turns them into null: the XML and the JSON must agree.
 */
export function toRailsXml(root: Readonly<Record<string, unknown>>): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  writeHash(out, 'hash', root, 0);
  return out.join('');
}

function writeHash(out: string[], name: string, hash: Readonly<Record<string, unknown>>, level: number): void {
  const pad = indent(level);
  out.push(`${pad}<${name}>\n`);
  for (const [key, value] of Object.entries(hash)) {
    // Undefined keys do not exist in the JSON either (JSON.stringify drops them).
    if (value !== undefined) writeValue(out, elementName(key), value, level + 1);
  }
  out.push(`${pad}</${name}>\n`);
}

function writeValue(out: string[], name: string, value: unknown, level: number): void {
  const pad = indent(level);
  if (value === null || (typeof value === 'number' && !Number.isFinite(value))) {
    out.push(`${pad}<${name} nil="true"/>\n`);
  } else if (typeof value === 'string') {
    out.push(`${pad}<${name}>${escapeText(value)}</${name}>\n`);
  } else if (typeof value === 'number') {
    const [type, text] = Number.isInteger(value) ? ['integer', BigInt(value).toString()] : ['float', rubyFloatToString(value)];
    out.push(`${pad}<${name} type="${type}">${text}</${name}>\n`);
  } else if (typeof value === 'boolean') {
    out.push(`${pad}<${name} type="boolean">${String(value)}</${name}>\n`);
  } else if (Array.isArray(value)) {
    writeArray(out, name, value, level);
  } else if (isPlainObject(value)) {
    writeHash(out, name, value, level);
  } else {
    throw new TypeError(`Cannot serialise a ${typeof value} as Rails XML (element <${name}>)`);
  }
}

function writeArray(out: string[], name: string, items: readonly unknown[], level: number): void {
  const pad = indent(level);
  if (items.length === 0) {
    out.push(`${pad}<${name} type="array"/>\n`);
    return;
  }
  out.push(`${pad}<${name} type="array">\n`);
  const child = singularize(name);
  // Rails writes an undefined array item (impossible in JSON) as nil; JSON.stringify writes null too.
  for (const item of items) writeValue(out, child, item === undefined ? null : item, level + 1);
  out.push(`${pad}</${name}>\n`);
}

function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

const indent = (level: number): string => '  '.repeat(level);

/** ActiveSupport's `dasherize` keeps leading and trailing underscores; inner underscores and spaces become dashes. */
export function elementName(key: string): string {
  const match = /^(_*)(.*?)(_*)$/s.exec(key);
  const name = match ? `${match[1] ?? ''}${(match[2] ?? '').replace(/[_ ]/g, '-')}${match[3] ?? ''}` : key;
  if (VALID_NAME.test(name)) return name;
  // Rails would write any key and break the éditeurs' parsers; a transmission must not fail on it either.
  const repaired = name.replace(/[^\p{L}\p{N}_.\-]/gu, '_');
  return /^[\p{L}_]/u.test(repaired) ? repaired : `_${repaired}`;
}

/** XML names as far as they matter here: a letter or `_`, then letters, digits, `_`, `.` or `-`. */
const VALID_NAME = /^[\p{L}_][\p{L}\p{N}_.\-]*$/u;

/**
 * The two array keys of the payload are pinned; the fallback covers the regular English plurals that
 * ActiveSupport's inflector handles the same way, for keys API Particulier might add later.
 */
const SINGULARS: ReadonlyMap<string, string> = new Map([
  ['allocataires', 'allocataire'],
  ['enfants', 'enfant'],
]);

export function singularize(name: string): string {
  const known = SINGULARS.get(name);
  if (known !== undefined) return known;
  if (/[^aeiouy]ies$/.test(name)) return `${name.slice(0, -3)}y`;
  if (/(?:x|ch|ss|sh)es$/.test(name)) return name.slice(0, -2);
  if (name.endsWith('s') && !name.endsWith('ss')) return name.slice(0, -1);
  return name;
}

const INVALID_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const C1_CONTROL = /[\u0080-\u009F]/g;

export function escapeText(text: string): string {
  return text
    .replace(C1_CONTROL, (c) => {
      const repaired = WINDOWS_1252_HIGH.get(c.charCodeAt(0));
      return repaired === undefined ? c : String.fromCodePoint(repaired);
    })
    .replace(INVALID_XML_CHAR, '\uFFFD')
    .replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/**
 * Ruby's `Float#to_s`: shortest round-trip digits (as JavaScript), fixed notation with at least one decimal
 * for exponents -4..15, otherwise `d.ddde+XX` with a two-digit minimum exponent.
 */
export function rubyFloatToString(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  const [mantissa = '0', exponentText = '0'] = Math.abs(value).toExponential().split('e');
  const exponent = Number(exponentText);
  const digits = mantissa.replace('.', '');
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  if (exponent >= -4 && exponent < 16) {
    const point = exponent + 1;
    const fixed =
      point <= 0
        ? `0.${'0'.repeat(-point)}${digits}`
        : point >= digits.length
          ? `${digits}${'0'.repeat(point - digits.length)}.0`
          : `${digits.slice(0, point)}.${digits.slice(point)}`;
    return `${sign}${fixed}`;
  }
  const fraction = digits.length > 1 ? digits.slice(1) : '0';
  const expSign = exponent < 0 ? '-' : '+';
  return `${sign}${digits[0]}.${fraction}e${expSign}${String(Math.abs(exponent)).padStart(2, '0')}`;
}
