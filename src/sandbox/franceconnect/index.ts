import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type Provider from 'oidc-provider';
import type { StandIn, StandInContext } from '../stand-in.ts';
import { answerChecktoken } from './checktoken.ts';
import { generateSigningKeys, type SigningKeyGeneration } from '../oidc/keys.ts';
import { memoryAdapterFactory } from '../oidc/memory-adapter.ts';
import { mountProvider, registerLoginSteps, type LoginSteps } from '../oidc/mount.ts';
import { finishLogin, showLoginPage } from './interactions.ts';
import { errorPage } from './pages.ts';
import { buildProvider, FRANCECONNECT_TTL, type FranceConnectTtl } from './provider.ts';
import { createCombinedRateLimiter, type RateLimitOptions } from '../rate-limiter.ts';

/**
 * A faithful local FranceConnect v2 "low" (eidas1): oidc-provider configured as FC (contract §8.2), FC's own
 * request checks (§8.3), a persona-picking login page, and /checktoken for data providers (§8.4), all under
 * `${publicUrl}/franceconnect/api/v2`.
 */
export interface FranceConnectStandInOptions {
  /** Shorter lifetimes for tests; FC's own by default. */
  ttl?: Partial<FranceConnectTtl>;
  /** The per-IP limits of /checktoken; the contract's 30 a minute and 600 an hour by default. */
  checktokenLimits?: readonly RateLimitOptions[];
}

/** /checktoken per IP (contracts/api-particulier-qf.md §4, FRANCE_CONNECT_INTROSPECTION_THROTTLES). */
export const CHECKTOKEN_LIMITS: readonly RateLimitOptions[] = [
  { limit: 30, windowMs: 60_000 },
  { limit: 600, windowMs: 3_600_000 },
];

const MOUNT = '/franceconnect/api/v2';

/** The issuer of the stand-in a sandbox at `publicUrl` runs (what rotateFranceConnectSigningKeys takes). */
export function franceConnectStandInIssuer(publicUrl: string): string {
  return `${publicUrl}${MOUNT}`;
}

/** The interaction cookie is gone or expired (30 min at FC): the login must start again from the service. */
const SESSION_EXPIRED_PAGE = errorPage(
  null,
  'Votre session a expiré. Fermez cet onglet et reconnectez-vous depuis le site du service.',
);

/** One running stand-in. oidc-provider reads its keys once, so a key rotation builds a new Provider. */
class FranceConnectInstance {
  #provider: Provider;
  #callback: (req: IncomingMessage, res: ServerResponse) => unknown;
  /** Newest first; the previous generation stays published so tokens it signed still verify. */
  #generations: SigningKeyGeneration[];

  constructor(
    private readonly build: (keys: SigningKeyGeneration[]) => Provider,
    first: SigningKeyGeneration,
  ) {
    this.#generations = [first];
    this.#provider = build(this.#generations);
    this.#callback = this.#provider.callback();
  }

  get provider(): Provider {
    return this.#provider;
  }

  get signingKey(): SigningKeyGeneration['es256'] {
    const newest = this.#generations[0];
    if (!newest) throw new Error('no signing key');
    return newest.es256;
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    void this.#callback(req, res);
  }

  async rotate(): Promise<void> {
    const next = await generateSigningKeys();
    this.#generations = [next, ...this.#generations.slice(0, 1)];
    this.#provider = this.build(this.#generations);
    this.#callback = this.#provider.callback();
  }
}

const running = new Map<string, FranceConnectInstance>();

/**
 * Replaces the signing keys of the running stand-in(s) with new ones under new kids, keeping the previous ones
 * in the JWKS: a client must then re-fetch the JWKS to verify what FC signs next. Without `issuer`, every
 * stand-in running in this process rotates.
 */
export async function rotateFranceConnectSigningKeys(issuer?: string): Promise<void> {
  const targets = issuer === undefined ? [...running.values()] : [running.get(issuer)].filter((i) => i !== undefined);
  if (targets.length === 0) throw new Error('No FranceConnect stand-in is running for that issuer');
  await Promise.all(targets.map((instance) => instance.rotate()));
}

export function createFranceConnectStandIn(options: FranceConnectStandInOptions = {}): StandIn {
  return async (app: FastifyInstance, context: StandInContext) => {
    const issuer = franceConnectStandInIssuer(context.publicUrl);
    const prefix = new URL(issuer).pathname;
    const ttl = { ...FRANCECONNECT_TTL, ...options.ttl };
    // Interactions and sessions live in memory only, so cookie keys need not outlive the process.
    const cookieKeys = [randomBytes(32).toString('base64url')];
    const adapter = memoryAdapterFactory();
    const instance = new FranceConnectInstance(
      (generations) =>
        buildProvider({
          issuer,
          client: context.config.franceConnect,
          keys: generations.flatMap((g) => g.privateJwks),
          cookieKeys,
          ttl,
          adapter,
        }),
      await generateSigningKeys(),
    );
    running.set(issuer, instance);
    app.addHook('onClose', async () => {
      if (running.get(issuer) === instance) running.delete(issuer);
    });

    await mountProvider(app, prefix, (req, res) => instance.handle(req, res));
    const steps: LoginSteps = {
      provider: () => instance.provider,
      show: (req, res) => showLoginPage(instance.provider, req, res),
      login: (req, res, login) => finishLogin(instance.provider, req, res, login),
      expiredPage: SESSION_EXPIRED_PAGE,
    };
    await registerLoginSteps(app, prefix, steps, (scope, form) => {
      const checktokenLimiter = context.perIpLimits === false ? null : createCombinedRateLimiter(options.checktokenLimits ?? CHECKTOKEN_LIMITS);
      scope.post(`${prefix}/checktoken`, async (request, reply) => {
        const decision = checktokenLimiter?.hit(request.ip);
        if (decision && !decision.allowed) {
          return reply
            .code(429)
            .headers({ 'cache-control': 'no-store', 'retry-after': String(decision.retryAfterSeconds) })
            .type('application/json; charset=utf-8')
            .send({ error: 'too_many_requests', error_description: 'Too many requests, retry later.' });
        }
        const answer = await answerChecktoken(form(request.body), {
          provider: instance.provider,
          signingKey: instance.signingKey,
        });
        return reply.code(answer.status).header('cache-control', 'no-store').type(answer.contentType).send(answer.body);
      });
    });
  };
}

export const franceConnectStandIn: StandIn = createFranceConnectStandIn();
