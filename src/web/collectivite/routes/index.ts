import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.ts';
import { apiKeyRoutes } from '../../espaces/api-key-routes.ts';
import { webhookPageRoutes } from '../../espaces/webhook-routes.ts';
import { agentGuard } from '../access.ts';
import { collectiviteSpace } from '../space.ts';
import { espaceCookies } from '../session.ts';
import { agentRoutes } from './agents.ts';
import { apiParticulierTokenRoutes } from './api-particulier-token.ts';
import { familyPagesRoutes } from './families.ts';
import { figuresRoutes } from './figures.ts';
import { guichetRoutes } from './guichet.ts';
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
  const space = collectiviteSpace(context, guard);
  await webhookPageRoutes(app, context, space);
  await apiKeyRoutes(app, context, space, (member) => member.frame.collectivityName);
  await guichetRoutes(app, context, guard);
  await apiParticulierTokenRoutes(app, context, guard);
  await familyPagesRoutes(app, context);
}
