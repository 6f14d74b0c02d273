import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildFormulaireQfXml } from './xml.ts';
import { elementName, escapeText, rubyFloatToString, singularize, toRailsXml } from './rails-xml.ts';
import { angelaAsInTheContract, inputFor, oddButUsable } from './test-fixtures.ts';

/** Written by hand from the rules of §3 (Rails Hash#to_xml), for the contract's §2 example. */
const ANGELA_XML = `<?xml version="1.0" encoding="UTF-8"?>
<hash>
  <external-id>dossier-4242</external-id>
  <pivot-identity>
    <birthcountry>99100</birthcountry>
    <birthdate>1962-08-24</birthdate>
    <birthplace>75107</birthplace>
    <family-name>DUBOIS</family-name>
    <given-name>Angela Claire Louise</given-name>
    <gender>female</gender>
  </pivot-identity>
  <quotient-familial-v3>
    <allocataires type="array">
      <allocataire>
        <nom-naissance>DUBOIS</nom-naissance>
        <nom-usage nil="true"/>
        <prenoms>ANGELA CLAIRE LOUISE</prenoms>
        <date-naissance>1962-08-24</date-naissance>
        <sexe>F</sexe>
      </allocataire>
    </allocataires>
    <enfants type="array"/>
    <quotient-familial>
      <fournisseur>CNAF</fournisseur>
      <valeur type="integer">2550</valeur>
      <annee type="integer">2024</annee>
      <mois type="integer">2</mois>
      <annee-calcul type="integer">2024</annee-calcul>
      <mois-calcul type="integer">12</mois-calcul>
    </quotient-familial>
    <version>v3</version>
  </quotient-familial-v3>
  <quotient-familial>
    <regime>CNAF</regime>
    <allocataires type="array">
      <allocataire>
        <nomNaissance>DUBOIS</nomNaissance>
        <nomUsuel nil="true"/>
        <prenoms>ANGELA CLAIRE LOUISE</prenoms>
        <anneeDateDeNaissance>1962</anneeDateDeNaissance>
        <moisDateDeNaissance>08</moisDateDeNaissance>
        <jourDateDeNaissance>24</jourDateDeNaissance>
        <sexe>F</sexe>
      </allocataire>
    </allocataires>
    <enfants type="array"/>
    <quotientFamilial type="integer">2550</quotientFamilial>
    <annee type="integer">2024</annee>
    <mois type="integer">2</mois>
    <version>v2</version>
  </quotient-familial>
</hash>
`;

/** Vincent, born abroad, with no external_id: nil, empty string, and one child. */
const VINCENT_XML_HEAD = `<?xml version="1.0" encoding="UTF-8"?>
<hash>
  <external-id nil="true"/>
  <pivot-identity>
    <birthcountry>99352</birthcountry>
    <birthdate>1963-12-05</birthdate>
    <birthplace></birthplace>
    <family-name>MARTIN</family-name>
    <given-name>Vincent Guillaume</given-name>
    <gender>male</gender>
  </pivot-identity>
`;

describe('FormulaireQF.xml', () => {
  it("is exactly Rails' to_xml of the contract's example (Angela)", () => {
    assert.equal(buildFormulaireQfXml(angelaAsInTheContract()), ANGELA_XML);
    // A family transmitting again: only the PDF says it, the XML stays as communes parse it.
    const again = { ...angelaAsInTheContract(), previousTransmissionAt: new Date('2026-11-20T08:15:00Z') };
    assert.equal(buildFormulaireQfXml(again), ANGELA_XML);
  });

  it('writes nil for null, an open/close pair for an empty string (Vincent)', () => {
    assert.ok(buildFormulaireQfXml(inputFor('vincent')).startsWith(VINCENT_XML_HEAD));
  });

  it('writes the returned `adresse` as a nested hash with its nils (Angela, sandbox data)', () => {
    const xml = buildFormulaireQfXml(inputFor('angela'));
    assert.ok(
      xml.includes(`    <enfants type="array"/>
    <adresse>
      <destinataire>Madame DUBOIS ANGELA</destinataire>
      <complement-information nil="true"/>
      <complement-information-geographique nil="true"/>
      <numero-libelle-voie>1 RUE MONTORGUEIL</numero-libelle-voie>
      <lieu-dit nil="true"/>
      <code-postal-ville>75002 PARIS</code-postal-ville>
      <pays>FRANCE</pays>
    </adresse>
    <quotient-familial>
`),
      xml,
    );
  });

  it('names each array item with the singular of its key (Jeanne: two allocataires, two children)', () => {
    const xml = buildFormulaireQfXml(inputFor('jeanne'));
    assert.equal(xml.match(/<allocataire>/g)?.length, 4); // v3 and v2 blocks
    assert.equal(xml.match(/<enfant>/g)?.length, 4);
    assert.ok(xml.includes(`    <enfants type="array">
      <enfant>
        <nom-naissance>ROUX</nom-naissance>
        <nom-usage nil="true"/>
        <prenoms>ALEXIS VINCENT</prenoms>
        <date-naissance>2016-04-20</date-naissance>
        <sexe>M</sexe>
      </enfant>
      <enfant>
`));
  });

  it('writes an odd but usable answer whole: the float, the nil first names, the unknown fields, the null birthplace', () => {
    const xml = buildFormulaireQfXml(oddButUsable());
    for (const fragment of [
      '<external-id>  DOSSIER 42 </external-id>',
      '<birthplace nil="true"/>',
      '<valeur type="float">2550.75</valeur>',
      '<quotientFamilial type="float">2550.75</quotientFamilial>',
      '<prenoms nil="true"/>',
      '<date-naissance>1962-8-24</date-naissance>',
      '<rang type="integer">1</rang>',
      '      <regime-special>\n        <code>X1</code>\n        <actif type="boolean">true</actif>\n      </regime-special>',
      '    <nouvelle-rubrique type="array">\n      <nouvelle-rubrique>a</nouvelle-rubrique>\n      <nouvelle-rubrique type="integer">1</nouvelle-rubrique>\n      <nouvelle-rubrique nil="true"/>\n    </nouvelle-rubrique>',
    ]) {
      assert.ok(xml.includes(fragment), fragment);
    }
  });

  it('escapes text as the existing form’s files show it', () => {
    const xml = buildFormulaireQfXml({ ...inputFor('angela'), externalId: `A&B <c> "d" 'e' é\u0092\u0001` });
    assert.ok(xml.includes(`<external-id>A&amp;B &lt;c&gt; "d" 'e' é’\uFFFD</external-id>`), xml.slice(0, 200));
  });
});

