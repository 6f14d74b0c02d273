import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.ts';
import { sendPage } from '../../routes/send-page.ts';
import type { Agent, AgentGuard } from '../access.ts';
import { readFamilyInfo, readRedirectPrefixes } from '../settings-form.ts';
import type { TokenSectionProps } from '../views/ApiParticulierTokenSection.tsx';
import { familyInfoForm, SettingsPage } from '../views/SettingsPage.tsx';

type Body = Record<string, unknown> | undefined;

/** The settings page of the agent's commune, with what was just done or refused (`overrides`). */
export async function settingsPage(
  context: AppContext,
  agent: Agent,
  overrides: Partial<Parameters<typeof SettingsPage>[0]> = {},
  tokenState: Pick<TokenSectionProps, 'notice' | 'error'> = {},
) {
  const siret = agent.collectivity.siret;
  const form = familyInfoForm(await context.espace.familyInfo.get(siret));
  const { without_franceconnect_text: withoutFranceConnectText, ...info } = form;
  const token = { saved: await context.espace.apiParticulierTokens.describe(siret), ...tokenState };
  return SettingsPage({ frame: agent.frame, prefixesText: agent.collectivity.allowedRedirectPrefixes.join('\n'), info, withoutFranceConnectText, token, ...overrides });
}

/** Paramètres: what families see (contact, text without FranceConnect) and the allowed return links. Changes: administrators. */
export async function settingsRoutes(app: FastifyInstance, context: AppContext, guard: AgentGuard): Promise<void> {
  const { familyInfo, journal } = context.espace;
  const allowHttpLocalhost = context.config.env !== 'production';

  const page = (agent: Agent, overrides: Partial<Parameters<typeof SettingsPage>[0]> = {}) => settingsPage(context, agent, overrides);

  app.get<{ Querystring: { enregistre?: unknown; jeton?: unknown } }>('/espace/parametres', async (request, reply) => {
    const agent = await guard(request, reply);
    if (!agent) return reply;
    const saved = request.query.enregistre === 'contact' || request.query.enregistre === 'retours' ? request.query.enregistre : undefined;
    const tokenNotice = request.query.jeton === 'enregistre' || request.query.jeton === 'supprime' ? request.query.jeton : undefined;
    return sendPage(reply, await settingsPage(context, agent, saved ? { saved } : {}, tokenNotice ? { notice: tokenNotice } : {}));
  });

  app.post<{ Body: Body }>('/espace/parametres/contact', { preHandler: app.csrfProtection }, async (request, reply) => {
    const agent = await guard(request, reply, { administrator: true });
    if (!agent) return reply;
    const read = readFamilyInfo(request.body);
    if (!read.ok) {
      const body = request.body ?? {};
      const text = (name: string) => (typeof body[name] === 'string' ? String(body[name]).slice(0, 2000) : '');
      return sendPage(
        reply.code(400),
        await page(agent, {
          info: { service_name: text('service_name'), phone: text('phone'), email: text('email'), address: text('address'), opening_hours: text('opening_hours') },
          withoutFranceConnectText: text('without_franceconnect_text'),
          infoErrors: read.errors,
        }),
      );
    }
    await familyInfo.set(agent.collectivity.siret, read.info);
    await journal.record({ siret: agent.collectivity.siret, actorKind: 'agent', actor: agent.session.user.email, action: 'settings_changed', detail: 'contact' });
    return reply.redirect('/espace/parametres?enregistre=contact', 303);
  });

  app.post<{ Body: Body }>('/espace/parametres/retours', { preHandler: app.csrfProtection }, async (request, reply) => {
    const agent = await guard(request, reply, { administrator: true });
    if (!agent) return reply;
    const read = readRedirectPrefixes(request.body?.prefixes, { allowHttpLocalhost });
    if (!read.ok) {
      const raw = typeof request.body?.prefixes === 'string' ? request.body.prefixes.slice(0, 5000) : '';
      return sendPage(reply.code(400), await page(agent, { prefixesText: raw, prefixesError: read.error }));
    }
    await context.collectivities.setAllowedRedirectPrefixes(agent.collectivity.siret, read.prefixes);
    await journal.record({ siret: agent.collectivity.siret, actorKind: 'agent', actor: agent.session.user.email, action: 'settings_changed', detail: `redirect_prefixes: ${read.prefixes.length}` });
    return reply.redirect('/espace/parametres?enregistre=retours', 303);
  });
}
