import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedServer } from '../src/db/embedded-postgres.ts';

/**
 * `npm test`: checks what the suite needs from the machine (in its first seconds, never ten minutes in), type-checks,
 * then runs every test file (or those given as arguments) on one PostgreSQL server: an embedded one started for the
 * run, or the server of TEST_DATABASE_URL. Each test file makes a database of its own there.
 */
const root = path.resolve(import.meta.dirname, '..');
const CHROMIUM = '/usr/bin/chromium';

function ensureMachinePackages(): void {
  const missing = [
    ...(existsSync(CHROMIUM) ? [] : ['chromium']),
    ...(onPath('pdftotext') ? [] : ['poppler-utils']),
  ];
  if (missing.length === 0) return;
  const command = `apt-get update && apt-get install -y ${missing.join(' ')}`;
  const canInstall = process.getuid?.() === 0 && onPath('apt-get');
  if (!canInstall) {
    process.stderr.write(`Les tests ont besoin de Debian ${missing.join(' et ')} (les tests dans le navigateur et la lecture des PDF).\nInstallez-les, puis relancez npm test :\n  sudo ${command}\n`);
    process.exit(1);
  }
  process.stdout.write(`Installation de ${missing.join(', ')} (apt-get), nécessaires aux tests…\n`);
  const run = spawnSync('sh', ['-c', `${command} >/dev/null`], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (run.status !== 0) {
    process.stderr.write(`L'installation a échoué. Lancez vous-même : ${command}\n`);
    process.exit(1);
  }
}

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function testFiles(args: readonly string[]): string[] {
  if (args.length > 0) return [...args];
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      if (entry === 'node_modules') continue;
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.test\.tsx?$/.test(entry)) found.push(path.relative(root, full));
    }
  };
  for (const dir of ['src', 'test']) walk(path.join(root, dir));
  return found.sort();
}

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', env });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

ensureMachinePackages();
const files = testFiles(process.argv.slice(2));
const typecheck = spawnSync(path.join(root, 'node_modules/.bin/tsc'), ['--noEmit'], { cwd: root, stdio: 'inherit' });
if (typecheck.status !== 0) process.exit(typecheck.status ?? 1);

let server: EmbeddedServer | null = null;
const env: NodeJS.ProcessEnv = { ...process.env };
if (!env.TEST_DATABASE_URL) {
  server = await startEmbeddedPostgres({ dataDir: null });
  env.TEST_DATABASE_URL = server.urlFor('postgres');
  env.TEST_DATABASE_KIND = 'embedded';
}
process.stdout.write(`Tests sur ${server ? 'le serveur PostgreSQL embarqué' : `le serveur de TEST_DATABASE_URL`}, Node ${process.version}\n`);
const concurrency = process.env.TEST_CONCURRENCY ?? '2';
const code = await run(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-timeout=300000', ...files], env);
await server?.stop();
process.exit(code);