describe('toRailsXml', () => {
  it('covers the types Rails knows: booleans, floats, empty hashes, nested arrays, plain arrays of strings', () => {
    const xml = toRailsXml({ ok_flag: true, ratio: 2.5, big: 1e20, empty_hash: {}, prenoms: ['David'], matrix: [[1]], gone: undefined });
    assert.equal(
      xml,
      `<?xml version="1.0" encoding="UTF-8"?>
<hash>
  <ok-flag type="boolean">true</ok-flag>
  <ratio type="float">2.5</ratio>
  <big type="integer">100000000000000000000</big>
  <empty-hash>
  </empty-hash>
  <prenoms type="array">
    <prenom>David</prenom>
  </prenoms>
  <matrix type="array">
    <matrix type="array">
      <matrix type="integer">1</matrix>
    </matrix>
  </matrix>
</hash>
`,
    );
  });

  it('refuses values that JSON cannot hold', () => {
    assert.throws(() => toRailsXml({ when: new Date(0) }), TypeError);
  });

  it('writes a key that cannot be an element name with its impossible characters replaced, rather than failing', () => {
    assert.equal(
      toRailsXml({ 'bad key': 1, '<x': 2, '1st': 3, 'clé_été': 4 }),
      '<?xml version="1.0" encoding="UTF-8"?>\n<hash>\n  <bad-key type="integer">1</bad-key>\n  <_x type="integer">2</_x>\n  <_1st type="integer">3</_1st>\n  <clé-été type="integer">4</clé-été>\n</hash>\n',
    );
  });

  it('replaces the characters XML forbids with U+FFFD, as the existing form’s files do', () => {
    assert.equal(escapeText('a\u0000b\u0001c\uFFFEd\uD800e'), 'a\uFFFDb\uFFFDc\uFFFDd\uFFFDe');
    assert.equal(escapeText('tab\tline\nok'), 'tab\tline\nok');
  });

  it("dasherizes like ActiveSupport and singularizes the payload's keys", () => {
    assert.equal(elementName('quotient_familial_v3'), 'quotient-familial-v3');
    assert.equal(elementName('nomNaissance'), 'nomNaissance');
    assert.equal(elementName('_private_'), '_private_');
    assert.equal(singularize('allocataires'), 'allocataire');
    assert.equal(singularize('enfants'), 'enfant');
    assert.equal(singularize('categories'), 'category');
    // English rules, as ActiveSupport's inflector: a French plural is not always undone.
    assert.equal(singularize('adresses'), 'adress');
  });

  it("formats floats as Ruby's Float#to_s", () => {
    const cases: [number, string][] = [
      [2.5, '2.5'], [0.1, '0.1'], [-1.25, '-1.25'], [1e15 + 0.5, '1000000000000000.5'], [1.5e16, '1.5e+16'],
      [0.0001, '0.0001'], [0.00001, '1.0e-05'], [1.5e-7, '1.5e-07'], [1e100, '1.0e+100'], [123.456, '123.456'],
    ];
    for (const [value, expected] of cases) assert.equal(rubyFloatToString(value), expected, String(value));
  });

  it('produces text that always reads back to the same string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        const escaped = escapeText(s);
        assert.doesNotMatch(escaped, /[<>]|&(?!amp;|lt;|gt;)/);
        const unescaped = escaped.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
        assert.equal(unescaped, s);
      }),
    );
  });
});
