/**
 * CSV for spreadsheets, safe against formula injection: a cell that starts with = + - @, a tab or a carriage
 * return would be run as a formula by Excel or LibreOffice, so it is prefixed with an apostrophe (OWASP's advice);
 * then RFC 4180 quoting. The BOM makes spreadsheets read the file as UTF-8 (accents).
 */
export function formulaSafeCell(value: string | number | null | undefined): string {
  const text = value === null || value === undefined ? '' : String(value);
  const neutral = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",;\r\n\t']/.test(neutral) ? `"${neutral.replaceAll('"', '""')}"` : neutral;
}

export function formulaSafeCsv(header: readonly string[], rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return `\uFEFF${[header, ...rows].map((row) => row.map(formulaSafeCell).join(',')).join('\r\n')}\r\n`;
}
