import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config.ts';
import { buildSandbox, STAND_INS } from './server.ts';

/**
 * `formulaire-qf sandbox` (and `npm run sandbox`): the stand-ins alone, without the app, for an éditeur to develop
 * against. The fault controls (`/__faults`) stay off unless `--faults` asks for them.
 */
export const SANDBOX_USAGE = `Usage : formulaire-qf sandbox [--port 3001] [--host 127.0.0.1] [--data-dir DOSSIER] [--reset] [--faults]

  Démarre seules les doublures de FranceConnect, API Particulier, HubEE (et son portail), INSEE et le portail de
  démonstration d'une commune, avec leurs données de test. La page d'accueil (http://localhost:PORT/) liste les
  services, identifiants, jetons et personnes de test, et ce que déclenche chacune.

  --port PORT        port d'écoute (défaut : 3001)
  --host HÔTE        adresse d'écoute (défaut : 127.0.0.1)
  --data-dir DOSSIER où garder l'état (télédossiers HubEE…) entre deux démarrages (défaut : ./data/sandbox)
  --reset            vide cet état avant de démarrer
  --faults           ouvre /__faults, l'injection de pannes réservée aux tests (jamais en production)
`;

export interface SandboxCommandOptions {
  port: number;
  host: string;
  dataDir: string;
  reset: boolean;
  faults: boolean;
}

export type Parsed = { ok: true; options: SandboxCommandOptions } | { ok: false; help: boolean; error: string | null };

export function parseSandboxArguments(argv: readonly string[]): Parsed {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string', default: '3001' },
        host: { type: 'string', default: '127.0.0.1' },
        'data-dir': { type: 'string', default: './data/sandbox' },
        reset: { type: 'boolean', default: false },
        faults: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return { ok: false, help: false, error: error instanceof Error ? error.message : String(error) };
  }
  if (values.help) return { ok: false, help: true, error: null };
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port < 1 || port > 65535) return { ok: false, help: false, error: `--port : un numéro de port entre 1 et 65535, pas « ${values.port} »` };
  if (values['data-dir'].trim() === '') return { ok: false, help: false, error: '--data-dir : un dossier est attendu' };
  return { ok: true, options: { port, host: values.host, dataDir: resolve(values['data-dir']), reset: values.reset, faults: values.faults } };
}

export interface RunningStandaloneSandbox {
  url: string;
  close(): Promise<void>;
}

export async function startStandaloneSandbox(
  options: SandboxCommandOptions,
  env: Record<string, string | undefined> = process.env,
): Promise<RunningStandaloneSandbox> {
  const publicUrl = `http://localhost:${options.port}`;
  const loaded = loadConfig({ ...env, APP_ENV: env.APP_ENV ?? 'local', SANDBOX_PORT: String(options.port), SANDBOX_URL: publicUrl });
  const config = { ...loaded, sandbox: { ...loaded.sandbox, host: options.host, dataDir: options.dataDir } };
  // Only the stand-ins' own folders go: a mistaken --data-dir never loses anything else.
  if (options.reset) await Promise.all(Object.keys(STAND_INS).map((name) => rm(join(options.dataDir, name), { recursive: true, force: true })));
  const app = await buildSandbox({ config, faultControl: options.faults });
  await app.listen({ host: options.host, port: options.port });
  return { url: publicUrl, close: () => app.close() };
}

/** Runs until interrupted (Ctrl+C); the exit code. */
export async function sandboxCommand(
  argv: readonly string[],
  env: Record<string, string | undefined> = process.env,
  say: (text: string) => void = (t) => process.stdout.write(`${t}\n`),
  warn: (text: string) => void = (t) => process.stderr.write(`${t}\n`),
): Promise<number> {
  const parsed = parseSandboxArguments(argv);
  if (!parsed.ok) {
    if (parsed.help) say(SANDBOX_USAGE);
    else warn(`${parsed.error}\n\n${SANDBOX_USAGE}`);
    return parsed.help ? 0 : 2;
  }
  if ((env.APP_ENV ?? 'local') === 'production') {
    warn('Le bac à sable ne démarre jamais avec APP_ENV=production.');
    return 2;
  }
  const running = await startStandaloneSandbox(parsed.options, env);
  say(`Bac à sable Formulaire QF : ${running.url}/ (état dans ${parsed.options.dataDir}${parsed.options.reset ? ', remis à zéro' : ''})`);
  if (parsed.options.faults) say(`Injection de pannes ouverte : ${running.url}/__faults`);
  say('Ctrl+C pour arrêter.');
  await new Promise<void>((done) => {
    const stop = () => done();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await running.close();
  return 0;
}
