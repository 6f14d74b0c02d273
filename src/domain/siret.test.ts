import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import collectivites from '../sandbox/fixtures/collectivites.json' with { type: 'json' };
import {
  departementOfCodeCog,
  luhnValid,
  parseCodeCog,
  parseDepartementCode,
  parseSiret,
  type CodeCog,
} from './siret.ts';

/** The Luhn key that completes 13 digits into a valid 14-digit number. */
function withLuhnKey(thirteen: string): string {
  for (let key = 0; key <= 9; key++) if (luhnValid(`${thirteen}${key}`)) return `${thirteen}${key}`;
  throw new Error('unreachable: one key always fits');
}

describe('parseSiret', () => {
  it('accepts every real commune of the seed data', () => {
    for (const c of collectivites.collectivites.filter((c) => !('test' in c))) {
      assert.deepEqual(parseSiret(c.siret), { ok: true, value: c.siret }, c.name);
    }
  });

  it("refuses HubEE's test SIRETs unless they are explicitly allowed", () => {
    for (const siret of ['11111111111111', '11111111111112']) {
      assert.deepEqual(parseSiret(siret), { ok: false, error: 'bad-checksum' });
      assert.deepEqual(parseSiret(siret, { allowTestSirets: true }), { ok: true, value: siret });
    }
  });

  it('does not let the test allow-list widen to other Luhn-invalid numbers', () => {
    assert.equal(parseSiret('11111111111113', { allowTestSirets: true }).ok, false);
  });

  it('refuses anything but 14 digits', () => {
    for (const bad of ['', '2104010710001', '210401071000190', '2104010710001a', '21 040 107 100 019', '２１０４０１０７１０００１９']) {
      assert.deepEqual(parseSiret(bad), { ok: false, error: 'not-14-digits' }, bad);
    }
  });

  it('trims surrounding whitespace (copy-paste from a form)', () => {
    assert.deepEqual(parseSiret(' 21040107100019\n'), { ok: true, value: '21040107100019' });
  });

  it("applies La Poste's rule: head office by Luhn, other establishments by a digit sum multiple of 5", () => {
    assert.equal(parseSiret('35600000000048').ok, true);
    assert.equal(parseSiret('35600000049837').ok, true); // 3+5+6+4+9+8+3+7 = 45, not Luhn-valid
    assert.equal(luhnValid('35600000049837'), false);
    assert.equal(parseSiret('35600000049838').ok, false);
    // The special rule is La Poste's only: the same digits elsewhere need Luhn.
    assert.equal(parseSiret('45600000049827').ok, luhnValid('45600000049827'));
  });

  it('accepts any 13 digits completed with their Luhn key and catches any single changed digit', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^\d{13}$/).filter((s) => !s.startsWith('356000000')),
        fc.nat(13),
        fc.integer({ min: 1, max: 9 }),
        (thirteen, position, delta) => {
          const valid = withLuhnKey(thirteen);
          assert.equal(parseSiret(valid).ok, true);
          const digit = (Number(valid[position]) + delta) % 10;
          const altered = `${valid.slice(0, position)}${digit}${valid.slice(position + 1)}`;
          assert.deepEqual(parseSiret(altered), { ok: false, error: 'bad-checksum' });
        },
      ),
    );
  });
});

describe('parseCodeCog', () => {
  it('accepts the COG codes of the seed data, Corsica and overseas', () => {
    const codes = [...collectivites.collectivites.map((c) => c.code_cog), '2A004', '2B033', '97101', '97611', '98729', '97502'];
    for (const code of codes) assert.deepEqual(parseCodeCog(code), { ok: true, value: code }, code);
  });

  it('upper-cases Corsican codes', () => {
    assert.deepEqual(parseCodeCog('2a004'), { ok: true, value: '2A004' });
  });

  it('refuses malformed codes', () => {
    for (const bad of ['', '7510', '751077', '00123', '20004', '2C004', '2A0B4', 'AB123', '75 107', '2A04']) {
      assert.deepEqual(parseCodeCog(bad), { ok: false, error: 'bad-format' }, bad);
    }
  });
});

describe('parseDepartementCode and departementOfCodeCog', () => {
  it('accepts metropolitan, Corsican and overseas codes', () => {
    for (const code of ['01', '04', '19', '2A', '2B', '21', '75', '95', '971', '972', '973', '974', '976', '975', '987', '988']) {
      assert.equal(parseDepartementCode(code).ok, true, code);
    }
  });

  it('refuses codes that are not départements, such as the first two digits of an overseas postal code', () => {
    for (const code of ['00', '20', '96', '97', '98', '970', '979', '985', '1', '750', '2C']) {
      assert.equal(parseDepartementCode(code).ok, false, code);
    }
  });

  it('derives the département from the COG code', () => {
    const dep = (code: string): string | null => departementOfCodeCog(code as CodeCog);
    assert.equal(dep('04107'), '04');
    assert.equal(dep('2A004'), '2A');
    assert.equal(dep('97101'), '971');
    assert.equal(dep('98729'), '987');
    assert.equal(dep('11111'), '11');
  });
});
