import type { HubeeEnvironment } from '../domain/hubee-environment.ts';
/**
 * The events a collectivity or an éditeur can subscribe to, and the body of each message. Nothing personal:
 * references, identifiers and statuses only; the receiver fetches the folder itself from HubEE.
 */
export const WEBHOOK_EVENT_TYPES = ['transmission.sent', 'transmission.status_changed'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export function isWebhookEventType(value: unknown): value is WebhookEventType {
  return typeof value === 'string' && (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}

/**
 * Sent on demand to one endpoint, so that its owner checks reception and signature before a real event comes.
 * Nobody subscribes to it: it goes only where it is asked for.
 */
export const WEBHOOK_TEST_EVENT = 'webhook.test';

export function testEventBody(endpointId: string, at: Date): string {
  return JSON.stringify({
    type: WEBHOOK_TEST_EVENT,
    timestamp: at.toISOString(),
    data: { endpoint_id: endpointId, message: 'Événement de test envoyé à la demande : aucune transmission ne lui correspond.' },
  });
}

/** What we know of a transmission without its personal data. */
export interface TransmissionFacts {
  reference: string;
  externalId: string | null;
  collectivity: { siret: string; codeCog: string };
  /**
   * Null once the case is closed and its HubEE identifiers forgotten. `environment`: the HubEE that holds them (a
   * test dossier may be in the qualification environment, where the commune's production credentials find nothing).
   */
  hubee: { folderId: string | null; caseId: string | null; environment: HubeeEnvironment };
  sentAt: Date | null;
  /** A test dossier (fictitious person): the message says `"test": true` so that the receiver can tell. */
  test: boolean;
}

export type WebhookEvent =
  | { type: 'transmission.sent'; facts: TransmissionFacts; at: Date }
  | { type: 'transmission.status_changed'; facts: TransmissionFacts; status: string; at: Date };

/** One delivery per event and endpoint: publishing the same event twice sends it once. */
export function eventKey(event: WebhookEvent): string {
  return event.type === 'transmission.sent' ? `${event.type}:${event.facts.reference}` : `${event.type}:${event.facts.reference}:${event.status}`;
}

/** The message body: `{type, timestamp, data}` as the Standard Webhooks specification suggests. */
export function eventBody(event: WebhookEvent): string {
  const { facts } = event;
  const data = {
    reference: facts.reference,
    external_id: facts.externalId,
    collectivity: { siret: facts.collectivity.siret, code_cog: facts.collectivity.codeCog },
    // Said only when not production, so that the messages of families' transmissions keep their shape.
    hubee: { folder_id: facts.hubee.folderId, case_id: facts.hubee.caseId, ...(facts.hubee.environment === 'production' ? {} : { environment: facts.hubee.environment }) },
    sent_at: facts.sentAt?.toISOString() ?? null,
    ...(facts.test ? { test: true } : {}),
    ...(event.type === 'transmission.status_changed' ? { status: event.status, status_changed_at: event.at.toISOString() } : {}),
  };
  return JSON.stringify({ type: event.type, timestamp: event.at.toISOString(), data });
}
