import { AgentOverHttp, BACK_OFFICE } from './agent-over-http.ts';

/** The stand-in's operators, on the local default allowlist (src/config/operators.ts). */
export const ADMINISTRATOR = 'exploitation@formulaire-qf.beta.gouv.fr';
export const READ_ONLY_OPERATOR = 'suivi@formulaire-qf.beta.gouv.fr';

/** A browser without JavaScript signed in to /admin through the ProConnect stand-in, over real HTTP. */
export async function operatorSignedIn(appUrl: string, email: string = ADMINISTRATOR): Promise<AgentOverHttp> {
  const browser = new AgentOverHttp(appUrl);
  const back = await browser.signIn(email, BACK_OFFICE);
  if (back.status !== 303 || back.location !== '/admin') throw new Error(`the operator's sign-in answered ${back.status} ${back.location ?? ''}`);
  return browser;
}
