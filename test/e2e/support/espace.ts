import type { Page } from 'playwright-core';
export { accessibilityProblems, axeBrowser as agentBrowser } from './accessibility.ts';

/** "S’identifier avec ProConnect" from a space's home page (or the back office's sign-in page), then the persona on the ProConnect stand-in's page. */
export async function signIn(page: Page, appUrl: string, personaName: RegExp, space: '/espace' | '/editeur' | '/admin/connexion' = '/espace'): Promise<void> {
  await page.goto(`${appUrl}${space}`);
  await page.getByRole('button', { name: /S’identifier avec\s*ProConnect/ }).click();
  await page.getByRole('button', { name: personaName }).click();
}
