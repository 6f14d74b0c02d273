import type { FastifyError, FastifyInstance } from 'fastify';
import { join } from 'node:path';
import type { StandIn } from '../stand-in.ts';
import { registerAttachmentRoutes } from './attachments.ts';
import { registerCaseRoutes } from './cases.ts';
import { hubeeCensus } from './census.ts';
import { errorBody, sendError } from './errors.ts';
import { registerEventRoutes } from './events.ts';
import { injectHubeeFaults } from './faults.ts';
import { registerFolderRoutes } from './folders.ts';
import { createHub, type HubeeStandInOptions } from './hub.ts';
import { registerNotificationRoutes } from './notifications.ts';
import { registerPortalRoutes } from './portal/routes.ts';
import { registerTokenRoute } from './token.ts';
import { registerOrganizationRoutes } from './referential/organizations.ts';
import { registerSubscriptionRoutes } from './referential/subscriptions.ts';
import { seed } from './seed.ts';
import { openStore } from './store.ts';

export type { HubeeStandInOptions } from './hub.ts';
export type { FolderCount, HubeeCensus } from './census.ts';
export { siCredentialsFor, OSL_ORGANIZATION, FORMULAIRE_QF_PROCESS } from './seed.ts';

/**
 * A local HubEE, mounted under `/hubee` (or `options.prefix`): the OAuth2 token endpoint (`/hubee/oauth2/token`), the télédossiers API
 * (`/hubee/teledossiers/v1`), the referential (`/hubee/referential/v1`) and the commune agents' portal
 * (`/hubee/portail`). State lives in `${dataDir}/hubee/` (or in memory), seeded with the active communes of
 * src/sandbox/fixtures/collectivites.json.
 */
export function createHubeeStandIn(options: HubeeStandInOptions = {}): StandIn {
  return async (app, context) => {
    const prefix = options.prefix ?? '/hubee';
    // The main HubEE keeps the sandbox's fault plan, its census and its folder; another mount (the qualification
    // environment) has state of its own, plays only the faults it is given, and is counted by nobody.
    const main = prefix === '/hubee';
    const store = await openStore(context.dataDir === null ? null : join(context.dataDir, prefix.slice(1)));
    const hub = createHub(store, context.config, { ...options, prefix });
    if (seed(hub)) await store.commit();
    const faults = options.faults ?? (main ? context.controls?.faults : undefined);
    if (context.controls && main) context.controls.hubeeCensus = () => hubeeCensus(hub);

    await app.register(
      async (scope: FastifyInstance) => {
        registerParsers(scope);
        if (faults) injectHubeeFaults(scope, faults, context.config);
        scope.setErrorHandler((error: FastifyError, _request, reply) => {
          if (error.statusCode !== undefined && error.statusCode < 500 && !isHubeeError(error)) {
            // Fastify's own refusals (malformed JSON, unsupported media type, body too large) in HubEE's shape.
            return reply.code(error.statusCode).send(errorBody(error.statusCode, error.message));
          }
          try {
            return sendError(reply, error);
          } catch {
            scope.log.error({ err: error }, 'HubEE stand-in failure');
            return reply.code(500).send(errorBody(500, 'Internal Server Error'));
          }
        });
        scope.setNotFoundHandler((_request, reply) => reply.code(404).send(errorBody(404, 'Resource is not found')));
        scope.addHook('onClose', async () => store.flush());

        registerTokenRoute(scope, hub);
        registerFolderRoutes(scope, hub);
        registerAttachmentRoutes(scope, hub);
        registerCaseRoutes(scope, hub);
        registerEventRoutes(scope, hub);
        registerNotificationRoutes(scope, hub);
        registerOrganizationRoutes(scope, hub);
        registerSubscriptionRoutes(scope, hub);
        registerPortalRoutes(scope, hub);
      },
      { prefix },
    );
  };
}

export const hubeeStandIn: StandIn = createHubeeStandIn();

function registerParsers(scope: FastifyInstance): void {
  // Binaries arrive raw (PUT .../attachments/{id}); the size check needs the exact bytes.
  scope.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  // The token endpoint and the portal's forms.
  scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) =>
    done(null, new URLSearchParams(typeof body === 'string' ? body : body.toString('utf8'))),
  );
}

function isHubeeError(error: Error): boolean {
  return error.name === 'HubeeApiError' || error.name === 'GatewayAuthError';
}
