import { randomUUID } from 'node:crypto';
import { hasControlCharacters } from '../domain/text.ts';
import type { Logger } from 'pino';
import type { Config } from '../config/config.ts';
import { isSiret } from '../domain/siret.ts';
import type { JobQueue } from '../jobs/queue.ts';
import { eventBody, eventKey, isWebhookEventType, testEventBody, WEBHOOK_TEST_EVENT, type WebhookEvent, type WebhookEventType } from './events.ts';
import type { WebhookDelivery, WebhookEndpoint, WebhookOwner, WebhookRepository } from './repository.ts';
import { sendWebhook, type SendResult } from './send.ts';
import { generateWebhookSecret, isWebhookSecret, webhookHeaders } from './signature.ts';
import { checkWebhookTarget, type ResolvedAddress, type TargetPolicy } from './target-guard.ts';

/**
 * Outgoing webhooks: registration of endpoints, publication of events, and delivery at least once through the job
 * queue, signed as Standard Webhooks says, retried with exponential backoff for the retry window (3 days by
 * default). An endpoint that has failed for the whole window is disabled; the operator sees it and can enable it
 * again and replay what it missed.
 */
export const WEBHOOK_QUEUE = 'webhook-delivery';

/** The longest wait between two attempts, so that the last day of the window still sees a few. */
const MAX_RETRY_DELAY_SECONDS = 12 * 3600;
const LEASE_SECONDS = 120;

export type RegistrationError =
  | { code: 'INVALID_URL'; message: string }
  | { code: 'TARGET_REFUSED'; message: string }
  | { code: 'INVALID_EVENTS'; message: string }
  | { code: 'INVALID_DESCRIPTION'; message: string }
  | { code: 'INVALID_OWNER'; message: string }
  | { code: 'UNKNOWN_COLLECTIVITY'; message: string }
  | { code: 'INVALID_SECRET'; message: string };

const INVALID_DESCRIPTION = { code: 'INVALID_DESCRIPTION', message: 'La description contient des caractères de contrôle.' } as const;

export type Registered = { ok: true; endpoint: WebhookEndpoint; secret: string } | { ok: false; error: RegistrationError };

export interface EndpointInput {
  owner: WebhookOwner;
  url: string;
  events: readonly string[];
  description?: string | null;
  /** `whsec_…`; generated when absent. */
  secret?: string;
}

export type AttemptOutcome =
  | { kind: 'delivered'; statusCode: number }
  | { kind: 'retry_scheduled'; inSeconds: number; failure: string }
  | { kind: 'failed'; failure: string }
  | { kind: 'endpoint_disabled'; failure: string }
  | { kind: 'not_claimed' };

export type ReplayOutcome = { kind: 'queued' } | { kind: 'not_found' } | { kind: 'endpoint_disabled' };

export type TestEventOutcome = { kind: 'queued'; deliveryId: string } | { kind: 'not_found' } | { kind: 'endpoint_disabled' };

export type RotationOutcome = { kind: 'rotated'; endpoint: WebhookEndpoint; secret: string; previousSecretUntil: Date } | { kind: 'not_found' };

export interface WebhookDeps {
  repository: WebhookRepository;
  queue: JobQueue;
  logger: Logger;
  settings: Config['webhooks'] & { allowHttp: boolean };
  collectivityExists(siret: string): Promise<boolean>;
  now?: () => Date;
  /** Tests replace DNS. */
  resolve?: (host: string) => Promise<ResolvedAddress[]>;
}

export type WebhookService = ReturnType<typeof createWebhookService>;

export function retryDelaySeconds(attempts: number, baseSeconds: number): number {
  return Math.min(baseSeconds * 2 ** Math.max(0, attempts - 1), MAX_RETRY_DELAY_SECONDS);
}

