import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';

/** What a login step of a stand-in answers: a page of its own, or nothing because oidc-provider has answered. */
export type LoginAnswer = { kind: 'page'; status: number; html: string } | { kind: 'sent' };

type InteractionDetails = Awaited<ReturnType<Provider['interactionDetails']>>;

/** The two forms of a login page: pick a person, or "Annuler". */
export function interactionActions(provider: Provider, uid: string): { login: string; abort: string } {
  const base = `${new URL(provider.issuer).pathname}/interaction/${encodeURIComponent(uid)}`;
  return { login: `${base}/login`, abort: `${base}/abort` };
}

/**
 * Logs the person in as `accountId` and consents to what the client asked for at once (neither FC nor ProConnect
 * shows a consent page for these scopes), then oidc-provider redirects back to the client.
 */
export async function logInAs(provider: Provider, req: IncomingMessage, res: ServerResponse, details: InteractionDetails, accountId: string): Promise<LoginAnswer> {
  const clientId = String(details.params.client_id ?? '');
  const grant = new provider.Grant({ accountId, clientId });
  grant.addOIDCScope(String(details.params.scope ?? ''));
  const requestedClaims = details.prompt.details.missingOIDCClaims;
  if (Array.isArray(requestedClaims)) grant.addOIDCClaims(requestedClaims.map(String));
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { login: { accountId, acr: 'eidas1', amr: ['pwd'] }, consent: { grantId } }, { mergeWithLastSubmission: false });
  return { kind: 'sent' };
}

/** "Annuler": back to the client with access_denied, as both services do when the user aborts. */
export async function abortLogin(provider: Provider, req: IncomingMessage, res: ServerResponse): Promise<void> {
  await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'User auth aborted' }, { mergeWithLastSubmission: false });
}
