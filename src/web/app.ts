import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { TEST_DOSSIER_UNAVAILABLE_FR } from '../usecases/send-test-dossier.ts';
import type { Logger } from 'pino';
import type { AppContext } from '../context.ts';
import { reportServerErrors } from './plugins/error-reporting.ts';
import { securityPlugin } from './plugins/security.ts';
import { healthRoutes } from './routes/health.ts';
import { datapassWebhookRoutes } from './routes/api/datapass-webhook.ts';
import { apiRoutes } from './routes/api/index.ts';
import { schemaRoutes } from './routes/schemas.ts';
import { securityTxtRoutes } from './routes/security-txt.ts';
import { operatorRoutes } from './routes/admin/index.ts';
import { registerPages } from './routes/pages.ts';
import { espaceRoutes } from './collectivite/routes/index.ts';
import { editeurRoutes } from './editeur/routes/index.ts';
import { sendPage } from './routes/send-page.ts';
import { cookiesBlockedPage } from './journey/csrf-failure.ts';
import { defaultErrorText, ErrorPage } from './views/pages/ErrorPage.tsx';

/** The web application: security first, then routes; every error ends as a clear page, or JSON under /api. */
export async function buildApp(
  base: Omit<AppContext, 'renderError'>,
  options: { logger: Logger },
): Promise<{ app: FastifyInstance; context: AppContext; routes: readonly RouteSummary[] }> {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    // Only the hops TRUST_PROXY names (none by default): trusting every hop lets any client choose its address.
    trustProxy: trustProxyOption(base.config.http.trustProxy),
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
    genReqId: () => crypto.randomUUID(),
    // A malformed or over-long URL is refused before routing: it gets our page (or JSON under /api) too, not Fastify's English JSON.
    frameworkErrors: (error, request, reply) => renderError(request, reply, error.statusCode ?? 400, error.code),
  });
  const context: AppContext = { ...base, renderError };
  // The list of routes lets the security suite check every state-changing one.
  const routes: RouteSummary[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method: String(method), url: route.url });
  });
  // Set before any route: Fastify binds each route to the error handler and hooks in place when the route is added.
  // The 5xx of every error handler (this one, the API's, the back office's) reach the error reporter from its hooks.
  reportServerErrors(app, base.errors);
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: { type: error.name, code: error.code, message: error.message, stack: error.stack } }, 'request failed');
    else request.log.info({ status, code: error.code }, 'request refused');
    if (error.code === 'FST_CSRF_MISSING_SECRET') {
      const page = cookiesBlockedPage(request);
      if (page) return sendPage(reply.code(403), page);
    }
    return renderError(request, reply, status, error.code);
  });
  await app.register(securityPlugin, { config: context.config });
  // First: its hooks count the requests of every route registered after it.
  await operatorRoutes(app, context);
  await healthRoutes(app, context);
  await registerPages(app, context);
  await espaceRoutes(app, context);
  await editeurRoutes(app, context);
  await datapassWebhookRoutes(app, context);
  await apiRoutes(app, context);
  await schemaRoutes(app);
  await securityTxtRoutes(app, context.config);

  app.setNotFoundHandler((request, reply) => renderError(request, reply, 404));
  return { app, context, routes };
}

/** A hop count as the function Fastify applies to it (its typings take no number). */
function trustProxyOption(setting: false | number | string[]): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof setting === 'number' ? (_address, hop) => hop < setting : setting;
}

export interface RouteSummary {
  method: string;
  url: string;
}

const CODE_MESSAGES: Record<string, string> = {
  // Reached with cookies working (a browser without any cookie gets the cookies page, see csrf-failure.ts): the page
  // was opened before the session changed.
  FST_CSRF_MISSING_SECRET: 'Cette page a été ouverte avant la fermeture de votre navigateur ou l’effacement de ses cookies. Rechargez la page puis recommencez votre action.',
  FST_CSRF_INVALID_TOKEN: 'Cette page a été ouverte avant un changement de votre session (dans un autre onglet, ou après l’effacement des cookies). Rechargez la page puis recommencez votre action.',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Ce type de contenu n’est pas accepté.',
  FST_ERR_CTP_BODY_TOO_LARGE: 'La demande est trop volumineuse.',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'La longueur de la demande est incorrecte.',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'Le corps de la demande est vide.',
  FST_ERR_BAD_URL: 'Cette adresse est mal formée. Vérifiez le lien, ou repartez de l’accueil.',
  FST_ERR_MAX_PARAM_LENGTH: 'Cette adresse est trop longue. Vérifiez le lien, ou repartez de l’accueil.',
  UNKNOWN_COLLECTIVITY: 'Cette collectivité n’existe pas ou n’utilise pas encore ce service. Recherchez-la à nouveau.',
  ESPACE_ADMINISTRATORS_ONLY: 'Cette page est réservée aux administrateurs de l’espace de votre commune. Demandez à l’un d’eux.',
  ADMIN_READ_ONLY: 'Votre accès au back office est en lecture seule : cette action est réservée aux opérateurs administrateurs. Demandez-la à l’un d’eux.',
  EDITEUR_ADMINISTRATORS_ONLY: 'Cette page est réservée aux administrateurs de l’espace de votre éditeur. Demandez à l’un d’eux.',
  ESPACE_UNKNOWN_AGENT: 'Cette personne n’est pas sur la liste de votre espace.',
  MISE_A_JOUR_UNKNOWN: 'Cette mise à jour n’existe pas, ou plus : un résultat est supprimé après confirmation, et au plus tard 7 jours après le dépôt.',
  FST_REQ_FILE_TOO_LARGE: 'Le fichier est trop gros : 20 Mo au plus. Découpez-le en plusieurs fichiers.',
  FST_FILES_LIMIT: 'Trop de fichiers en une fois : 500 au plus. Déposez plutôt l’archive zip du portail HubEE.',
  FST_PARTS_LIMIT: 'Trop de fichiers en une fois : 500 au plus. Déposez plutôt l’archive zip du portail HubEE.',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'Ce type de contenu n’est pas accepté.',
  MULTIPART_MALFORMED: 'Le fichier n’a pas été reçu en entier : déposez-le de nouveau.',
  COLLECTIVITY_INACTIVE: 'Cette collectivité n’utilise plus ce service : rien n’a été transmis. Contactez-la directement.',
  TEST_DOSSIER_UNAVAILABLE: TEST_DOSSIER_UNAVAILABLE_FR,
};

function renderError(request: FastifyRequest, reply: FastifyReply, status: number, givenCode?: string): FastifyReply {
  // A server error names none of its causes (a database's SQLSTATE, a library's code): only our own codes go out.
  const code = status >= 500 && (givenCode === undefined || !Object.hasOwn(CODE_MESSAGES, givenCode)) ? undefined : givenCode;
  const fallback = defaultErrorText(status);
  const message = (code && CODE_MESSAGES[code]) || fallback.message;
  reply.code(status);
  if (request.url.startsWith('/api/')) {
    return reply.type('application/json; charset=utf-8').send({ error: { status, code: code ?? null, message } });
  }
  return sendPage(reply, ErrorPage({ status, message }));
}
