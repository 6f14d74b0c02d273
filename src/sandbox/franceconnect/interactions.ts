import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { interactionActions, logInAs, type LoginAnswer } from '../oidc/interactions.ts';
import { errorPage, loginPage } from './pages.ts';
import { findPersona, PERSONAS, subjectFor } from './personas.ts';

/**
 * The stand-in's identity provider: a page listing the test personas, where picking one logs in as that person;
 * "Annuler" comes back to the service provider with access_denied, as FC does when the user aborts.
 */
export async function showLoginPage(provider: Provider, req: IncomingMessage, res: ServerResponse): Promise<LoginAnswer> {
  const { uid } = await provider.interactionDetails(req, res);
  return { kind: 'page', status: 200, html: loginPage(interactionActions(provider, uid), PERSONAS) };
}

export async function finishLogin(provider: Provider, req: IncomingMessage, res: ServerResponse, login: string): Promise<LoginAnswer> {
  const details = await provider.interactionDetails(req, res);
  const persona = findPersona(login);
  const clientId = String(details.params.client_id ?? '');
  if (!persona || !clientId) return { kind: 'page', status: 400, html: errorPage(null, 'Personne de test inconnue.') };
  return logInAs(provider, req, res, details, subjectFor(persona, clientId));
}
