import type { CollectivityRecord, CollectivityRepository } from '../db/repositories/collectivities.ts';
import type { LegacyShipmentStore } from '../db/repositories/legacy-import.ts';
import type { ShipmentStatusColumn } from '../db/schema.ts';
import { normalizeSearchText, parseCollectivity } from '../domain/collectivity.ts';
import { applyStatusUpdate } from '../domain/shipment-status.ts';
import { departementOfCodeCog, parseCodeCog } from '../domain/siret.ts';
import { parseCsv } from '../editeur/csv.ts';

/**
 * Moving over from the existing national form: its collectivities, and its shipments' references and statuses so
 * that the follow-up links families kept still answer. Both read an export of the old database (CSV with a header
 * line, or JSON), under the old column names. Running it twice changes nothing the second time; a dry run reports
 * the same plan without writing.
 */
export type ImportAction = 'create' | 'update' | 'skip';

export interface ImportLine {
  /** 1 for the first record (the header line of a CSV is not counted). */
  readonly record: number;
  /** The SIRET or the reference, as read. */
  readonly key: string;
  readonly action: ImportAction;
  /** In French, for the operator. */
  readonly reason: string;
}

export interface ImportReport {
  readonly lines: readonly ImportLine[];
  readonly counts: Readonly<Record<ImportAction, number>>;
}

type Row = Readonly<Record<string, unknown>>;

/** The records of an export: a CSV with a header line, or a JSON array (or an object holding one array). */
export function readExport(text: string, format: 'csv' | 'json'): Row[] {
  if (format === 'csv') return parseCsv(text);
  const parsed: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
  const list = Array.isArray(parsed) ? parsed : typeof parsed === 'object' && parsed !== null ? Object.values(parsed).find(Array.isArray) : undefined;
  if (!Array.isArray(list)) throw new Error('le fichier JSON ne contient pas de liste d’enregistrements');
  return list.map((item) => (typeof item === 'object' && item !== null && !Array.isArray(item) ? (item as Row) : {}));
}

/** A cell as text: trimmed, numbers written back (a JSON export may hold the SIRET as a number). */
function cell(row: Row, ...names: string[]): string {
  for (const name of names) {
    const value = row[name];
    if (typeof value === 'string') return value.trim();
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  }
  return '';
}

/** A spreadsheet drops the leading zero of 04107 or 04270: put it back when the rest is plainly a code. */
const padded = (value: string, length: number): string => (/^\d+$/.test(value) && value.length === length - 1 ? `0${value}` : value);

/** The old export may hold one return link, several (space, comma or `|` separated), or a JSON array of them. */
function returnLinks(row: Row): string[] {
  for (const name of ['allowed_redirect_prefixes', 'redirect_uri_prefixes', 'redirect_uris', 'redirect_uri', 'lien_de_retour']) {
    const value = row[name];
    if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string').map((v) => v.trim()).filter((v) => v !== '');
    if (typeof value === 'string' && value.trim() !== '') return value.split(/[\s,|]+/).filter((v) => v !== '');
  }
  return [];
}

/** A return-link prefix the service can use: https (http only on the local machine), no query, no fragment. */
function isUsablePrefix(prefix: string, allowLocalHttp: boolean): boolean {
  try {
    const url = new URL(prefix);
    const local = allowLocalHttp && url.protocol === 'http:' && ['localhost', '127.0.0.1'].includes(url.hostname);
    return (url.protocol === 'https:' || local) && url.search === '' && url.hash === '' && url.username === '' && !/\s/.test(prefix);
  } catch {
    return false;
  }
}

const FIELD_LABELS: Record<string, string> = {
  siret: 'SIRET',
  codeCog: 'code COG',
  name: 'nom',
  departement: 'département',
  codePostal: 'code postal',
  status: 'statut',
  editor: 'éditeur',
  allowedRedirectPrefixes: 'liens de retour',
};

function counted(lines: ImportLine[]): ImportReport {
  const counts = { create: 0, update: 0, skip: 0 };
  for (const line of lines) counts[line.action]++;
  return { lines, counts };
}

