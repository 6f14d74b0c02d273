import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildFormulaireQfJson } from '../../domain/formulaire-qf/json.ts';
import { inputFor } from '../../domain/formulaire-qf/test-fixtures.ts';
import { CSV_COLUMNS } from '../../editeur/identities.ts';
import { toCsv } from '../../editeur/csv.ts';
import { writeZip } from './testing/zip-writer.ts';
import { checkUpload } from './upload-check.ts';
import { readZipEntries } from './zip-entries.ts';

const csv = (rows: string[][], separator = ',') => Buffer.from(toCsv(CSV_COLUMNS, rows).replace(/,/g, separator), 'utf8');
const formulaire = (login: string, externalId: string | null = null) => JSON.stringify(buildFormulaireQfJson(inputFor(login, { externalId })));

describe('the check of a Mise à jour annuelle upload', () => {
  it('reads a CSV and names each refused line by its line in the file, quoted cells over several lines included', () => {
    const text = [
      CSV_COLUMNS.join(';'),
      'f-1;DUBOIS;;Angela Claire Louise;F;1962;8;24;99100;75107;;',
      'f-2;;;Olivier;M;1981;4;2;99100;69123;;',
      '"f-3";"MARTIN";"";"Jean\nPierre";"M";1990;13;40;99100;75107;;',
      '',
      'f-4;DURAND;;Lucie;X;1990;1;1;99100;;;',
      'f-5;LEROY;;Paul;M;1990;1;1;99134;;;',
    ].join('\r\n');
    const check = checkUpload([{ content: Buffer.from(text, 'utf8') }]);
    assert.deepEqual(check.fileErrors, []);
    assert.deepEqual(
      check.families.map((f) => [f.where, f.identity.id, f.identity.problem]),
      [['ligne 2', 'f-1', null], ['ligne 3', 'f-2', 'ligne_incomplete'], ['ligne 4', 'f-3', 'ligne_invalide'], ['ligne 7', 'f-4', 'ligne_incomplete'], ['ligne 8', 'f-5', null]],
    );
    assert.match(check.families[1]?.identity.messages.join(' ') ?? '', /Le nom de naissance est obligatoire/);
    assert.match(check.families[2]?.identity.messages.join(' ') ?? '', /Le mois de naissance va de 1 à 12/);
    assert.match(check.families[3]?.identity.messages.join(' ') ?? '', /Le sexe à l’état civil est obligatoire : M ou F/);
    assert.match(check.families[3]?.identity.messages.join(' ') ?? '', /Pour une personne née en France/);
    assert.deepEqual(check.families[0]?.identity.params?.prenoms, ['Angela', 'Claire', 'Louise']);
  });

  it('reads a CSV saved by a spreadsheet in Windows-1252', () => {
    const text = `${CSV_COLUMNS.join(';')}\r\nf-1;HÉLÈNE;;Zoé;F;1970;2;3;99100;75107;;\r\n`;
    const check = checkUpload([{ content: Buffer.from(text, 'latin1') }]);
    assert.equal(check.families[0]?.identity.params?.nomNaissance, 'HÉLÈNE');
  });

  it('refuses a file that is no CSV of families, with the columns it lacks, and an empty one', () => {
    const check = checkUpload([{ content: Buffer.from('nom,prénom\nDUBOIS,Angela\n') }, { content: Buffer.alloc(0) }, { content: csv([]) }]);
    assert.deepEqual(check.families, []);
    assert.deepEqual(check.fileErrors.map((e) => e.where), ['fichier 1', 'fichier 2', 'fichier 3']);
    assert.match(check.fileErrors[0]?.message ?? '', /il manque la ou les colonnes nomNaissance, prenoms, sexeEtatCivil, codeCogInseePaysNaissance/);
    assert.match(check.fileErrors[1]?.message ?? '', /vide/);
    assert.match(check.fileErrors[2]?.message ?? '', /aucune famille/);
  });

  it('reads FormulaireQF.json files, one or many, and says which one cannot be used', () => {
    const unspecified = JSON.stringify({ ...buildFormulaireQfJson(inputFor('angela')), pivot_identity: { ...buildFormulaireQfJson(inputFor('angela')).pivot_identity, gender: 'unspecified' } });
    const check = checkUpload([{ content: Buffer.from(formulaire('jeanne', 'DOSSIER-7')) }, { content: Buffer.from(unspecified) }, { content: Buffer.from('{"pivot_identity": ') }]);
    assert.deepEqual(check.families.map((f) => [f.where, f.identity.id, f.identity.problem]), [['fichier 1', 'DOSSIER-7', null], ['fichier 2', null, 'identite_inutilisable'], ['fichier 3', null, 'fichier_illisible']]);
    assert.match(check.families[1]?.identity.messages[0] ?? '', /sexe à l’état civil n’est pas connu/);
  });

  it('reads a zip of télédossiers as the HubEE portal gives it: the JSON files only, the folder as the key when there is no external id', () => {
    const zip = writeZip([
      { name: 'case-1/FormulaireQF.json', content: formulaire('jeanne') },
      { name: 'case-1/FormulaireQF.pdf', content: '%PDF-1.4' },
      { name: 'case-2/FormulaireQF.json', content: formulaire('cindy', 'DOSSIER-9') },
    ]);
    const check = checkUpload([{ content: zip }]);
    assert.deepEqual(check.fileErrors, []);
    assert.deepEqual(check.families.map((f) => [f.where, f.identity.id, f.identity.problem]), [['élément 1 de l’archive', 'case-1', null], ['élément 2 de l’archive', 'DOSSIER-9', null]]);
  });

  it('refuses a zip bomb before inflating it, and one whose entry inflates past its declared size', () => {
    const huge = writeZip([{ name: 'a/FormulaireQF.json', content: Buffer.alloc(10), declaredSize: 500 * 1024 * 1024 }]);
    const declared = checkUpload([{ content: huge }]);
    assert.match(declared.fileErrors[0]?.message ?? '', /trop gros une fois décompressé/);

    const lying = writeZip([{ name: 'a/FormulaireQF.json', content: Buffer.alloc(5 * 1024 * 1024, 0x20), declaredSize: 100 }]);
    const read = readZipEntries(lying, () => true);
    assert.equal(read.ok, false);
    assert.match(read.ok ? '' : read.message, /ne se décompresse pas à la taille annoncée/);

    const many = writeZip(Array.from({ length: 30 }, (_, i) => ({ name: `c${i}/FormulaireQF.json`, content: '{}' })));
    const tooMany = readZipEntries(many, () => true, { maxEntries: 20, maxEntryBytes: 1024, maxTotalBytes: 4096 });
    assert.match(tooMany.ok ? '' : tooMany.message, /30 fichiers/);
    const totalTooBig = readZipEntries(many, () => true, { maxEntries: 100, maxEntryBytes: 1024, maxTotalBytes: 40 });
    assert.match(totalTooBig.ok ? '' : totalTooBig.message, /trop grosse une fois décompressée/);
  });

  it('refuses a broken zip with a clear message', () => {
    const zip = writeZip([{ name: 'a/FormulaireQF.json', content: formulaire('jeanne') }]);
    const check = checkUpload([{ content: zip.subarray(0, zip.length - 30) }]);
    assert.match(check.fileErrors[0]?.message ?? '', /abîmée/);
  });
});
