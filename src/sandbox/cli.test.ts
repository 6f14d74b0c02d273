import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { launchBrowser } from '../../test/e2e/support/browser.ts';
import { freePort } from '../../test/support/ports.ts';
import { main } from '../cli/formulaire-qf.ts';
import { PERSONAS } from './franceconnect/personas.ts';
import { parseSandboxArguments, startStandaloneSandbox, type RunningStandaloneSandbox } from './cli.ts';

/** `formulaire-qf sandbox`: the stand-ins alone, their home page, --reset, and /__faults only with --faults. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('formulaire-qf sandbox', () => {
  let dataDir: string;
  let sandbox: RunningStandaloneSandbox;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'fqf-sandbox-'));
    sandbox = await startStandaloneSandbox({ port: await freePort(), host: '127.0.0.1', dataDir, reset: false, faults: false }, {});
  });
  after(async () => {
    await sandbox.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('reads --port, --data-dir, --reset, --faults and refuses what is not a port', () => {
    const parsed = parseSandboxArguments(['--port', '4001', '--data-dir', 'here', '--reset']);
    assert.ok(parsed.ok);
    assert.equal(parsed.options.port, 4001);
    assert.equal(parsed.options.reset, true);
    assert.equal(parsed.options.faults, false);
    assert.match(parsed.options.dataDir, /here$/);
    assert.equal(parseSandboxArguments([]).ok && parseSandboxArguments([]).ok, true);
    const wrong = parseSandboxArguments(['--port', 'abc']);
    assert.ok(!wrong.ok && /--port/.test(wrong.error ?? ''));
    assert.ok(!parseSandboxArguments(['--nope']).ok);
  });

  it('is a subcommand of formulaire-qf, with its help in French', async () => {
    let out = '';
    const code = await main(['sandbox', '--help'], {}, { write: (t: string) => (out += t) }, { write: () => true });
    assert.equal(code, 0);
    assert.match(out, /Démarre seules les doublures/);
    assert.equal(await main(['sandbox', '--port', '0x'], {}, { write: () => true }, { write: () => true }), 2);
  });

  it('lists every service, credential, token and persona with what each triggers on its home page', async () => {
    const response = await fetch(`${sandbox.url.replace('localhost', '127.0.0.1')}/`);
    assert.equal(response.status, 200);
    const html = await response.text();
    for (const text of ['/franceconnect/api/v2', '/api-particulier', '/hubee/oauth2/token', '/insee/api-sirene', 'portail-commune', 'local-only-api-particulier-collectivite-qf', 'cnaf_qfv2', 'SI-21040107100019-04107', '200-usager-base-france_connect.yaml']) {
      assert.ok(html.includes(text), text);
    }
    for (const persona of PERSONAS) assert.ok(html.includes(`<code>${persona.login}</code>`), persona.login);
    assert.match(html, /Erreur 404 23003 : Dossier allocataire absent CNAF/);
  });

  it('keeps /__faults closed unless --faults asks for it (contracts: fault injection is test-only)', async () => {
    assert.equal((await fetch(`${sandbox.url.replace('localhost', '127.0.0.1')}/__faults`)).status, 404);
    const withFaults = await startStandaloneSandbox({ port: await freePort(), host: '127.0.0.1', dataDir, reset: false, faults: true }, {});
    try {
      assert.equal((await fetch(`${withFaults.url.replace('localhost', '127.0.0.1')}/__faults`)).status, 200);
    } finally {
      await withFaults.close();
    }
  });

  it('--reset empties the stand-ins’ state and nothing else', async () => {
    const other = await mkdtemp(join(tmpdir(), 'fqf-sandbox-reset-'));
    try {
      await mkdir(join(other, 'hubee'), { recursive: true });
      await writeFile(join(other, 'hubee', 'state.json'), '{}');
      await writeFile(join(other, 'notes.txt'), 'keep me');
      const restarted = await startStandaloneSandbox({ port: await freePort(), host: '127.0.0.1', dataDir: other, reset: true, faults: false }, {});
      await restarted.close();
      assert.equal(existsSync(join(other, 'notes.txt')), true);
      assert.equal(existsSync(join(other, 'hubee', 'state.json')) && readFileSync(join(other, 'hubee', 'state.json'), 'utf8') === '{}', false);
      assert.ok((await readdir(other)).includes('notes.txt'));
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  it('its home page passes axe: one main landmark, every part a labelled region', { skip: existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM}` }, async () => {
    const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext({ locale: 'fr-FR' });
      await context.addInitScript({ content: axeSource });
      const page = await context.newPage();
      await page.goto(`${sandbox.url.replace('localhost', '127.0.0.1')}/`, { waitUntil: 'load' });
      const violations = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => v.id + ' (' + v.impact + ')'))`)) as string[];
      assert.deepEqual(violations, []);
      assert.equal(await page.locator('main').count(), 1);
      assert.ok((await page.locator('section[aria-labelledby]').count()) >= 4);
    } finally {
      await browser.close();
    }
  });
});
