import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { createApiKey, revokeApiKey } from '../../usecases/manage-api-keys.ts';
import { sendPage } from '../routes/send-page.ts';
import { ApiKeysSection, type ApiKeysSectionProps } from './ApiKeysSection.tsx';
import type { Space, SpaceMember } from './space.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The API keys page of a space (administrators only): create (the key shown once), revoke; both journaled. */
export async function apiKeyRoutes<M extends SpaceMember>(app: FastifyInstance, context: AppContext, space: Space<M>, organisationLabel: (member: M) => string): Promise<void> {
  const keys = context.espace.apiKeys;
  const deps = (member: SpaceMember) => ({ keys, journalOf: () => member.journal });
  const render = async (member: M, extra: Partial<ApiKeysSectionProps> = {}, isError = false) =>
    space.page(member, {
      title: 'Clés d’API',
      section: 'cles',
      isError,
      children: ApiKeysSection({ basePath: space.basePath, csrfToken: member.csrfToken, organisationLabel: organisationLabel(member), keys: await keys.listFor(member.owner), now: new Date(), ...extra }),
    });

  app.get<{ Querystring: { fait?: unknown } }>(`${space.basePath}/cles`, async (request, reply) => {
    const member = await space.guard(request, reply, { administrator: true });
    if (!member) return reply;
    const notice = request.query.fait === 'revoquee' ? { type: 'success' as const, text: 'La clé est révoquée : elle ne donne plus accès à l’API.' } : undefined;
    return sendPage(reply, await render(member, notice ? { notice } : {}));
  });

  app.post<{ Body: { nom?: unknown; duree?: unknown } | undefined }>(`${space.basePath}/cles`, { preHandler: app.csrfProtection }, async (request, reply) => {
    const member = await space.guard(request, reply, { administrator: true });
    if (!member) return reply;
    const name = typeof request.body?.nom === 'string' ? request.body.nom.slice(0, 300) : '';
    const days = typeof request.body?.duree === 'string' ? Number(request.body.duree) : Number.NaN;
    const created = await createApiKey(deps(member), member.owner, member.actorEmail, { name, lifetimeDays: days });
    if (!created.ok) {
      const nameError = created.reason === 'invalid_name' ? 'Donnez un nom de 1 à 100 caractères.' : undefined;
      const notice = created.reason === 'invalid_lifetime' ? { type: 'error' as const, text: 'Choisissez une durée de validité de la liste.' } : undefined;
      return sendPage(reply.code(400), await render(member, { ...(nameError ? { nameError } : {}), ...(notice ? { notice } : {}) }, true));
    }
    request.log.info({ event: 'api_key.created', keyPrefix: created.record.prefix, ownerKind: member.owner.kind }, 'API key created');
    return sendPage(reply, await render(member, { created: { key: created.key, name: created.record.name } }));
  });

  app.post<{ Params: { id: string } }>(`${space.basePath}/cles/:id/revoquer`, { preHandler: app.csrfProtection }, async (request, reply) => {
    const member = await space.guard(request, reply, { administrator: true });
    if (!member) return reply;
    // Another organisation's key, or none: the same answer.
    const revoked = UUID.test(request.params.id) ? await revokeApiKey(deps(member), member.owner, member.actorEmail, request.params.id) : null;
    if (!revoked) return context.renderError(request, reply, 404);
    request.log.info({ event: 'api_key.revoked', keyPrefix: revoked.prefix }, 'API key revoked');
    return reply.redirect(`${space.basePath}/cles?fait=revoquee`, 303);
  });
}
