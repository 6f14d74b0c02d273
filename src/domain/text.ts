import { z } from 'zod';

/**
 * Text that may be stored: PostgreSQL's text and jsonb cannot hold U+0000 (the query fails, a 500), and no name
 * or label has any use for a control character. Line breaks and tabs are allowed only where asked (descriptions).
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex
const CONTROL_BUT_LINE_BREAKS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

export function hasControlCharacters(value: string, options: { allowLineBreaks?: boolean } = {}): boolean {
  return (options.allowLineBreaks ? CONTROL_BUT_LINE_BREAKS : CONTROL).test(value);
}

export const CONTROL_CHARACTERS_MESSAGE = 'Ce texte contient des caractères de contrôle.';

/** A zod string without control characters (line breaks and tabs allowed with `allowLineBreaks`). */
export function storableString(options: { allowLineBreaks?: boolean; error?: string } = {}) {
  return z.string(options.error ? { error: options.error } : undefined).refine((value) => !hasControlCharacters(value, options), CONTROL_CHARACTERS_MESSAGE);
}

/** The path of the first string (key or value) holding U+0000 anywhere in a JSON value, or null. */
export function pathOfNul(value: unknown, path: string[] = []): string[] | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = pathOfNul(item, [...path, String(index)]);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes('\u0000')) return [...path, '(clé)'];
      const found = pathOfNul(item, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}
