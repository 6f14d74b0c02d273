import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** A fresh browser profile with axe-core loaded in every page (and JavaScript off when asked). */
export async function axeBrowser(browser: Browser, width: number, options: { javaScript?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width, height: 800 }, locale: 'fr-FR', acceptDownloads: true, javaScriptEnabled: options.javaScript ?? true });
  await context.addInitScript({ content: axeSource });
  return { context, page: await context.newPage() };
}

/** The serious and critical axe violations of the page (opened in an axeBrowser), and whether it scrolls sideways. */
export async function accessibilityProblems(page: Page, width: number): Promise<string[]> {
  const problems = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')))`)) as string[];
  const scrollWidth = Number(await page.evaluate('document.documentElement.scrollWidth'));
  if (scrollWidth > width) problems.push(`${scrollWidth}px wide at ${width}px`);
  return problems.map((p) => `${new URL(page.url()).pathname}: ${p}`);
}
