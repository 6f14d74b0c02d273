import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import personas from '../../src/sandbox/fixtures/personas.json' with { type: 'json' };
import type { IdentitePivot } from '../../src/domain/identite-pivot.ts';
import { parseCsv, toCsv } from '../../src/editeur/csv.ts';
import { CSV_COLUMNS } from '../../src/editeur/identities.ts';
import { identityParamsFromPivot } from '../../src/integrations/api-particulier/identity-params.ts';
import { LOCAL_API_PARTICULIER_TOKENS } from '../../src/sandbox/api-particulier/index.ts';
import { personalDataIn } from '../support/personal-data.ts';
import { accessibilityProblems, agentBrowser, signIn } from './support/espace.ts';
import { browserSuite } from './support/suite.ts';

const MAJASTRES = '21040107100019';
const MIX = ['cindy', 'jeanne', 'vincent', 'elodie', 'olivier', 'paul'];

/** A CSV of the template's columns, one line per persona login given. */
function familiesCsv(logins: readonly string[], broken: Record<number, (row: string[]) => string[]> = {}): Buffer {
  const rows = logins.map((login, i) => {
    const found = personas.personas.find((p) => p.login === login);
    const params = found ? identityParamsFromPivot(found.claims as unknown as IdentitePivot) : null;
    if (!params) throw new Error(login);
    const row = [`famille-${i + 1}`, params.nomNaissance, '', params.prenoms.join(' '), params.sexeEtatCivil, String(params.anneeDateNaissance ?? ''), String(params.moisDateNaissance ?? ''), String(params.jourDateNaissance ?? ''), params.codeCogInseePaysNaissance, params.codeCogInseeCommuneNaissance ?? '', '', ''];
    return broken[i]?.(row) ?? row;
  });
  return Buffer.from(toCsv(CSV_COLUMNS, rows), 'utf8');
}
const mix = (count: number) => Array.from({ length: count }, (_, i) => MIX[i % MIX.length] ?? 'cindy');

async function upload(page: Page, appUrl: string, content: Buffer, name = 'familles.csv'): Promise<void> {
  await page.goto(`${appUrl}/espace/mise-a-jour`);
  await page.setInputFiles('#fichiers', { name, mimeType: 'text/csv', buffer: content });
  await page.getByRole('button', { name: 'Vérifier le fichier' }).click();
  await page.waitForLoadState();
}

async function waitForText(page: Page, text: RegExp, reload: boolean): Promise<void> {
  // The page follows the job by itself (script or meta refresh); the wait is for the job, not a timing guess.
  for (let i = 0; i < 600; i++) {
    if (text.test(await page.locator('main').innerText().catch(() => ''))) return;
    if (reload && i % 10 === 9) await page.reload();
    await page.waitForTimeout(200);
  }
  throw new Error(`the page never said ${text}`);
}

/** Polls an expression in the page (evaluated through the DevTools protocol: the page's CSP forbids eval). */
async function waitForCondition(page: Page, expression: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if ((await page.evaluate(expression)) === true) return;
    await page.waitForTimeout(100);
  }
  throw new Error(`never true: ${expression}`);
}

async function apiCalls(suite: ReturnType<typeof browserSuite>): Promise<number> {
  const { rows } = await suite.test.service.context.db.executeSql(`SELECT count(*)::int AS n FROM espace_journal WHERE action = 'api_particulier_call'`, []);
  return (rows[0] as { n: number }).n;
}

