import { loadConfig, ConfigError } from './config/config.ts';
import { createLogger } from './logging.ts';
import { reportProcessFailures } from './observability/error-reporting.ts';
import { startService } from './service.ts';

/**
 * The service's process (`npm start`, `node dist/main.js` through src/main.ts): configuration, logs, failure
 * reporting, the service — and in the local installation the stand-ins of the systems it talks to —, signals.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config);
  reportProcessFailures(config, logger);
  const startedAt = performance.now();
  const service = await startService(config, logger);
  const lines = [
    `Formulaire QF est prêt en ${Math.round(performance.now() - startedAt)} ms (${config.env}, base ${service.databaseKind === 'embedded' ? `embarquée dans ${config.database.kind === 'embedded' ? config.database.dataDir : ''}` : 'PostgreSQL'})`,
    `  Application          ${config.http.publicUrl}`,
  ];
  if (config.sandbox.enabled) {
    const s = config.sandbox.publicUrl;
    lines.push(
      `  Bac à sable          ${s}`,
      `  FranceConnect        ${config.franceConnect.issuer}`,
      `  API Particulier      ${config.apiParticulier.baseUrl}`,
      `  HubEE API           ${config.hubee.apiUrl}   (jeton : ${config.hubee.tokenUrl})`,
      `  HubEE portail        ${s}/hubee/portail`,
      `  INSEE Sirene         ${config.insee.apiUrl}`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    await service.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Formulaire QF n'a pas pu démarrer : ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
