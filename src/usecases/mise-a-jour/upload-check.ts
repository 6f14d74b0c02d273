import { missingCsvColumns, readIdentityCsv, identityFromFormulaireQfJson, type ReadIdentity } from '../../editeur/identities.ts';
import { isZip, readZipEntries } from './zip-entries.ts';

/**
 * What the agent uploaded for the Mise à jour annuelle, read and checked before anything is sent: a CSV of
 * identities (the columns `qf refresh` reads), or last year's `FormulaireQF.json` files, one or many, or zips of
 * them as the HubEE portal downloads them. Each family comes with where it is in the upload ("ligne 12", "fichier
 * 3"), never a file name: an agent may have named a file after the family.
 */
export interface UploadedFile {
  content: Buffer;
}

export interface CheckedFamily {
  /** Where it was: "ligne 12", "fichier 2", "fichier 1, élément 7 de l’archive". */
  where: string;
  identity: ReadIdentity;
}

export interface UploadCheck {
  families: CheckedFamily[];
  /** Files refused as a whole (not a CSV of identities, a broken zip…). */
  fileErrors: { where: string; message: string }[];
}

export const MAX_FAMILIES = 10_000;

export function checkUpload(files: readonly UploadedFile[]): UploadCheck {
  const check: UploadCheck = { families: [], fileErrors: [] };
  const several = files.length > 1;
  files.forEach((file, index) => {
    const where = several ? `fichier ${index + 1}` : 'le fichier';
    if (file.content.length === 0) {
      check.fileErrors.push({ where, message: 'Ce fichier est vide.' });
    } else if (isZip(file.content)) {
      const zip = readZipEntries(file.content, (name) => /\.json$/i.test(name));
      if (!zip.ok) return void check.fileErrors.push({ where, message: zip.message });
      if (zip.entries.length === 0) return void check.fileErrors.push({ where, message: 'Cette archive ne contient aucun fichier FormulaireQF.json.' });
      zip.entries.forEach((entry, n) => {
        const inArchive = `${several ? `fichier ${index + 1}, ` : ''}élément ${n + 1} de l’archive`;
        const family = familyOfJson(entry.content, inArchive);
        // The case's folder in the archive is HubEE's id of the télédossier: the commune's key when the form had none.
        const folder = entry.name.split('/').slice(-2, -1)[0] ?? null;
        if (family.identity.id === null && folder) family.identity = { ...family.identity, id: folder };
        check.families.push(family);
      });
    } else if (looksLikeJson(file.content)) {
      check.families.push(familyOfJson(file.content, several ? `fichier ${index + 1}` : 'le fichier'));
    } else {
      const text = decodeText(file.content);
      const missing = missingCsvColumns(text);
      if (missing.length > 0) {
        return void check.fileErrors.push({ where, message: `Ce fichier n’est ni un CSV de familles ni un FormulaireQF.json : il manque la ou les colonnes ${missing.join(', ')}. Partez du modèle à télécharger.` });
      }
      const lines = readIdentityCsv(text);
      if (lines.length === 0) return void check.fileErrors.push({ where, message: 'Ce CSV ne contient aucune famille : seulement la ligne des titres.' });
      for (const { line, identity } of lines) check.families.push({ where: `${several ? `fichier ${index + 1}, ` : ''}ligne ${line}`, identity });
    }
  });
  if (check.families.length > MAX_FAMILIES) {
    return { families: [], fileErrors: [{ where: 'l’envoi', message: `L’envoi contient ${check.families.length} familles : c’est plus que les ${MAX_FAMILIES} acceptées en une fois. Découpez le fichier.` }] };
  }
  return check;
}

function looksLikeJson(content: Buffer): boolean {
  return /^\s*\{/.test(content.subarray(0, 64).toString('utf8').replace(/^\uFEFF/, ''));
}

function familyOfJson(content: Buffer, where: string): CheckedFamily {
  try {
    return { where, identity: identityFromFormulaireQfJson(JSON.parse(decodeText(content))) };
  } catch {
    return { where, identity: { id: null, externalId: null, params: null, problem: 'fichier_illisible', messages: ['Ce fichier JSON est illisible : il est coupé ou abîmé.'] } };
  }
}

/** UTF-8 as we write it; spreadsheets on Windows save CSV in Windows-1252, which is read as such. */
function decodeText(content: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(content).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('windows-1252').decode(content);
  }
}