describe('the Mise à jour annuelle in a real browser', () => {
  const suite = browserSuite();
  // As an administrator registers it in Paramètres; Belley has none.
  before(() => suite.test.service.context.miseAJour.tokens.save(MAJASTRES, LOCAL_API_PARTICULIER_TOKENS.collectivity));

  it('shows each refused line with its line number and sends nothing before the agent confirms; a file that is no CSV of families is refused whole', async () => {
    const { context, page } = await agentBrowser(suite.browser, 360);
    try {
      await signIn(page, suite.test.appUrl, /Camille MARTIN/);
      await page.waitForURL(/\/espace\/transmissions$/);
      await upload(page, suite.test.appUrl, Buffer.from('nom;prénom\nDUBOIS;Angela\n'), 'liste.csv');
      const refused = await page.locator('main').innerText();
      assert.match(refused, /Le fichier n’a pas été accepté : rien n’a été enregistré ni envoyé/);
      assert.match(refused, /il manque la ou les colonnes nomNaissance/);

      const csv = familiesCsv(mix(6), { 1: (row) => row.map((v, i) => (i === 4 ? 'X' : v)), 4: (row) => row.map((v, i) => (i === 1 ? '' : v)) });
      await upload(page, suite.test.appUrl, csv);
      await page.waitForURL(/\/espace\/mise-a-jour\/[0-9a-f-]{36}$/);
      const check = await page.locator('main').innerText();
      assert.match(check, /4 familles peuvent être demandées/);
      assert.match(check, /ligne 3\s+Le sexe à l’état civil est obligatoire : M ou F\./);
      assert.match(check, /ligne 6\s+Le nom de naissance est obligatoire/);
      assert.equal(await apiCalls(suite), 0, 'nothing sent before confirmation');

      await page.getByRole('button', { name: 'Abandonner ce fichier' }).click();
      await page.waitForURL(/supprime=1/);
      assert.match(await page.locator('main').innerText(), /supprimés/);
      assert.equal(await apiCalls(suite), 0);
    } finally {
      await context.close();
    }
  });

  it('with JavaScript: confirm, the bar moves, the result downloads, then everything is deleted and no family is left in the database or the logs', async () => {
    const { context, page } = await agentBrowser(suite.browser, 1280);
    try {
      await signIn(page, suite.test.appUrl, /Camille MARTIN/);
      await page.waitForURL(/\/espace\/transmissions$/);
      await upload(page, suite.test.appUrl, familiesCsv(mix(120)));
      await page.waitForURL(/\/espace\/mise-a-jour\/[0-9a-f-]{36}$/);
      const batchUrl = page.url();
      await page.getByRole('button', { name: 'Confirmer et demander 120 QF' }).click();
      await page.waitForURL(batchUrl);
      const bar = page.locator('progress#avancement');
      assert.equal(await bar.getAttribute('max'), '120');
      // The script moves the bar without reloading the page (the same document, still "En cours"), then reloads it once the job is over.
      await page.evaluate('window.notReloaded = true');
      await waitForCondition(page, 'window.notReloaded === true && Number(document.getElementById("avancement").value) > 0 && document.body.innerText.includes("État : En cours")');
      await waitForText(page, /État : Terminée/, false);
      assert.equal(await page.locator('progress#avancement').getAttribute('value'), '120');
      const summary = await page.locator('main').innerText();
      assert.match(summary, /QF obtenus : 100/);
      assert.match(summary, /Inconnue de la CAF et de la MSA : 20/);

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /Télécharger le résultat/ }).click()]);
      const lines = parseCsv(readFileSync((await download.path()) ?? '', 'utf8'));
      assert.equal(lines.length, 120);
      assert.deepEqual(Object.keys(lines[0] ?? {}), ['id', 'external_id', 'statut', 'code_erreur', 'champ', 'http', 'fournisseur', 'quotient_familial', 'annee', 'mois', 'annee_calcul', 'mois_calcul', 'request_id', 'raison']);
      assert.deepEqual(lines.slice(0, 6).map((l) => l.statut), ['ok', 'ok', 'ok', 'ok', 'ok', 'not_found']);
      assert.ok((await apiCalls(suite)) >= 120);

      await page.reload();
      await page.getByRole('button', { name: /J’ai bien reçu le résultat : le supprimer/ }).click();
      await page.waitForURL(/supprime=1/);
      const db = suite.test.service.context.db;
      const { rows: tables } = await db.executeSql(`SELECT table_schema || '.' || table_name AS name FROM information_schema.tables WHERE table_schema IN ('public', 'pgboss') AND table_type = 'BASE TABLE'`, []);
      const dump: string[] = [];
      for (const { name } of tables as { name: string }[]) {
        const { rows } = await db.executeSql(`SELECT t::text AS line FROM ${name} t`, []);
        dump.push(...(rows as { line: string }[]).map((r) => r.line));
      }
      assert.ok(dump.length > 0);
      assert.deepEqual(personalDataIn(dump), [], 'no family in any table');
      assert.deepEqual(personalDataIn(suite.test.logs), [], 'no family in the logs');
      const { rows: left } = await db.executeSql('SELECT count(*)::int AS n FROM qf_refresh_families', []);
      assert.equal((left[0] as { n: number }).n, 0);
    } finally {
      await context.close();
    }
  });

  it('without JavaScript: the page refreshes itself, pause holds the job, resume finishes it, cancel stops another', async () => {
    const { context, page } = await agentBrowser(suite.browser, 360, { javaScript: false });
    try {
      await signIn(page, suite.test.appUrl, /Camille MARTIN/);
      await page.waitForURL(/\/espace\/transmissions$/);
      await upload(page, suite.test.appUrl, familiesCsv(mix(120)));
      await page.getByRole('button', { name: 'Confirmer et demander 120 QF' }).click();
      await page.getByRole('button', { name: 'Mettre en pause' }).click();
      await waitForText(page, /État : En pause/, false);
      assert.ok(!(await page.content()).includes('http-equiv="refresh"'), 'no refresh while paused');
      // Calls already in flight at the click end and are recorded; then the run gives its lease back and nothing more is asked.
      const batchId = new URL(page.url()).pathname.split('/').pop() ?? '';
      for (let i = 0; ; i++) {
        const { rows } = await suite.test.service.context.db.executeSql('SELECT lease_owner FROM qf_refresh_batches WHERE id = $1', [batchId]);
        if ((rows[0] as { lease_owner: string | null }).lease_owner === null) break;
        if (i > 600) throw new Error('the paused run never ended');
        await page.waitForTimeout(100);
      }
      await page.reload();
      const pausedAt = Number(await page.locator('progress#avancement').getAttribute('value'));
      assert.ok(pausedAt < 120, `paused at ${pausedAt}`);
      await page.reload();
      assert.equal(Number(await page.locator('progress#avancement').getAttribute('value')), pausedAt, 'nothing asked while paused');

      await page.getByRole('button', { name: 'Reprendre' }).click();
      assert.match(await page.content(), /<noscript><meta http-equiv="refresh" content="5"\/?><\/noscript>/);
      await waitForText(page, /État : Terminée/, false);

      await upload(page, suite.test.appUrl, familiesCsv(mix(120)));
      await page.getByRole('button', { name: 'Confirmer et demander 120 QF' }).click();
      await page.getByRole('button', { name: 'Annuler la mise à jour' }).click();
      await waitForText(page, /État : Annulée/, false);
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /Télécharger le résultat/ }).click()]);
      const lines = parseCsv(readFileSync((await download.path()) ?? '', 'utf8'));
      assert.equal(lines.length, 120);
      assert.ok(lines.some((l) => l.statut === 'annule'), 'families not asked are said so');
    } finally {
      await context.close();
    }
  });

  it('a second 429 stops the job and says when it may resume (persona René)', async () => {
    const { context, page } = await agentBrowser(suite.browser, 360);
    try {
      await signIn(page, suite.test.appUrl, /Camille MARTIN/);
      await page.waitForURL(/\/espace\/transmissions$/);
      await upload(page, suite.test.appUrl, familiesCsv(['jeanne', 'rene', 'cindy']));
      await page.getByRole('button', { name: 'Confirmer et demander 3 QF' }).click();
      await waitForText(page, /État : En pause/, false);
      assert.match(await page.locator('main').innerText(), /deux fois « trop de demandes » : la mise à jour est arrêtée pour protéger l’accès de la commune\. Vous pourrez la reprendre à partir du /);
    } finally {
      await context.close();
    }
  });

  it('another commune’s agent reaches none of Majastres’ batches by any URL, sees that no token is registered; posts without CSRF token are refused', async () => {
    const majastres = await agentBrowser(suite.browser, 360);
    const belley = await agentBrowser(suite.browser, 360);
    try {
      await signIn(majastres.page, suite.test.appUrl, /Camille MARTIN/);
      await majastres.page.waitForURL(/\/espace\/transmissions$/);
      await upload(majastres.page, suite.test.appUrl, familiesCsv(mix(3)));
      await majastres.page.waitForURL(/\/espace\/mise-a-jour\/[0-9a-f-]{36}$/);
      const batchUrl = majastres.page.url();

      const noToken = await majastres.page.request.post(`${suite.test.appUrl}/espace/mise-a-jour`, { multipart: { mois: '2026-01', fichiers: { name: 'f.csv', mimeType: 'text/csv', buffer: familiesCsv(mix(1)) } }, maxRedirects: 0 });
      assert.equal(noToken.status(), 403, 'an upload without the CSRF token');
      const forged = await majastres.page.request.post(`${batchUrl}/confirmer`, { form: { _csrf: 'forged' }, maxRedirects: 0 });
      assert.equal(forged.status(), 403, 'a confirmation with a forged token');

      await signIn(belley.page, suite.test.appUrl, /Inès BERNARD/);
      await belley.page.waitForURL(/\/espace\/transmissions$/);
      await belley.page.goto(`${suite.test.appUrl}/espace/mise-a-jour`);
      assert.match(await belley.page.locator('main').innerText(), /Aucun jeton API Particulier n’est enregistré pour la commune/);
      assert.ok(!(await belley.page.content()).includes(new URL(batchUrl).pathname), 'not listed');
      for (const path of ['', '/etat', '/resultat.csv']) {
        const response = await belley.page.request.get(`${batchUrl}${path}`, { maxRedirects: 0 });
        assert.equal(response.status(), 404, `GET ${path}`);
      }
      const csrf = await belley.page.locator('input[name="_csrf"]').first().inputValue();
      for (const action of ['confirmer', 'pause', 'reprendre', 'annuler', 'supprimer']) {
        const response = await belley.page.request.post(`${batchUrl}/${action}`, { form: { _csrf: csrf }, maxRedirects: 0 });
        assert.equal(response.status(), 404, `POST ${action}`);
      }
      await majastres.page.reload();
      assert.match(await majastres.page.locator('main').innerText(), /Vérifié, en attente de votre confirmation/, 'untouched');
    } finally {
      await majastres.context.close();
      await belley.context.close();
    }
  });

  it('every page of the Mise à jour has no serious accessibility violation at 360 and 1280 px', async () => {
    const problems: string[] = [];
    for (const width of [360, 1280]) {
      const { context, page } = await agentBrowser(suite.browser, width);
      try {
        await signIn(page, suite.test.appUrl, /Camille MARTIN/);
        await page.waitForURL(/\/espace\/transmissions$/);
        await page.goto(`${suite.test.appUrl}/espace/mise-a-jour`);
        problems.push(...(await accessibilityProblems(page, width)));
        await upload(page, suite.test.appUrl, Buffer.from('nom\nx\n'));
        problems.push(...(await accessibilityProblems(page, width)));
        await upload(page, suite.test.appUrl, familiesCsv(mix(4), { 1: (row) => row.map((v, i) => (i === 4 ? 'X' : v)) }));
        problems.push(...(await accessibilityProblems(page, width)));
        await page.getByRole('button', { name: /Confirmer et demander/ }).click();
        problems.push(...(await accessibilityProblems(page, width)));
        await waitForText(page, /État : Terminée/, false);
        problems.push(...(await accessibilityProblems(page, width)));
      } finally {
        await context.close();
      }
    }
    assert.deepEqual(problems, []);
  });
});
