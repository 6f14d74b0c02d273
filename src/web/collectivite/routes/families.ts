import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.ts';
import { sendPage } from '../../routes/send-page.ts';
import { CollectivityNotFoundPage } from '../../views/pages/CollectivityNotFoundPage.tsx';
import { SansFranceConnectPage } from '../../views/pages/static/SansFranceConnectPage.tsx';

/** A commune's own "Vous n'utilisez pas FranceConnect ?" page: its text for families and its contact first. */
export async function familyPagesRoutes(app: FastifyInstance, context: AppContext): Promise<void> {
  app.get<{ Params: { siret: string } }>('/collectivites/:siret/sans-franceconnect', async (request, reply) => {
    const { siret } = request.params;
    const collectivity = /^[0-9]{14}$/.test(siret) ? await context.collectivities.findActiveBySiret(siret) : null;
    if (!collectivity) return sendPage(reply.code(404), CollectivityNotFoundPage({ siret: siret.slice(0, 40) }));
    const info = await context.espace.familyInfo.get(collectivity.siret);
    return sendPage(reply, SansFranceConnectPage({ commune: { name: collectivity.name, siret: collectivity.siret, info } }));
  });
}
