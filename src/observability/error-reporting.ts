import type { ErrorEvent } from '@sentry/node';
import type { Logger } from 'pino';
import type { Config } from '../config/config.ts';

/**
 * Error reporting to Sentry (or GlitchTip, same protocol) when SENTRY_DSN is set; a no-op otherwise.
 *
 * What leaves the process is built from a short list of fields, never from what the SDK collected: the error's
 * type, its message scrubbed (see `scrubText`), its stack frames without source lines or variables, and tags we
 * set ourselves (route pattern, method, status, queue). No request body, cookie, query string, header, user,
 * breadcrumb, local variable or extra data, whatever an integration or a library adds: the existing form sent
 * request bodies with personal data to Sentry, we must not.
 */
export interface ErrorReporter {
  readonly enabled: boolean;
  /** An exception that made a request end in a 5xx. `route` is the route's pattern, null when none matched. */
  requestFailed(error: unknown, request: RequestFacts): void;
  /** A 5xx answered on purpose (an upstream down, a dependency failing), without an exception. */
  serverErrorAnswered(request: RequestFacts): void;
  /** A job or a background task that failed: a queue handler that threw, a loop that failed, work given up. */
  jobFailed(error: unknown, job: { queue: string; outcome?: string }): void;
  /** An error that brings the process down. */
  processFailed(error: unknown, origin: 'uncaughtException' | 'unhandledRejection'): void;
  /** Waits (at most `timeoutMs`) until what was captured has been sent. */
  flush(timeoutMs?: number): Promise<boolean>;
}

export interface RequestFacts {
  method: string;
  route: string | null;
  status: number;
}

type Settings = Config['errorReporting'];

const NO_OP: ErrorReporter = {
  enabled: false,
  requestFailed: () => {},
  serverErrorAnswered: () => {},
  jobFailed: () => {},
  processFailed: () => {},
  flush: async () => true,
};

/** The SDK is global to the process: it is set up once, and every later call with the same DSN shares it. */
let active: { dsn: string; reporter: ErrorReporter } | null = null;

export function initErrorReporting(settings: Settings): ErrorReporter {
  const { dsn } = settings;
  if (!dsn) return NO_OP;
  if (active) {
    if (active.dsn !== dsn) throw new Error('error reporting is already set up with another SENTRY_DSN');
    return active.reporter;
  }
  // Loaded only when reporting is on: the SDK costs over a second of start-up and some 45 MB of memory.
  const sdk = import('@sentry/node').then((Sentry) => {
    setUp(Sentry, dsn, settings);
    return Sentry;
  });
  sdk.catch((error: unknown) => process.stderr.write(`Error reporting is off: the Sentry SDK did not load (${error instanceof Error ? error.name : 'unknown'})\n`));
  // What is captured before the SDK is there waits for it, in order.
  const withSdk = (use: (Sentry: SentrySdk) => void) => void sdk.then(use, () => {});
  const reporter: ErrorReporter = {
    enabled: true,
    requestFailed(error, request) {
      withSdk((Sentry) => Sentry.captureException(error, { level: 'error', tags: { ...requestTags(request), kind: 'request' }, fingerprint: ['{{ default }}', request.route ?? 'none'] }));
    },
    serverErrorAnswered(request) {
      withSdk((Sentry) =>
        Sentry.captureMessage(`HTTP ${request.status} ${request.method} ${request.route ?? '(sans route)'}`, {
          level: 'error',
          tags: { ...requestTags(request), kind: 'response' },
          fingerprint: ['http-5xx', request.method, request.route ?? 'none', String(request.status)],
        }),
      );
    },
    jobFailed(error, job) {
      withSdk((Sentry) => Sentry.captureException(error, { level: 'error', tags: { kind: 'job', queue: job.queue, ...(job.outcome ? { outcome: job.outcome } : {}) } }));
    },
    processFailed(error, origin) {
      withSdk((Sentry) => Sentry.captureException(error, { level: 'fatal', tags: { kind: 'process', origin } }));
    },
    flush: (timeoutMs = 2000) => sdk.then((Sentry) => Sentry.flush(timeoutMs), () => false),
  };
  active = { dsn, reporter };
  return reporter;
}

type SentrySdk = typeof import('@sentry/node');

function setUp(Sentry: SentrySdk, dsn: string, settings: Settings): void {
  Sentry.initWithoutDefaultIntegrations({
    dsn,
    release: settings.release,
    environment: settings.environment,
    // Nothing about people or requests, whatever an integration would collect (the SDK's `sendDefaultPii: false`).
    dataCollection: {
      userInfo: false,
      cookies: false,
      httpHeaders: false,
      httpBodies: [],
      urlQueryParams: false,
      graphQL: { document: false, variables: false },
      genAI: { inputs: false, outputs: false },
      mcp: { inputs: false, outputs: false },
      databaseQueryData: false,
      queues: false,
      stackFrameVariables: false,
      frameContextLines: 0,
    },
    // linkedErrors only (error.cause chains). No http, fetch, console, requestData, contextLines, localVariables,
    // modules or global handlers: each of those collects URLs, headers, bodies, console lines or variables.
    integrations: [Sentry.linkedErrorsIntegration()],
    includeLocalVariables: false,
    maxBreadcrumbs: 0,
    beforeBreadcrumb: () => null,
    beforeSend: (event) => keepOnlySafeFields(event),
    // No tracing: a transaction would carry URLs and timings of citizens' requests.
    tracesSampleRate: 0,
    // 'static' so that beforeSendTransaction applies (span streaming, the default, would bypass it).
    traceLifecycle: 'static',
    beforeSendTransaction: () => null,
    sendClientReports: false,
    enableRuntimeChannelInjection: false,
    enableOpenTelemetrySetup: false,
  });
}

