import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { interactionActions, logInAs, type LoginAnswer } from '../oidc/interactions.ts';
import { emailPage, errorPage } from './pages.ts';
import { organizationOf, personaByEmail, PROCONNECT_PERSONAS } from './personas.ts';
import { PROCONNECT_ERROR_CODES } from './rules.ts';

/**
 * The stand-in's login: ProConnect's e-mail page (skipped when `login_hint` names a persona, contract §2), then
 * the test FI logs the person in at once. "Annuler" returns access_denied to the service provider.
 */
export async function showLoginPage(provider: Provider, req: IncomingMessage, res: ServerResponse, publicOnly: boolean): Promise<LoginAnswer> {
  const details = await provider.interactionDetails(req, res);
  const hint = typeof details.params.login_hint === 'string' ? personaByEmail(details.params.login_hint) : undefined;
  if (hint) return finishLogin(provider, req, res, hint.email, publicOnly);
  return { kind: 'page', status: 200, html: emailPage(interactionActions(provider, details.uid), PROCONNECT_PERSONAS) };
}

export async function finishLogin(
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
  email: string,
  publicOnly: boolean,
): Promise<LoginAnswer> {
  const details = await provider.interactionDetails(req, res);
  const persona = personaByEmail(email);
  const clientId = String(details.params.client_id ?? '');
  if (!persona || !clientId) {
    return {
      kind: 'page',
      status: 400,
      html: emailPage(interactionActions(provider, details.uid), PROCONNECT_PERSONAS, 'Aucune personne de test n’a cette adresse e-mail.'),
    };
  }
  if (publicOnly && !organizationOf(persona.siret).roles.includes('agent_public')) return privateUserRefused(details.params);
  return logInAs(provider, req, res, details, persona.sub);
}

/** Y500015 on ProConnect's page; its back link returns access_denied to the service (contract §5). */
function privateUserRefused(params: Record<string, unknown>): LoginAnswer {
  const back = new URL(String(params.redirect_uri));
  back.searchParams.set('error', 'access_denied');
  back.searchParams.set('error_description', 'authentication aborted due to invalid identity');
  back.searchParams.set('state', String(params.state ?? ''));
  return {
    kind: 'page',
    status: 403,
    html: errorPage(PROCONNECT_ERROR_CODES.privateUserOnPublicProvider, 'Ce service est réservé aux agents publics.', back.href),
  };
}