export function createWebhookService(deps: WebhookDeps) {
  const { repository, queue, logger, settings } = deps;
  const now = deps.now ?? (() => new Date());
  const windowMs = settings.retryWindowHours * 3600 * 1000;
  const policy: TargetPolicy = { allowPrivate: settings.allowPrivateTargets, allowHttp: settings.allowHttp, ...(deps.resolve ? { resolve: deps.resolve } : {}) };

  const enqueue = async (deliveryId: string) => {
    await queue.send(WEBHOOK_QUEUE, { deliveryId }, { singletonKey: deliveryId, retryLimit: 0 });
  };

  async function checkUrl(url: string): Promise<RegistrationError | null> {
    const target = await checkWebhookTarget(url, policy);
    if (target.ok) return null;
    if (target.reason === 'invalid_url') return { code: 'INVALID_URL', message: 'L’adresse du webhook n’est pas une URL.' };
    if (target.reason === 'scheme_not_allowed') return { code: 'INVALID_URL', message: 'L’adresse du webhook doit commencer par https://.' };
    if (target.reason === 'credentials_in_url') return { code: 'INVALID_URL', message: 'L’adresse du webhook ne doit pas contenir d’identifiants.' };
    if (target.reason === 'unresolvable') return { code: 'TARGET_REFUSED', message: 'Le nom de domaine de l’adresse du webhook ne se résout pas.' };
    return { code: 'TARGET_REFUSED', message: 'L’adresse du webhook mène à un réseau privé, local ou réservé : elle est refusée.' };
  }

  function checkEvents(events: readonly string[]): WebhookEventType[] | RegistrationError {
    if (events.length === 0 || !events.every(isWebhookEventType)) {
      return { code: 'INVALID_EVENTS', message: 'Les événements possibles sont transmission.sent et transmission.status_changed.' };
    }
    return [...new Set(events as WebhookEventType[])];
  }

  async function register(input: EndpointInput): Promise<Registered> {
    const { owner } = input;
    if (owner.kind === 'collectivity') {
      if (!isSiret(owner.siret, { allowTestSirets: true })) return { ok: false, error: { code: 'INVALID_OWNER', message: 'Le SIRET de la collectivité est invalide.' } };
      if (!(await deps.collectivityExists(owner.siret))) return { ok: false, error: { code: 'UNKNOWN_COLLECTIVITY', message: 'Cette collectivité est inconnue.' } };
    } else if (owner.name.trim() === '' || owner.name.length > 200 || hasControlCharacters(owner.name)) {
      return { ok: false, error: { code: 'INVALID_OWNER', message: 'Le nom de l’éditeur doit faire de 1 à 200 caractères.' } };
    }
    if (input.description && hasControlCharacters(input.description, { allowLineBreaks: true })) return { ok: false, error: INVALID_DESCRIPTION };
    const events = checkEvents(input.events);
    if (!Array.isArray(events)) return { ok: false, error: events };
    if (input.secret !== undefined && !isWebhookSecret(input.secret)) {
      return { ok: false, error: { code: 'INVALID_SECRET', message: 'Le secret doit s’écrire whsec_ suivi de 24 à 64 octets en base64.' } };
    }
    const urlError = await checkUrl(input.url);
    if (urlError) return { ok: false, error: urlError };
    const secret = input.secret ?? generateWebhookSecret();
    const endpoint = await repository.createEndpoint({
      id: randomUUID(),
      owner: owner.kind === 'editeur' ? { kind: 'editeur', name: owner.name.trim() } : owner,
      url: input.url,
      secret,
      events,
      description: input.description?.slice(0, 500) ?? null,
    });
    logger.info({ event: 'webhook.endpoint_registered', endpointId: endpoint.id, ownerKind: owner.kind }, 'webhook endpoint registered');
    return { ok: true, endpoint, secret };
  }

  async function update(id: string, patch: { url?: string; events?: readonly string[]; description?: string | null; status?: 'active' | 'disabled' }) {
    const existing = await repository.findEndpoint(id);
    if (!existing) return { ok: false as const, error: { code: 'NOT_FOUND' as const, message: 'Ce webhook est inconnu.' } };
    if (patch.description && hasControlCharacters(patch.description, { allowLineBreaks: true })) return { ok: false as const, error: INVALID_DESCRIPTION };
    let events: WebhookEventType[] | undefined;
    if (patch.events !== undefined) {
      const checked = checkEvents(patch.events);
      if (!Array.isArray(checked)) return { ok: false as const, error: checked };
      events = checked;
    }
    if (patch.url !== undefined) {
      const urlError = await checkUrl(patch.url);
      if (urlError) return { ok: false as const, error: urlError };
    }
    let endpoint = await repository.updateEndpoint(
      id,
      { ...(patch.url !== undefined ? { url: patch.url } : {}), ...(events ? { events } : {}), ...(patch.description !== undefined ? { description: patch.description } : {}) },
      now(),
    );
    if (patch.status === 'active' && existing.status !== 'active') endpoint = await repository.enableEndpoint(id, now());
    if (patch.status === 'disabled' && existing.status !== 'disabled') endpoint = await repository.disableEndpoint(id, 'désactivé par l’opérateur', now());
    if (!endpoint) return { ok: false as const, error: { code: 'NOT_FOUND' as const, message: 'Ce webhook est inconnu.' } };
    return { ok: true as const, endpoint };
  }

  /**
   * A new signing secret, shown once. The replaced one keeps signing every attempt (both signatures in
   * webhook-signature) for the grace period, so that the receiver can switch whenever it likes without refusing a
   * message; afterwards it is erased.
   */
  async function rotateSecret(id: string): Promise<RotationOutcome> {
    const secret = generateWebhookSecret();
    const at = now();
    const previousSecretUntil = new Date(at.getTime() + settings.secretGraceHours * 3600 * 1000);
    const endpoint = await repository.rotateSecret(id, secret, previousSecretUntil, at);
    if (!endpoint) return { kind: 'not_found' };
    logger.info({ event: 'webhook.secret_rotated', endpointId: id, previousSecretUntil: previousSecretUntil.toISOString() }, 'webhook secret rotated');
    return { kind: 'rotated', endpoint, secret, previousSecretUntil };
  }

  /** A `webhook.test` message to this endpoint alone, delivered and logged like any other. */
  async function sendTestEvent(id: string): Promise<TestEventOutcome> {
    const endpoint = await repository.findEndpoint(id);
    if (!endpoint) return { kind: 'not_found' };
    if (endpoint.status !== 'active') return { kind: 'endpoint_disabled' };
    const createdAt = now();
    const deliveryId = `msg_${randomUUID().replaceAll('-', '')}`;
    await repository.insertDeliveries([
      { id: deliveryId, endpointId: id, eventType: WEBHOOK_TEST_EVENT, eventKey: `${WEBHOOK_TEST_EVENT}:${deliveryId}`, body: testEventBody(id, createdAt), createdAt, giveUpAt: new Date(createdAt.getTime() + windowMs) },
    ]);
    await enqueue(deliveryId);
    logger.info({ event: 'webhook.test_queued', endpointId: id, deliveryId }, 'webhook test event queued');
    return { kind: 'queued', deliveryId };
  }

  /** Creates one delivery per interested endpoint and queues it; returns how many were created. */
  async function publish(event: WebhookEvent, endpoints: WebhookEndpoint[]): Promise<number> {
    if (endpoints.length === 0) return 0;
    const createdAt = now();
    const body = eventBody(event);
    const ids = await repository.insertDeliveries(
      endpoints.map((e) => ({
        id: `msg_${randomUUID().replaceAll('-', '')}`,
        endpointId: e.id,
        eventType: event.type,
        eventKey: eventKey(event),
        body,
        createdAt,
        giveUpAt: new Date(createdAt.getTime() + windowMs),
      })),
    );
    for (const id of ids) await enqueue(id);
    if (ids.length > 0) logger.info({ event: 'webhook.published', type: event.type, reference: event.facts.reference, deliveries: ids.length }, 'webhook event published');
    return ids.length;
  }

  async function publishTransmissionSent(reference: string): Promise<number> {
    const found = await repository.transmissionAudience(reference, 'transmission.sent');
    if (!found) return 0;
    return publish({ type: 'transmission.sent', facts: found.facts, at: now() }, found.endpoints);
  }

  async function publishStatusChanged(reference: string, status: string): Promise<number> {
    const found = await repository.transmissionAudience(reference, 'transmission.status_changed');
    if (!found) return 0;
    return publish({ type: 'transmission.status_changed', facts: found.facts, status, at: now() }, found.endpoints);
  }

  /** One attempt of one delivery: the queue's job, and the sweep's. */
  async function attempt(deliveryId: string): Promise<AttemptOutcome> {
    const at = now();
    const claimed = await repository.claimDelivery(deliveryId, at, LEASE_SECONDS);
    if (!claimed) return { kind: 'not_claimed' };
    const timestamp = Math.floor(at.getTime() / 1000);
    const result = await sendWebhook(
      { url: claimed.endpoint.url, headers: webhookHeaders({ id: claimed.id, timestamp, body: claimed.body, secrets: claimed.endpoint.secrets }), body: claimed.body, timeoutMs: settings.timeoutMs },
      policy,
    );
    const failure = describeFailure(result);
    await repository.recordAttempt(claimed.id, { at, statusCode: result.kind === 'answered' ? result.statusCode : null, error: failure, durationMs: result.durationMs });
    const log = logger.child({ deliveryId: claimed.id, endpointId: claimed.endpointId, attempt: claimed.attempts });
    if (result.kind === 'answered' && failure === null) {
      await repository.markDelivered(claimed, result.statusCode, now());
      log.info({ event: 'webhook.delivered', statusCode: result.statusCode }, 'webhook delivered');
      return { kind: 'delivered', statusCode: result.statusCode };
    }
    const failed = { statusCode: result.kind === 'answered' ? result.statusCode : null, error: failure };
    const reason = failure ?? 'unknown';
    // An endpoint fails from the moment a message it should have taken was ready for it.
    const failingSince = claimed.endpoint.failingSince ?? claimed.createdAt;
    if (at.getTime() - failingSince.getTime() >= windowMs) {
      await repository.markFailed(claimed, failed, failingSince);
      await repository.disableEndpoint(claimed.endpointId, `échecs continus depuis le ${failingSince.toISOString()} (dernier : ${reason})`, at);
      log.warn({ event: 'webhook.endpoint_disabled', reason }, 'webhook endpoint disabled after failing for the whole retry window');
      return { kind: 'endpoint_disabled', failure: reason };
    }
    if (at.getTime() >= claimed.giveUpAt.getTime()) {
      await repository.markFailed(claimed, failed, failingSince);
      log.warn({ event: 'webhook.failed', reason }, 'webhook delivery given up');
      return { kind: 'failed', failure: reason };
    }
    // The last attempt happens at the end of the window rather than never.
    const inSeconds = Math.min(retryDelaySeconds(claimed.attempts, settings.retryBaseSeconds), Math.max(0, (claimed.giveUpAt.getTime() - at.getTime()) / 1000));
    // The sweep queues it again when it is due: a delay in the database survives restarts and is as precise as
    // the sweep, whatever the queue's own scheduling granularity.
    await repository.scheduleRetry(claimed, new Date(at.getTime() + inSeconds * 1000), failed, failingSince);
    log.info({ event: 'webhook.retry_scheduled', reason, inSeconds }, 'webhook delivery will be retried');
    return { kind: 'retry_scheduled', inSeconds, failure: reason };
  }

  /** Queues every delivery that is due (after a crash, or when the queue's delay was coarser than ours). */
  async function sweep(): Promise<number> {
    await repository.dropExpiredPreviousSecrets(now());
    const due = await repository.listDue(now(), 100);
    for (const id of due) await enqueue(id);
    return due.length;
  }

  async function replay(deliveryId: string): Promise<ReplayOutcome> {
    const delivery = await repository.findDelivery(deliveryId);
    if (!delivery) return { kind: 'not_found' };
    const endpoint = await repository.findEndpoint(delivery.endpointId);
    if (!endpoint || endpoint.status !== 'active') return { kind: 'endpoint_disabled' };
    const at = now();
    await repository.resetForReplay(deliveryId, at, new Date(at.getTime() + windowMs));
    await enqueue(deliveryId);
    logger.info({ event: 'webhook.replayed', deliveryId }, 'webhook delivery replayed');
    return { kind: 'queued' };
  }

  return {
    register,
    update,
    rotateSecret,
    sendTestEvent,
    findEndpoint: (id: string) => repository.findEndpoint(id),
    listEndpoints: (filter?: { owner?: WebhookOwner; status?: 'active' | 'disabled' }) => repository.listEndpoints(filter),
    deleteEndpoint: (id: string) => repository.deleteEndpoint(id),
    listDeliveries: (endpointId: string, limit?: number): Promise<WebhookDelivery[]> => repository.listDeliveries(endpointId, limit),
    findDelivery: (id: string) => repository.findDelivery(id),
    publish,
    publishTransmissionSent,
    publishStatusChanged,
    attempt,
    sweep,
    replay,
  };
}

/** Only a 2xx is a delivery; a redirect means the receiver's URL moved, which it must tell us. */
function describeFailure(result: SendResult): string | null {
  if (result.kind === 'failed') return result.error;
  if (result.statusCode >= 200 && result.statusCode < 300) return null;
  return `HTTP ${result.statusCode}`;
}