function requestTags(request: RequestFacts): Record<string, string> {
  return { method: request.method, route: request.route ?? '(sans route)', status_code: String(request.status) };
}

/**
 * For `src/run-service.ts`: reports what would bring the process down, then lets it go down as Node would (stack on
 * standard error, exit code 1), once the report is sent or after two seconds. Nothing is installed when
 * SENTRY_DSN is unset: Node's own behaviour stays.
 */
export function reportProcessFailures(config: Pick<Config, 'errorReporting'>, logger: Logger): void {
  const reporter = initErrorReporting(config.errorReporting);
  if (!reporter.enabled) return;
  let failing = false;
  const fail = (origin: 'uncaughtException' | 'unhandledRejection') => (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    if (failing) return;
    failing = true;
    logger.fatal({ event: 'process.failed', origin, type: error instanceof Error ? error.name : typeof error }, 'process failing');
    reporter.processFailed(error, origin);
    void reporter.flush(2000).finally(() => process.exit(1));
  };
  process.on('uncaughtException', fail('uncaughtException'));
  process.on('unhandledRejection', fail('unhandledRejection'));
}

/** The tags we set; any other (from an integration or a library) is dropped. */
const ALLOWED_TAGS = new Set(['kind', 'method', 'route', 'status_code', 'queue', 'outcome', 'origin']);

/**
 * The event rebuilt from a list of fields: a new field added by the SDK or an integration is left out until
 * someone decides it is safe.
 */
export function keepOnlySafeFields(event: ErrorEvent): ErrorEvent {
  const safe: ErrorEvent = { type: undefined };
  const copy = <K extends keyof ErrorEvent>(key: K) => {
    if (event[key] !== undefined) safe[key] = event[key];
  };
  for (const key of ['event_id', 'timestamp', 'level', 'platform', 'logger', 'server_name', 'release', 'dist', 'environment', 'sdk', 'fingerprint'] as const) copy(key);
  if (event.message !== undefined) safe.message = scrubText(event.message);
  if (event.logentry?.message !== undefined) safe.logentry = { message: scrubText(event.logentry.message) };
  if (event.exception?.values) {
    safe.exception = {
      values: event.exception.values.map((exception) => ({
        ...(exception.type !== undefined ? { type: scrubText(exception.type) } : {}),
        ...(exception.value !== undefined ? { value: scrubText(exception.value) } : {}),
        ...(exception.mechanism ? { mechanism: { type: exception.mechanism.type, handled: exception.mechanism.handled } } : {}),
        ...(exception.stacktrace?.frames
          ? {
              stacktrace: {
                frames: exception.stacktrace.frames.map((frame) => ({
                  ...(frame.filename !== undefined ? { filename: frame.filename } : {}),
                  ...(frame.module !== undefined ? { module: frame.module } : {}),
                  ...(frame.function !== undefined ? { function: frame.function } : {}),
                  ...(frame.lineno !== undefined ? { lineno: frame.lineno } : {}),
                  ...(frame.colno !== undefined ? { colno: frame.colno } : {}),
                  ...(frame.in_app !== undefined ? { in_app: frame.in_app } : {}),
                })),
              },
            }
          : {}),
      })),
    };
  }
  const tags: Record<string, string> = {};
  for (const [key, value] of Object.entries(event.tags ?? {})) {
    if (ALLOWED_TAGS.has(key) && value !== undefined && value !== null) tags[key] = scrubText(String(value));
  }
  tags.node = process.version;
  safe.tags = tags;
  // The route's pattern, never the URL: e.g. "GET /collectivites/:siret".
  if (tags.method && tags.route) safe.transaction = `${tags.method} ${tags.route}`;
  return safe;
}

/**
 * A message is written by our code or a library, but may quote what it failed on: V8's JSON.parse quotes the
 * text (a decrypted journey), URL errors the URL, database errors the value. So: query strings and fragments go,
 * anything between quotes goes (from the first quote to the last: quotes nest), and so do tokens, dates, e-mail
 * addresses and long numbers; then the text is cut.
 */
export function scrubText(text: string): string {
  return text
    .replace(/([^\s?#"'`]+)[?#][^\s"'`<>]+/g, (_match, before: string) => `${before}?[filtré]`)
    .replace(/"[\s\S]*"|'[\s\S]*'|`[\s\S]*`|“[\s\S]*”|«[\s\S]*»/g, '[texte cité]')
    .replace(/\beyJ[\w-]*(\.[\w-]*)*/g, '[jeton]')
    .replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, '[adresse]')
    .replace(/\b\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?\b|\b\d{1,2}\/\d{1,2}\/\d{2,4}\b/g, '[date]')
    .replace(/(?=[\w+=-]*\d)(?=[\w+=-]*[A-Za-z])[\w+=-]{24,}/g, '[jeton]')
    .replace(/\b\d{5,}\b/g, '[nombre]')
    .slice(0, 500);
}
