import type { Page } from 'playwright-core';

/** "S’identifier avec ProConnect" on `from` (the espace's sign-in page, or the back office's), then the persona on the stand-in. */
export async function signInWithProConnect(page: Page, appUrl: string, personaName: RegExp, from = '/espace'): Promise<void> {
  await page.goto(`${appUrl}${from}`);
  await page.getByRole('button', { name: /S’identifier avec\s*ProConnect/ }).click();
  await page.getByRole('button', { name: personaName }).click();
}

/** The serious and critical axe violations of the page (axe-core loaded by an init script), and whether it scrolls sideways. */
export async function accessibilityProblems(page: Page, width: number): Promise<string[]> {
  const problems = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')))`)) as string[];
  const scrollWidth = Number(await page.evaluate('document.documentElement.scrollWidth'));
  if (scrollWidth > width) problems.push(`${scrollWidth}px wide at ${width}px`);
  return problems.map((p) => `${new URL(page.url()).pathname}: ${p}`);
}