export async function importCollectivities(
  deps: { collectivities: Pick<CollectivityRepository, 'findBySiret' | 'upsert'> },
  rows: readonly Row[],
  options: { dryRun: boolean; allowTestSirets: boolean },
): Promise<ImportReport> {
  const lines: ImportLine[] = [];
  // What the file has planned so far: a dry run must decide the second occurrence of a SIRET as the real run would.
  const planned = new Map<string, CollectivityRecord>();
  for (const [index, row] of rows.entries()) {
    const record = index + 1;
    const siret = cell(row, 'siret').replace(/\s/g, '');
    const codeCog = padded(cell(row, 'code_cog', 'cog').toUpperCase(), 5);
    const cog = parseCodeCog(codeCog);
    const departement = padded(cell(row, 'departement'), 2) || (cog.ok ? (departementOfCodeCog(cog.value) ?? '') : '');
    const links = returnLinks(row);
    const badLinks = links.filter((l) => !isUsablePrefix(l, options.allowTestSirets));
    const skip = (reason: string) => lines.push({ record, key: siret || '(sans SIRET)', action: 'skip', reason });
    if (badLinks.length > 0) {
      skip(`lien de retour inutilisable (https, sans paramètres ni ancre) : ${badLinks.join(' ')}`);
      continue;
    }
    const parsed = parseCollectivity(
      {
        siret,
        codeCog,
        name: cell(row, 'name', 'nom'),
        departement,
        codePostal: padded(cell(row, 'code_postal', 'postal_code'), 5),
        status: cell(row, 'status', 'statut').toLowerCase(),
        editor: cell(row, 'editor', 'editeur') || null,
        allowedRedirectPrefixes: links,
      },
      { allowTestSirets: options.allowTestSirets },
    );
    if (!parsed.ok) {
      skip(`invalide : ${parsed.error.map((f) => FIELD_LABELS[f] ?? f).join(', ')}`);
      continue;
    }
    const incoming = parsed.value;
    const existing = planned.get(incoming.siret) ?? (await deps.collectivities.findBySiret(incoming.siret));
    // What this service knows and the export does not (a postal code, return links added since) is kept.
    const next: CollectivityRecord = {
      ...incoming,
      codePostal: incoming.codePostal || (existing?.codePostal ?? ''),
      allowedRedirectPrefixes: [...new Set([...(existing?.allowedRedirectPrefixes ?? []), ...incoming.allowedRedirectPrefixes])],
    };
    const changed = existing ? (Object.keys(FIELD_LABELS) as (keyof CollectivityRecord)[]).filter((f) => JSON.stringify(existing[f]) !== JSON.stringify(next[f])) : [];
    if (existing && changed.length === 0) {
      skip('déjà à jour');
      continue;
    }
    planned.set(next.siret, next);
    if (!options.dryRun) await deps.collectivities.upsert(next, normalizeSearchText(next.name));
    lines.push(
      existing
        ? { record, key: next.siret, action: 'update', reason: `modifié : ${changed.map((f) => FIELD_LABELS[f] ?? f).join(', ')}` }
        : { record, key: next.siret, action: 'create', reason: `nouvelle collectivité (${next.status === 'active' ? 'active' : 'inactive'})` },
    );
  }
  return counted(lines);
}

/**
 * The old form's `hubee_status` values and ours. Its `pending` is a shipment that never reached HubEE: nothing can
 * retry it here (the data stayed in the old service), so its follow-up page says it failed and what to do.
 */
const OLD_STATUS: Readonly<Record<string, ShipmentStatusColumn>> = {
  pending: 'failed',
  failed: 'failed',
  sent: 'SENT',
  si_received: 'SI_RECEIVED',
  in_progress: 'IN_PROGRESS',
  done: 'DONE',
  refused: 'REFUSED',
};

