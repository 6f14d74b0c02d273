import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { loginPage } from './pages.ts';
import { findPersona, PERSONAS, subjectFor } from './personas.ts';

/**
 * The stand-in's identity provider: a page listing the test personas, where picking one logs in as that person
 * and "Annuler" comes back to the service provider with access_denied, as FC does when the user aborts.
 */
export async function showLoginPage(provider: Provider, req: IncomingMessage, res: ServerResponse): Promise<string> {
  const { uid } = await provider.interactionDetails(req, res);
  const base = `${new URL(provider.issuer).pathname}/interaction/${encodeURIComponent(uid)}`;
  return loginPage({ login: `${base}/login`, abort: `${base}/abort` }, PERSONAS);
}

/** False when the login names no persona; otherwise the response has been sent (a redirect). */
export async function finishLogin(
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
  login: string,
): Promise<boolean> {
  const details = await provider.interactionDetails(req, res);
  const persona = findPersona(login);
  const clientId = String(details.params.client_id ?? '');
  if (!persona || !clientId) return false;

  const accountId = subjectFor(persona, clientId);
  const grant = new provider.Grant({ accountId, clientId });
  grant.addOIDCScope(String(details.params.scope ?? ''));
  const requestedClaims = details.prompt.details.missingOIDCClaims;
  if (Array.isArray(requestedClaims)) grant.addOIDCClaims(requestedClaims.map(String));
  const grantId = await grant.save();
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId, acr: 'eidas1', amr: ['pwd'] }, consent: { grantId } },
    { mergeWithLastSubmission: false },
  );
  return true;
}

export async function abortLogin(provider: Provider, req: IncomingMessage, res: ServerResponse): Promise<void> {
  await provider.interactionFinished(
    req,
    res,
    { error: 'access_denied', error_description: 'User auth aborted' },
    { mergeWithLastSubmission: false },
  );
}
