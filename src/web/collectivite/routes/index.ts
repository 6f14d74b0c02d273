import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.ts';
import { agentGuard } from '../access.ts';
import { espaceCookies } from '../session.ts';
import { agentRoutes } from './agents.ts';
import { familyPagesRoutes } from './families.ts';
import { figuresRoutes } from './figures.ts';
import { kitRoutes } from './kit.ts';
import { miseAJourRoutes } from './mise-a-jour.ts';
import { settingsRoutes } from './settings.ts';
import { signInRoutes } from './sign-in.ts';
import { transmissionRoutes } from './transmissions.ts';

/** The espace collectivité at /espace: ProConnect sign-in, then the commune's own pages; and what families see of its settings. */
export async function espaceRoutes(app: FastifyInstance, context: AppContext): Promise<void> {
  const cookies = espaceCookies(context.config, context.espace);
  const guard = agentGuard(context, cookies);
  await signInRoutes(app, context, cookies);
  await transmissionRoutes(app, context, guard);
  await miseAJourRoutes(app, context, guard);
  await kitRoutes(app, context, guard);
  await settingsRoutes(app, context, guard);
  await figuresRoutes(app, context, guard);
  await agentRoutes(app, context, guard);
  await familyPagesRoutes(app, context);
}
