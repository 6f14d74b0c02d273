import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.ts';
import { deleteCommuneToken, registerCommuneToken, type TokenRefusal } from '../../../usecases/commune-api-particulier-token.ts';
import { sendPage } from '../../routes/send-page.ts';
import type { AgentGuard } from '../access.ts';
import { TOKEN_DELETE_PATH, TOKEN_PATH } from '../views/ApiParticulierTokenSection.tsx';
import { settingsPage } from './settings.ts';

type Body = Record<string, unknown> | undefined;

const LIMITS = { config: { rateLimit: { max: 10, timeWindow: '1 minute' } } };

/** Why a token was not saved, and what to do, for the administrator. */
export function tokenRefusalMessage(refusal: TokenRefusal): string {
  switch (refusal.kind) {
    case 'malformed':
      return 'Ce texte ne peut pas être un jeton API Particulier : collez le jeton entier, sans espace.';
    case 'invalid_token':
      return 'API Particulier ne reconnaît pas ce jeton. Vérifiez que vous l’avez copié en entier depuis l’espace API Particulier de la commune.';
    case 'expired_token':
      return 'Ce jeton a expiré. Demandez-en un nouveau sur l’espace API Particulier de la commune (rubrique de l’habilitation DataPass).';
    case 'without_quotient_familial':
      return 'Ce jeton n’a pas le droit « quotient familial » (cnaf_quotient_familial) : il ne permet pas d’obtenir un QF. Vérifiez qu’il vient de l’habilitation DataPass « quotient familial » de la commune.';
    case 'rate_limited':
      return `API Particulier demande d’attendre${refusal.retryAfterSeconds ? ` ${refusal.retryAfterSeconds} secondes` : ''} avant de vérifier un autre jeton. Réessayez ensuite.`;
    case 'unavailable':
      return 'API Particulier ne répond pas pour vérifier ce jeton : rien n’a été enregistré. Réessayez dans quelques minutes.';
  }
}

/** Register (checked, sealed), replace and delete the commune's API Particulier token: administrators only. */
export async function apiParticulierTokenRoutes(app: FastifyInstance, context: AppContext, guard: AgentGuard): Promise<void> {
  const deps = { tokens: context.espace.apiParticulierTokens, journal: context.espace.journal, apiParticulier: context.config.apiParticulier };

  app.post<{ Body: Body }>(TOKEN_PATH, { preHandler: app.csrfProtection, ...LIMITS }, async (request, reply) => {
    const agent = await guard(request, reply, { administrator: true });
    if (!agent) return reply;
    const token = typeof request.body?.token === 'string' ? request.body.token.slice(0, 5000) : '';
    const registration = await registerCommuneToken(deps, { siret: agent.collectivity.siret, agentEmail: agent.session.user.email, token });
    if (!registration.ok) {
      const status = registration.refusal.kind === 'unavailable' || registration.refusal.kind === 'rate_limited' ? 503 : 400;
      return sendPage(reply.code(status), await settingsPage(context, agent, {}, { error: tokenRefusalMessage(registration.refusal) }));
    }
    return reply.redirect('/espace/parametres?jeton=enregistre#jeton-api-particulier', 303);
  });

  app.post(TOKEN_DELETE_PATH, { preHandler: app.csrfProtection, ...LIMITS }, async (request, reply) => {
    const agent = await guard(request, reply, { administrator: true });
    if (!agent) return reply;
    await deleteCommuneToken(deps, { siret: agent.collectivity.siret, agentEmail: agent.session.user.email });
    return reply.redirect('/espace/parametres?jeton=supprime#jeton-api-particulier', 303);
  });
}
