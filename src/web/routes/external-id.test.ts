import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { acceptExternalId } from './collectivities.ts';

describe('a commune’s external_id', () => {
  it('keeps printable ids exactly as sent, accents, punctuation and spaces included (contracts: forwarded unchanged)', () => {
    for (const id of ['DOSSIER-2024-0042', 'élève n° 12/B', 'abc def', '=1+1', ' DOSSIER 42 ']) assert.equal(acceptExternalId(id), id);
  });

  it('drops bidi overrides and isolates, C0 and C1 controls, zero-width and separator characters', () => {
    const hostile = ['ab\u202Ecd', 'ab\u2066cd\u2069', 'ab\u200Fcd', 'ab\u0085cd', 'ab\u009Bcd', 'ab\u0000cd', 'ab\u001Bcd', 'ab\u200Dcd', '\uFEFFab', 'ab\u2028cd', 'ab\uE000cd', 'ab\uD800cd'];
    for (const id of hostile) assert.equal(acceptExternalId(id), undefined, JSON.stringify(id));
  });

  it('drops what is not a string or too long', () => {
    assert.equal(acceptExternalId(['a']), undefined);
    assert.equal(acceptExternalId('x'.repeat(256)), undefined);
    assert.equal(acceptExternalId(''), undefined);
  });
});
