import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestService, type TestService } from '../support/service.ts';
import { freePort } from '../support/ports.ts';

/**
 * The éditeurs' guide, executed: every code block marked `<!-- guide-test: NAME -->` in docs/guide-editeurs.md is
 * taken from the guide as it is written and run against a local service. The webhook receiver (TypeScript) is
 * type-checked under `strict` and run as the guide says (`node recepteur.ts`); the shell blocks run in `sh` with
 * the guide's own values, only the addresses moved to this test's ports. Together they walk the éditeur's path:
 * register a webhook, send a test event, rotate the secret, send a test dossier, pull it, set its status, refresh
 * the QFs, and no delivery fails verification across the rotation.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const MAJASTRES = '21040107100019';

function guideBlocks(text: string): Map<string, string> {
  const blocks = new Map<string, string>();
  for (const match of text.matchAll(/<!-- guide-test: ([^ ]+) -->\n```[a-z]+\n([\s\S]*?)```\n/g)) blocks.set(match[1] ?? '', match[2] ?? '');
  return blocks;
}

describe('the éditeurs’ guide, its snippets executed against a local service', () => {
  let test: TestService;
  let work: string;
  let blocks: Map<string, string>;
  let port: number;
  let receiver: { process: ChildProcess; lines: string[] } | null = null;
  const state: { webhookId?: string; secret?: string; newSecret?: string; reference?: string } = {};

  /**
   * Runs one block of the guide in sh, in the working directory, with `formulaire-qf` being this checkout's.
   * Asynchronously: the service answering the block runs in this very process.
   */
  async function sh(name: string, env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
    const block = blocks.get(name);
    assert.ok(block, `no block ${name} in the guide`);
    const script = block.replaceAll('http://localhost:3000', test.appUrl).replaceAll('http://127.0.0.1:8080/hook', `http://127.0.0.1:${port}/hook`);
    const { config } = test.service.context;
    const child = spawn('sh', ['-c', script], {
      cwd: work,
      env: { PATH: `${join(work, 'bin')}:${process.env.PATH ?? ''}`, HOME: work, HUBEE_API_URL: config.hubee.apiUrl, HUBEE_TOKEN_URL: config.hubee.tokenUrl, API_PARTICULIER_URL: config.apiParticulier.baseUrl, ...env },
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    const code = await new Promise<number>((done) => child.once('close', (status) => done(status ?? -1)));
    return { code, out, err };
  }

  async function startReceiver(secrets: string[]): Promise<void> {
    await stopReceiver();
    const child = spawn(process.execPath, [join(work, 'recepteur.ts')], { cwd: work, env: { PORT: String(port), WEBHOOK_SECRETS: secrets.join(' ') }, stdio: ['ignore', 'pipe', 'inherit'] });
    const lines: string[] = [];
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => lines.push(...chunk.split('\n').filter(Boolean)));
    receiver = { process: child, lines };
    await until(async () => (await fetch(`http://127.0.0.1:${port}/hook`, { method: 'POST', body: '{}' }).catch(() => null))?.status === 401);
  }

  async function stopReceiver(): Promise<void> {
    if (!receiver) return;
    const { process: child } = receiver;
    receiver = null;
    if (child.exitCode !== null) return;
    await new Promise<void>((done) => {
      child.once('exit', () => done());
      child.kill();
    });
  }

  async function until<T>(probe: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value) return value;
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((done) => setTimeout(done, 50));
    }
  }

  const api = async (path: string, init: { method?: string; token?: string | null } = {}) => {
    const token = init.token === undefined ? test.service.context.config.secrets.apiToken : init.token;
    const response = await fetch(`${test.appUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.method === 'POST' ? { 'content-type': 'application/json' } : {}) },
      ...(init.method === 'POST' ? { body: '{}' } : {}),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  before(async () => {
    blocks = guideBlocks(await readFile(join(ROOT, 'docs/guide-editeurs.md'), 'utf8'));
    test = await startTestService({ HUBEE_POLL_SECONDS: '0.5', WEBHOOK_SWEEP_SECONDS: '0.2', WEBHOOK_RETRY_BASE_SECONDS: '0.2' });
    work = await mkdtemp(join(tmpdir(), 'fqf-guide-'));
    await symlink(join(ROOT, 'docs'), join(work, 'docs'));
    // `formulaire-qf` on the PATH, as once the package is installed: this checkout's command.
    await mkdir(join(work, 'bin'));
    await writeFile(join(work, 'bin', 'formulaire-qf'), `#!/bin/sh\nexec "${process.execPath}" "${ROOT}/bin/formulaire-qf.mjs" "$@"\n`, { mode: 0o755 });
    port = await freePort();
  });

  after(async () => {
    await stopReceiver();
    await test.stop();
    await rm(work, { recursive: true, force: true });
  });

  it('gives the local API token the service really has', () => {
    assert.match(blocks.get('webhook') ?? '', new RegExp(`API_TOKEN=${test.service.context.config.secrets.apiToken}\\n`));
  });

  it('its webhook receiver type-checks under strict with req.headers, and runs with node as the guide says', async () => {
    await writeFile(join(work, 'package.json'), '{"type": "module"}\n');
    await writeFile(join(work, 'recepteur.ts'), blocks.get('recepteur.ts') ?? '');
    const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '--noEmit', '--strict', '--target', 'es2023', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--types', 'node', '--typeRoots', join(ROOT, 'node_modules/@types'), join(work, 'recepteur.ts')], { encoding: 'utf8' });
    assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
    // With no secret it refuses everything (startReceiver waits for that 401).
    await startReceiver([]);
  });

  it('registers a webhook with curl, sends a test event the receiver verifies, and rotates the secret', async () => {
    const registered = await sh('webhook');
    assert.equal(registered.code, 0, registered.err);
    const endpoint = JSON.parse(registered.out) as { id: string; secret: string };
    state.webhookId = endpoint.id;
    state.secret = endpoint.secret;
    await startReceiver([endpoint.secret]);

    const both = await sh('test-et-secret', { API_TOKEN: test.service.context.config.secrets.apiToken, WEBHOOK_ID: endpoint.id });
    assert.equal(both.code, 0, both.err);
    const [testEvent, rotated] = both.out.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.equal(testEvent?.status, 'queued');
    assert.match(String(rotated?.secret), /^whsec_/);
    assert.notEqual(rotated?.secret, endpoint.secret);
    assert.ok(rotated?.previous_secret_valid_until);
    state.newSecret = String(rotated?.secret);
    // Whether the test event left before or after the rotation, the receiver with the old secret accepts it.
    await until(() => receiver?.lines.some((l) => l.startsWith('webhook.test')));
  });

  it('sends a test dossier with curl: announced (test) to the receiver still holding the old secret', async () => {
    const sent = await sh('dossier-de-test', { API_TOKEN: test.service.context.config.secrets.apiToken });
    assert.equal(sent.code, 0, sent.err);
    const body = JSON.parse(sent.out) as { reference: string; test: boolean; destination: string };
    assert.equal(body.test, true);
    assert.equal(body.destination, 'bac_a_sable', 'npm start keeps the sandbox for test dossiers, as the guide says');
    state.reference = body.reference;
    await until(() => receiver?.lines.includes(`transmission.sent ${body.reference} test`));

    // Marked as a test in the espace's list, and out of every count.
    const { transmissions } = test.service.context.espace;
    const today = new Date().toISOString().slice(0, 10);
    const period = { from: today, to: today };
    const listed = await transmissions.list(MAJASTRES, { period, status: null }, 10);
    assert.deepEqual(listed.map((t) => [t.reference, t.isTest, t.externalId]), [[body.reference, true, 'DOSSIER-DE-TEST']]);
    assert.deepEqual(await transmissions.countByStatus(MAJASTRES, period), []);
    assert.equal((await transmissions.eventTotals(MAJASTRES, period)).some((e) => e.kind === 'transmission.sent'), false);
  });

  it('pulls the dossier and sets its status with the guide’s commands; the receiver, now on the new secret, hears each step', async () => {
    await startReceiver([state.newSecret ?? '']);
    const pulled = await sh('pull');
    assert.equal(pulled.code, 0, pulled.err + pulled.out);
    assert.match(pulled.out, /1 télédossier téléchargé/);
    assert.match(pulled.out, /SI_RECEIVED → IN_PROGRESS/);
    assert.match(pulled.out, /IN_PROGRESS → DONE/);
    const [folder] = (await readdir(join(work, 'dossiers'))).filter((name) => name.startsWith('Formulaire-QF-'));
    assert.equal(folder, `Formulaire-QF-${state.reference}-01`);
    const directory = join(work, 'dossiers', folder ?? '');
    const json = JSON.parse(await readFile(join(directory, 'FormulaireQF.json'), 'utf8')) as { external_id: string; pivot_identity: { family_name: string } };
    assert.deepEqual([json.external_id, json.pivot_identity.family_name], ['DOSSIER-DE-TEST', 'TEST']);
    const pulledCase = JSON.parse(await readFile(join(directory, 'case.json'), 'utf8')) as { externalId: string; schema: { valid: boolean } };
    assert.equal(pulledCase.schema.valid, true, 'a test dossier is valid for the communes’ parsers');
    assert.equal(pulledCase.externalId, `Formulaire-QF-${state.reference}-01`, 'case.json’s externalId is HubEE’s');
    const pdf = (await readdir(directory)).find((name) => name.endsWith('.pdf')) ?? '';
    const text = spawnSync('pdftotext', [join(directory, pdf), '-'], { encoding: 'utf8' }).stdout;
    assert.match(text, /DOSSIER DE TEST/);
    assert.match(text, /Personne fictive/);

    // SI_RECEIVED, IN_PROGRESS, DONE: each verified by the receiver holding only the new secret.
    await until(() => (receiver?.lines.filter((l) => l === `transmission.status_changed ${state.reference} test`).length ?? 0) >= 3);
    // No delivery failed verification anywhere across the rotation: every one was taken with a 2xx.
    const deliveries = await until(async () => {
      const list = (await api(`/api/webhooks/${state.webhookId}/deliveries`)).body.data as { status: string; event_type: string }[];
      return list.length >= 5 && list.every((d) => d.status === 'delivered') ? list : null;
    });
    assert.deepEqual(deliveries.map((d) => d.event_type).sort(), ['transmission.sent', 'transmission.status_changed', 'transmission.status_changed', 'transmission.status_changed', 'webhook.test']);
  });

  it('refreshes QFs from the pulled dossiers and from the sample familles.csv', async () => {
    const refreshed = await sh('refresh');
    // The test persona is nobody at the CAF: the first command gets no QF (exit 4), the second gets three.
    assert.match(refreshed.out, /^1 personne : 0 QF obtenu ;/m);
    assert.match(refreshed.out, /^5 personnes : 3 QF obtenus ;/m);
    assert.equal(refreshed.code, 0, refreshed.err);
    const csv = await readFile(join(work, 'qf-familles.csv'), 'utf8');
    assert.match(csv, /famille-005,,ligne_incomplete,,sexeEtatCivil,/);
  });

  it('refuses the new routes without the token, and bad or unknown identifiers', async () => {
    for (const path of [`/api/webhooks/${state.webhookId}/test`, `/api/webhooks/${state.webhookId}/rotate-secret`, `/api/v2/collectivites/${MAJASTRES}/dossier-de-test`]) {
      assert.equal((await api(path, { method: 'POST', token: null })).status, 401, path);
      assert.equal((await api(path, { method: 'POST', token: 'wrong-token-wrong-token-wrong-token' })).status, 401, path);
    }
    assert.equal((await api('/api/webhooks/5d0b8c9e-0000-4000-8000-000000000000/test', { method: 'POST' })).status, 404);
    assert.equal((await api('/api/webhooks/5d0b8c9e-0000-4000-8000-000000000000/rotate-secret', { method: 'POST' })).status, 404);
    assert.equal((await api('/api/webhooks/not-an-id/rotate-secret', { method: 'POST' })).status, 400);
    assert.equal((await api('/api/v2/collectivites/21300000000009/dossier-de-test', { method: 'POST' })).status, 404);
    const bad = await api('/api/v2/collectivites/123/dossier-de-test', { method: 'POST' });
    assert.equal(bad.status, 400);
    assert.match(JSON.stringify(bad.body), /Le SIRET comporte 14 chiffres/);
    assert.equal(JSON.stringify((await api(`/api/webhooks/${state.webhookId}`)).body).includes(state.newSecret ?? 'x'), false, 'the new secret is shown once');
  });

  it('leaves nothing of the test persona or of the secrets in the logs', () => {
    const logs = test.logs.join('');
    for (const word of ['Dossier Fictif', state.secret ?? 'x', state.newSecret ?? 'x']) assert.equal(logs.includes(word), false, word);
  });
});
