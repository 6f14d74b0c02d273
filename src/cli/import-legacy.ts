import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config.ts';
import { migrateToLatest, openDatabase, type Db } from '../db/database.ts';
import { createCollectivityRepository } from '../db/repositories/collectivities.ts';
import { createLegacyShipmentStore } from '../db/repositories/legacy-import.ts';
import { importCollectivities, importShipments, readExport, siretsByOldId, type ImportReport } from '../usecases/import-legacy.ts';

/**
 * The operator's move from the existing national form: `npx tsx src/cli/import-legacy.ts collectivites export.csv
 * --dry-run`, then without `--dry-run`; then the same with `envois`. It writes to the database of the
 * configuration (DATABASE_URL, or the embedded one in DATA_DIR), as the service does. Nothing personal is read:
 * the old shipments' exports hold references, statuses and dates only.
 */
const USAGE = `Usage : npx tsx src/cli/import-legacy.ts <collectivites|envois> FICHIER [options]

  collectivites FICHIER   Les collectivités de l'ancien service (colonnes name, siret, code_cog, status, editor,
                          departement ; en plus, si connus : code_postal, allowed_redirect_prefixes).
  envois FICHIER          Les envois de l'ancien service, pour que leurs liens de suivi répondent encore (colonnes
                          reference, hubee_status, created_at, updated_at, hubee_folder_id, hubee_case_id, et
                          collectivity_siret ou collectivity_id avec --collectivites).

  --dry-run               Dit ce qui serait créé, modifié ou ignoré, et pourquoi, sans rien écrire.
  --format csv|json       Par défaut, d'après l'extension du fichier (.json, sinon CSV).
  --collectivites FICHIER Pour envois : l'export des collectivités de l'ancien service, qui donne le SIRET de
                          chaque collectivity_id.

Relancer la même commande ne change rien de plus : ce qui est déjà à jour est ignoré.`;

const ACTION_LABELS = { create: 'créer', update: 'modifier', skip: 'ignorer' } as const;

export function describeReport(report: ImportReport, dryRun: boolean): string[] {
  const lines = report.lines.map((l) => `  enregistrement ${l.record} (${l.key}) : ${dryRun ? 'à ' : ''}${ACTION_LABELS[l.action]} (${l.reason})`);
  const { create, update, skip } = report.counts;
  lines.push(dryRun ? `Essai : ${create} à créer, ${update} à modifier, ${skip} à ignorer. Rien n'a été écrit.` : `${create} créé(s), ${update} modifié(s), ${skip} ignoré(s).`);
  return lines;
}

const formatOf = (path: string, given: string | undefined): 'csv' | 'json' => (given === 'json' || given === 'csv' ? given : path.toLowerCase().endsWith('.json') ? 'json' : 'csv');

export async function main(
  argv: readonly string[],
  io: { env?: Record<string, string | undefined>; say?: (line: string) => void; warn?: (line: string) => void; db?: Db; now?: Date } = {},
): Promise<number> {
  const say = io.say ?? ((line: string) => console.log(line));
  const warn = io.warn ?? ((line: string) => console.error(line));
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { 'dry-run': { type: 'boolean', default: false }, format: { type: 'string' }, collectivites: { type: 'string' }, help: { type: 'boolean', default: false } },
    });
  } catch (error) {
    warn(error instanceof Error ? error.message : String(error));
    warn(USAGE);
    return 2;
  }
  const [what, path] = parsed.positionals;
  if (parsed.values.help || (what !== 'collectivites' && what !== 'envois') || path === undefined || parsed.positionals.length !== 2) {
    (parsed.values.help ? say : warn)(USAGE);
    return parsed.values.help ? 0 : 2;
  }
  const dryRun = parsed.values['dry-run'];
  let rows;
  let oldIds: Map<string, string> | undefined;
  try {
    rows = readExport(await readFile(path, 'utf8'), formatOf(path, parsed.values.format));
    const collectivitiesExport = parsed.values.collectivites;
    if (collectivitiesExport !== undefined) oldIds = siretsByOldId(readExport(await readFile(collectivitiesExport, 'utf8'), formatOf(collectivitiesExport, undefined)));
  } catch (error) {
    warn(`Lecture impossible : ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }

  const config = loadConfig(io.env ?? process.env);
  const db = io.db ?? (await openDatabase(config.database));
  try {
    if (!io.db) await migrateToLatest(db);
    const collectivities = createCollectivityRepository(db);
    const allowTestSirets = config.env !== 'production';
    const report =
      what === 'collectivites'
        ? await importCollectivities({ collectivities }, rows, { dryRun, allowTestSirets })
        : await importShipments({ shipments: createLegacyShipmentStore(db), collectivities }, rows, {
            dryRun,
            now: io.now ?? new Date(),
            retentionDays: config.retention.shipmentDays,
            ...(oldIds ? { siretOfOldCollectivityId: oldIds } : {}),
          });
    for (const line of describeReport(report, dryRun)) say(line);
    if (!dryRun && what === 'collectivites' && report.counts.create + report.counts.update > 0) {
      say('La recherche des collectivités du service en marche les montre d’ici 30 secondes.');
    }
    return 0;
  } finally {
    if (!io.db) await db.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main(process.argv.slice(2));
}
