/**
 * CSV as RFC 4180 writes it (comma, CRLF, double quotes doubled); also reads `;`-separated files from spreadsheets.
 * A text cell that a spreadsheet would take for a formula (starting with `=`, `+`, `-`, `@`, tab or CR: OWASP's
 * CSV injection list) is written with a leading `'`, which the spreadsheet shows as text: quotes alone do not stop
 * it. Numbers we computed are written as they are.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  const cell = (value: string | number | null | undefined) => {
    if (typeof value === 'number') return String(value);
    const raw = value ?? '';
    const text = /^[=+\-@\t\r]/.test(raw) ? `'${raw}` : raw;
    return /[",;\r\n\t']/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** Rows as objects keyed by the header line. */
export function parseCsv(text: string): Record<string, string>[] {
  return parseCsvWithLines(text).map((row) => row.record);
}

/**
 * Rows as objects keyed by the header line, each with the line of the file where it starts (1 is the header), so
 * that a check can say "ligne 12" even when a quoted cell spans several lines.
 */
export function parseCsvWithLines(text: string): { line: number; record: Record<string, string> }[] {
  const content = text.replace(/^\uFEFF/, '');
  const firstLine = content.split(/\r?\n/, 1)[0] ?? '';
  const separator = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const records: { line: number; cells: string[] }[] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  for (let i = 0; i < content.length; i++) {
    const c = content[i];
    if (quoted) {
      if (c === '"' && content[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"') quoted = true;
    else if (c === separator) {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && content[i + 1] === '\n') i++;
      record.push(field);
      records.push({ line: recordLine, cells: record });
      record = [];
      field = '';
      line++;
      recordLine = line;
    } else field += c;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push({ line: recordLine, cells: record });
  }
  const [header, ...rows] = records.filter((r) => r.cells.some((v) => v.trim() !== ''));
  if (!header) return [];
  const names = header.cells.map((h) => h.trim());
  return rows.map((r) => ({ line: r.line, record: Object.fromEntries(names.map((name, index) => [name, (r.cells[index] ?? '').trim()])) }));
}
