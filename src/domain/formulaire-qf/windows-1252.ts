/**
 * The 27 characters that Windows-1252 puts at bytes 0x80–0x9F, where Unicode (and ISO-8859-1) has C1
 * control codes. Both outputs need them: Rails' XML builder repairs C1 codes into these characters, and
 * PDF WinAnsiEncoding (Helvetica without an embedded font) can draw them.
 */
export const WINDOWS_1252_HIGH: ReadonlyMap<number, number> = new Map([
  [0x80, 0x20ac], [0x82, 0x201a], [0x83, 0x0192], [0x84, 0x201e], [0x85, 0x2026], [0x86, 0x2020],
  [0x87, 0x2021], [0x88, 0x02c6], [0x89, 0x2030], [0x8a, 0x0160], [0x8b, 0x2039], [0x8c, 0x0152],
  [0x8e, 0x017d], [0x91, 0x2018], [0x92, 0x2019], [0x93, 0x201c], [0x94, 0x201d], [0x95, 0x2022],
  [0x96, 0x2013], [0x97, 0x2014], [0x98, 0x02dc], [0x99, 0x2122], [0x9a, 0x0161], [0x9b, 0x203a],
  [0x9c, 0x0153], [0x9e, 0x017e], [0x9f, 0x0178],
]);

const WINDOWS_1252_HIGH_CODE_POINTS: ReadonlySet<number> = new Set(WINDOWS_1252_HIGH.values());

/** Whether WinAnsiEncoding has a glyph for this code point (printable characters only). */
export function isWinAnsiPrintable(codePoint: number): boolean {
  return (
    (codePoint >= 0x20 && codePoint <= 0x7e) ||
    (codePoint >= 0xa0 && codePoint <= 0xff) ||
    WINDOWS_1252_HIGH_CODE_POINTS.has(codePoint)
  );
}

/**
 * Text that Helvetica's WinAnsiEncoding can draw. PDFKit writes any other character as a broken code, so
 * letters outside it lose their accent when Unicode can decompose them (ő → o) and become `?` otherwise;
 * line breaks and tabs become spaces because each call draws one line.
 */
export function toWinAnsiText(text: string): string {
  let out = '';
  for (const char of text.normalize('NFC')) {
    const codePoint = char.codePointAt(0) ?? 0;
    if (isWinAnsiPrintable(codePoint)) out += char;
    else if (/\s/u.test(char)) out += ' ';
    else out += baseLetters(char);
  }
  return out;
}

function baseLetters(char: string): string {
  const stripped = char.normalize('NFD').replace(/\p{M}/gu, '');
  // A lone combining mark simply disappears; anything else without a drawable base letter becomes "?".
  if (stripped === '') return '';
  return [...stripped].every((c) => isWinAnsiPrintable(c.codePointAt(0) ?? 0)) ? stripped : '?';
}
