/**
 * Every page in a real browser (Chromium through playwright-core, no download): served with a strict CSP and the
 * real assets, on a 360 px wide screen. With JavaScript, on one page of each kind: axe-core (no serious or critical
 * violation), no horizontal scrolling, no CSP violation, DSFR started, fonts loaded. Without JavaScript, on every
 * page: no horizontal scrolling, logout button and breadcrumb still reachable.
 * Skipped when /usr/bin/chromium (or CHROMIUM_PATH) is absent.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { assetsPlugin } from '../plugins/assets.ts';
import { allRenderedPages } from './test-support.tsx';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const pages = allRenderedPages();
const SAMPLED = new Set([
  'qf error not_found',
  'qf error provider_unavailable',
  'login error state_mismatch',
  'login error cookies',
  'follow-up failed',
  'follow-up DONE',
  'error 403',
  'error 404',
  'review angela',
  'review jeanne',
  'review vincent',
]);

describe('pages in a browser (axe, 360 px, CSP)', { skip: process.env.SKIP_BROWSER_TESTS ? 'SKIP_BROWSER_TESTS is set' : existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM}` }, () => {
  let app: FastifyInstance;
  let browser: Browser;
  let context: BrowserContext;
  let base: string;

  before(async () => {
    app = Fastify({ logger: false });
    await app.register(assetsPlugin);
    app.addHook('onSend', async (_request, reply) => {
      reply.header('content-security-policy', CSP);
    });
    pages.forEach((page, index) => {
      app.get(`/page/${index}`, async (_request, reply) => reply.type('text/html; charset=utf-8').send(page.html));
    });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    // One context for the JavaScript-on checks: the DSFR files are fetched once, then come from the cache.
    context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'fr-FR' });
    await context.addInitScript({ content: axeSource });
  });
  after(async () => {
    await context?.close();
    await browser?.close();
    await app?.close();
  });

  /** The page types, once each (the variants of one page differ only by their texts). */
  const sample = pages
    .map((page, index) => ({ page, index }))
    .filter(({ page }) => !/^(qf error|login error|follow-up|error|review) /.test(page.name) || SAMPLED.has(page.name));

  it('checks a sample covering every kind of page', () => assert.ok(sample.length >= 20, String(sample.length)));

  for (const { page, index } of sample) {
    it(`${page.name}: no serious accessibility violation, fits 360 px, respects the CSP, loads the fonts`, async () => {
      const problems: string[] = [];
      const tab = await context.newPage();
      try {
        const cspErrors: string[] = [];
        tab.on('console', (message) => {
          if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) cspErrors.push(message.text());
        });
        await tab.goto(`${base}/page/${index}`, { waitUntil: 'load' });
        if (cspErrors.length > 0) problems.push(`CSP ${cspErrors.join(' | ')}`);
        const width = Number(await tab.evaluate('document.documentElement.scrollWidth'));
        if (width > 360) problems.push(`${width}px wide`);
        const violations = (await tab.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')))`)) as string[];
        problems.push(...violations);
        if (!(await tab.evaluate(`document.documentElement.getAttribute('data-fr-js')`))) problems.push('DSFR script not started');
        if (!(await tab.evaluate(`document.fonts.check('16px Marianne')`))) problems.push('Marianne not loaded');
      } finally {
        await tab.close();
      }
      assert.deepEqual(problems, []);
    });
  }

  it('every page fits 360 px without JavaScript too', async () => {
    const noJs = await browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false });
    const problems: string[] = [];
    try {
      const tab = await noJs.newPage();
      for (const [index, page] of pages.entries()) {
        await tab.goto(`${base}/page/${index}`, { waitUntil: 'load' });
        const width = Number(await tab.evaluate('document.documentElement.scrollWidth'));
        if (width > 360) problems.push(`${page.name}: ${width}px wide`);
        // The logout button and the breadcrumb must stay visible without the DSFR script.
        const hidden = await tab.evaluate(`[...document.querySelectorAll('.fqf-header-mobile-tools button, .fr-breadcrumb__list')]
          .filter((e) => e.getBoundingClientRect().height === 0 || getComputedStyle(e).visibility === 'hidden').length`);
        if (Number(hidden) > 0) problems.push(`${page.name}: ${hidden} element(s) unreachable without JavaScript`);
      }
    } finally {
      await noJs.close();
    }
    assert.deepEqual(problems, []);
  });
});
