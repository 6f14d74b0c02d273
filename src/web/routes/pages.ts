import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { assetsPlugin } from '../plugins/assets.ts';
import { journeyAccess } from '../journey/cookie.ts';
import { collectivityRoutes } from './collectivities.ts';
import { followUpRoutes } from './follow-up.ts';
import { franceConnectRoutes } from './franceconnect.ts';
import { legacyUrlRoutes } from './legacy-urls.ts';
import { staticPagesRoutes } from './static-pages.ts';
import { transmissionRoutes } from './transmission.ts';

/** The citizen's pages, in the order of the journey. */
export async function registerPages(app: FastifyInstance, context: AppContext): Promise<void> {
  const journeys = journeyAccess(context.config, context.journeys);
  await app.register(assetsPlugin);
  await staticPagesRoutes(app);
  await collectivityRoutes(app, context);
  await franceConnectRoutes(app, context, journeys);
  await transmissionRoutes(app, context, journeys);
  await followUpRoutes(app, context);
  await legacyUrlRoutes(app, context);
}