/** Rails stores its timestamps in UTC, and a database export writes them without a zone: read them as UTC. */
function dateOf(value: string): Date | null {
  if (value === '') return null;
  const naive = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/.test(value);
  const date = new Date(naive ? `${value.replace(' ', 'T')}Z` : value);
  return Number.isNaN(date.getTime()) ? null : date;
}

export async function importShipments(
  deps: { shipments: LegacyShipmentStore; collectivities: Pick<CollectivityRepository, 'findBySiret'> },
  rows: readonly Row[],
  options: { dryRun: boolean; now: Date; retentionDays: number; siretOfOldCollectivityId?: ReadonlyMap<string, string> },
): Promise<ImportReport> {
  const lines: ImportLine[] = [];
  const planned = new Map<string, ShipmentStatusColumn>();
  const oldestKept = options.now.getTime() - options.retentionDays * 24 * 3600 * 1000;
  for (const [index, row] of rows.entries()) {
    const record = index + 1;
    const reference = cell(row, 'reference').toUpperCase();
    const skip = (reason: string) => lines.push({ record, key: reference || '(sans référence)', action: 'skip', reason });
    if (!/^[0-9A-F]{13}$/.test(reference)) {
      skip('référence invalide (13 caractères de 0 à 9 et de A à F)');
      continue;
    }
    const oldStatus = cell(row, 'hubee_status', 'status', 'statut').toLowerCase();
    const status = OLD_STATUS[oldStatus];
    if (status === undefined) {
      skip(`statut inconnu : ${oldStatus || '(vide)'}`);
      continue;
    }
    const oldId = cell(row, 'collectivity_id');
    const siret = cell(row, 'collectivity_siret', 'siret') || (oldId !== '' ? (options.siretOfOldCollectivityId?.get(oldId) ?? '') : '');
    if (siret === '') {
      skip(oldId !== '' ? `collectivité ${oldId} de l’ancien service introuvable (donner son export avec --collectivites)` : 'collectivité absente');
      continue;
    }
    if (!(await deps.collectivities.findBySiret(siret))) {
      skip(`collectivité ${siret} inconnue ici : importer d’abord les collectivités`);
      continue;
    }
    const createdAt = dateOf(cell(row, 'created_at'));
    if (createdAt === null) {
      skip('date de création absente ou illisible');
      continue;
    }
    if (createdAt.getTime() < oldestKept) {
      skip(`plus ancien que la durée de conservation (${options.retentionDays} jours) : il serait effacé aussitôt`);
      continue;
    }
    const statusUpdatedAt = dateOf(cell(row, 'updated_at')) ?? createdAt;
    const current = planned.get(reference) ?? (await deps.shipments.findShipment(reference))?.status;
    if (current === undefined) {
      planned.set(reference, status);
      if (!options.dryRun) {
        await deps.shipments.insertShipment({
          reference,
          collectivitySiret: siret,
          status,
          hubeeFolderId: cell(row, 'hubee_folder_id') || null,
          hubeeCaseId: cell(row, 'hubee_case_id') || null,
          createdAt,
          statusUpdatedAt,
        });
      }
      lines.push({ record, key: reference, action: 'create', reason: `suivi repris (${status}${oldStatus === 'pending' ? ', jamais parvenu à HubEE' : ''})` });
      continue;
    }
    const update = applyStatusUpdate(current, status);
    if (!update.ok) {
      skip(`a déjà ici un statut ultérieur (${current})`);
      continue;
    }
    if (!update.value.changed) {
      skip('déjà à jour');
      continue;
    }
    planned.set(reference, status);
    if (!options.dryRun) await deps.shipments.updateShipmentStatus(reference, status, statusUpdatedAt);
    lines.push({ record, key: reference, action: 'update', reason: `statut ${current} → ${status}` });
  }
  return counted(lines);
}

/** The old database's collectivity ids → SIRETs, from its collectivities export (its `id` column). */
export function siretsByOldId(rows: readonly Row[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const row of rows) {
    const id = cell(row, 'id');
    const siret = cell(row, 'siret').replace(/\s/g, '');
    if (id !== '' && siret !== '') map.set(id, siret);
  }
  return map;
}
