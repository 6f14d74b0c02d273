import { ConfigError, loadConfig } from '../config/config.ts';
import { createPersonalDataCipher } from '../security/personal-data-cipher.ts';
import { migrateToLatest, openDatabase } from './database.ts';

/**
 * `node dist/db/migrate.js`: brings the database of DATABASE_URL to the latest schema and exits, for deployments that
 * migrate before starting instances. Safe to run while instances start (they migrate too, under the same lock).
 */
try {
  const config = loadConfig();
  const db = await openDatabase(config.database);
  try {
    await migrateToLatest(db, { cipher: createPersonalDataCipher(config.secrets.personalDataKey) });
    process.stdout.write('Base de données à jour.\n');
  } finally {
    await db.close();
  }
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.message : `Migration impossible : ${error instanceof Error ? error.message : String(error)}`}\n`);
  process.exitCode = 1;
}
