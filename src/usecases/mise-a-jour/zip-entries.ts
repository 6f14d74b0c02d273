import { inflateRawSync } from 'node:zlib';

/**
 * The files of a zip archive (the HubEE portal's download of several télédossiers), read from its central
 * directory with node:zlib: no library for a format this small. Only what such an archive needs: stored or
 * deflated entries, no encryption, no ZIP64, no multi-disk. Sizes are bounded before and during inflation, so
 * that a zip bomb is refused with a clear message instead of filling the memory.
 */
export interface ZipLimits {
  maxEntries: number;
  /** Uncompressed, per entry that is read. */
  maxEntryBytes: number;
  /** Uncompressed, all entries read together. */
  maxTotalBytes: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 20_000, maxEntryBytes: 1024 * 1024, maxTotalBytes: 64 * 1024 * 1024 };

export type ZipReading = { ok: true; entries: { name: string; content: Buffer }[] } | { ok: false; message: string };

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

export function isZip(bytes: Buffer): boolean {
  return bytes.length >= 4 && bytes.readUInt32LE(0) === LOCAL;
}

/** The entries whose name `wanted` accepts (directories never), in the archive's order. */
export function readZipEntries(bytes: Buffer, wanted: (name: string) => boolean, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipReading {
  const broken: ZipReading = { ok: false, message: 'Cette archive zip est abîmée ou d’un format que nous ne lisons pas : téléchargez-la à nouveau depuis le portail HubEE.' };
  const eocd = findEndOfCentralDirectory(bytes);
  if (eocd < 0) return broken;
  const count = bytes.readUInt16LE(eocd + 10);
  const directorySize = bytes.readUInt32LE(eocd + 12);
  const directoryOffset = bytes.readUInt32LE(eocd + 16);
  if (count === 0xffff || directoryOffset === 0xffffffff) return { ok: false, message: 'Cette archive zip est au format ZIP64, que nous ne lisons pas : envoyez les fichiers FormulaireQF.json eux-mêmes, ou une archive plus petite.' };
  if (count > limits.maxEntries) return { ok: false, message: `Cette archive contient ${count} fichiers : c’est plus que les ${limits.maxEntries} acceptés. Envoyez-la en plusieurs fois.` };
  if (directoryOffset + directorySize > eocd) return broken;

  const entries: { name: string; content: Buffer }[] = [];
  let total = 0;
  let at = directoryOffset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== CENTRAL) return broken;
    const flags = bytes.readUInt16LE(at + 8);
    const method = bytes.readUInt16LE(at + 10);
    const compressedSize = bytes.readUInt32LE(at + 20);
    const size = bytes.readUInt32LE(at + 24);
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const commentLength = bytes.readUInt16LE(at + 32);
    const localOffset = bytes.readUInt32LE(at + 42);
    const name = bytes.subarray(at + 46, at + 46 + nameLength).toString(flags & 0x800 ? 'utf8' : 'latin1');
    at += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith('/') || !wanted(name)) continue;
    if (flags & 0x1) return { ok: false, message: 'Cette archive zip est protégée par un mot de passe : envoyez-la sans mot de passe.' };
    if (size > limits.maxEntryBytes) return { ok: false, message: `Un fichier de l’archive est trop gros une fois décompressé (plus de ${Math.round(limits.maxEntryBytes / 1024)} Ko) : ce n’est pas un FormulaireQF.json.` };
    total += size;
    if (total > limits.maxTotalBytes) return { ok: false, message: `Cette archive est trop grosse une fois décompressée (plus de ${Math.round(limits.maxTotalBytes / 1024 / 1024)} Mo) : envoyez-la en plusieurs fois.` };
    if (localOffset + 30 > bytes.length || bytes.readUInt32LE(localOffset) !== LOCAL) return broken;
    const dataStart = localOffset + 30 + bytes.readUInt16LE(localOffset + 26) + bytes.readUInt16LE(localOffset + 28);
    const data = bytes.subarray(dataStart, dataStart + compressedSize);
    if (data.length !== compressedSize) return broken;
    let content: Buffer;
    if (method === 0) content = Buffer.from(data);
    else if (method === 8) {
      try {
        // The declared size may lie: inflation itself stops one byte past it.
        content = inflateRawSync(data, { maxOutputLength: size + 1 });
      } catch {
        return { ok: false, message: 'Un fichier de l’archive ne se décompresse pas à la taille annoncée : l’archive est abîmée ou piégée. Elle est refusée.' };
      }
    } else return { ok: false, message: 'Cette archive utilise une méthode de compression que nous ne lisons pas : recréez-la avec l’outil de compression habituel.' };
    if (content.length !== size) return { ok: false, message: 'Un fichier de l’archive ne se décompresse pas à la taille annoncée : l’archive est abîmée ou piégée. Elle est refusée.' };
    entries.push({ name, content });
  }
  return { ok: true, entries };
}

function findEndOfCentralDirectory(bytes: Buffer): number {
  // The record is 22 bytes, followed by a comment of at most 65,535.
  const lowest = Math.max(0, bytes.length - 22 - 0xffff);
  for (let at = bytes.length - 22; at >= lowest; at--) {
    if (bytes.readUInt32LE(at) === EOCD) return at;
  }
  return -1;
}
