import type { Db } from '../db/database.ts';
import type { PersonalDataCipher } from '../security/personal-data-cipher.ts';
import { openWebhookSecret, sealWebhookSecret } from './sealed-secret.ts';
import type { WebhookDeliveryStatus, WebhookEndpointStatus, WebhookOwnerKind } from '../db/schema.ts';
import type { HubeeEnvironment } from '../domain/hubee-environment.ts';
import type { TransmissionFacts, WEBHOOK_TEST_EVENT, WebhookEventType } from './events.ts';

/** Webhook endpoints, their deliveries and the log of attempts. Times come from the caller's clock. */
export type WebhookOwner = { kind: 'collectivity'; siret: string } | { kind: 'editeur'; name: string };

export interface WebhookEndpoint {
  id: string;
  owner: WebhookOwner;
  url: string;
  events: WebhookEventType[];
  description: string | null;
  status: WebhookEndpointStatus;
  disabledReason: string | null;
  disabledAt: Date | null;
  failingSince: Date | null;
  /** Set while the secret a rotation replaced still signs (both signatures go out until then). */
  previousSecretUntil: Date | null;
  createdAt: Date;
}

export interface WebhookAttempt {
  at: Date;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

export interface WebhookDelivery {
  id: string;
  endpointId: string;
  eventType: string;
  body: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: Date;
  giveUpAt: Date;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

export interface ClaimedDelivery extends WebhookDelivery {
  /** The current secret first, then the replaced one while its grace period lasts. */
  endpoint: { url: string; secrets: [string, ...string[]]; failingSince: Date | null };
}

export interface NewDelivery {
  id: string;
  endpointId: string;
  eventType: WebhookEventType | typeof WEBHOOK_TEST_EVENT;
  eventKey: string;
  body: string;
  createdAt: Date;
  giveUpAt: Date;
}

const endpointColumns = ['id', 'owner_kind', 'owner', 'url', 'events', 'description', 'status', 'disabled_reason', 'disabled_at', 'failing_since', 'previous_secret_until', 'created_at'] as const;
const deliveryColumns = [
  'id',
  'endpoint_id',
  'event_type',
  'body',
  'status',
  'attempts',
  'next_attempt_at',
  'give_up_at',
  'last_status_code',
  'last_error',
  'created_at',
  'delivered_at',
] as const;

type EndpointRow = {
  id: string;
  owner_kind: WebhookOwnerKind;
  owner: string;
  url: string;
  events: string[];
  description: string | null;
  status: WebhookEndpointStatus;
  disabled_reason: string | null;
  disabled_at: Date | null;
  failing_since: Date | null;
  previous_secret_until: Date | null;
  created_at: Date;
};

type DeliveryRow = {
  id: string;
  endpoint_id: string;
  event_type: string;
  body: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  next_attempt_at: Date;
  give_up_at: Date;
  last_status_code: number | null;
  last_error: string | null;
  created_at: Date;
  delivered_at: Date | null;
};

const toEndpoint = (r: EndpointRow): WebhookEndpoint => ({
  id: r.id,
  owner: r.owner_kind === 'collectivity' ? { kind: 'collectivity', siret: r.owner } : { kind: 'editeur', name: r.owner },
  url: r.url,
  events: r.events as WebhookEventType[],
  description: r.description,
  status: r.status,
  disabledReason: r.disabled_reason,
  disabledAt: r.disabled_at,
  failingSince: r.failing_since,
  previousSecretUntil: r.previous_secret_until,
  createdAt: r.created_at,
});

const toDelivery = (r: DeliveryRow): WebhookDelivery => ({
  id: r.id,
  endpointId: r.endpoint_id,
  eventType: r.event_type,
  body: r.body,
  status: r.status,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  giveUpAt: r.give_up_at,
  lastStatusCode: r.last_status_code,
  lastError: r.last_error,
  createdAt: r.created_at,
  deliveredAt: r.delivered_at,
});

/**
 * The shipment, its collectivity, and each active endpoint listening to either (none: one row, endpoint null). The
 * shipment's and collectivity's columns are prefixed, the endpoint's keep their names (toEndpoint reads them).
 */
const AUDIENCE_SQL = `select s.reference as s_reference, s.external_id as s_external_id, s.hubee_folder_id as s_hubee_folder_id,
  s.hubee_case_id as s_hubee_case_id, s.hubee_environment as s_hubee_environment, s.sent_at as s_sent_at, s.is_test as s_is_test,
  c.siret as c_siret, c.code_cog as c_code_cog, ${endpointColumns.map((column) => `e.${column}`).join(', ')}
from shipments s
join collectivities c on c.siret = s.collectivity_siret
left join webhook_endpoints e on e.status = 'active'
  and ((e.owner_kind = 'collectivity' and e.owner = c.siret) or (e.owner_kind = 'editeur' and e.owner = c.editor))
where s.reference = $1
order by e.created_at, e.id`;

type AudienceFacts = {
  s_reference: string;
  s_external_id: string | null;
  s_hubee_folder_id: string | null;
  s_hubee_case_id: string | null;
  s_hubee_environment: HubeeEnvironment;
  s_sent_at: Date | null;
  s_is_test: boolean;
  c_siret: string;
  c_code_cog: string;
};
/** A row of the outer join: an endpoint's columns, or all of them null. */
type AudienceRow = AudienceFacts & (EndpointRow | { [K in keyof EndpointRow]: null });
const hasEndpoint = (row: AudienceRow): row is AudienceFacts & EndpointRow => row.id !== null;

const ownerColumns = (owner: WebhookOwner) => ({ owner_kind: owner.kind, owner: owner.kind === 'collectivity' ? owner.siret : owner.name });

export type WebhookRepository = ReturnType<typeof createWebhookRepository>;

export function createWebhookRepository(db: Db, cipher: PersonalDataCipher) {
  const k = db.kysely;
  return {
    async createEndpoint(input: { id: string; owner: WebhookOwner; url: string; secret: string; events: WebhookEventType[]; description: string | null }): Promise<WebhookEndpoint> {
      const row = await k
        .insertInto('webhook_endpoints')
        .values({ id: input.id, ...ownerColumns(input.owner), url: input.url, secret_sealed: sealWebhookSecret(cipher, input.id, input.secret), events: JSON.stringify(input.events), description: input.description, status: 'active' })
        .returning(endpointColumns)
        .executeTakeFirstOrThrow();
      return toEndpoint(row);
    },

    async findEndpoint(id: string): Promise<WebhookEndpoint | null> {
      const row = await k.selectFrom('webhook_endpoints').select(endpointColumns).where('id', '=', id).executeTakeFirst();
      return row ? toEndpoint(row) : null;
    },

    async listEndpoints(filter: { owner?: WebhookOwner; status?: WebhookEndpointStatus } = {}): Promise<WebhookEndpoint[]> {
      let query = k.selectFrom('webhook_endpoints').select(endpointColumns);
      if (filter.owner) {
        const o = ownerColumns(filter.owner);
        query = query.where('owner_kind', '=', o.owner_kind).where('owner', '=', o.owner);
      }
      if (filter.status) query = query.where('status', '=', filter.status);
      const rows = await query.orderBy('created_at').orderBy('id').limit(1000).execute();
      return rows.map(toEndpoint);
    },

    /**
     * A transmission's facts and the active endpoints of its collectivity and of the collectivity's éditeur that want
     * this event, in one statement (a join, prepared once per connection): publishing runs on every transmission,
     * where the shipment's read, its collectivity's and the endpoints' were three round trips. Null when the
     * shipment or its collectivity is unknown.
     */
    async transmissionAudience(reference: string, eventType: WebhookEventType): Promise<{ facts: TransmissionFacts; endpoints: WebhookEndpoint[] } | null> {
      const rows = await db.queryPrepared<AudienceRow>('webhook_transmission_audience', AUDIENCE_SQL, [reference]);
      const first = rows[0];
      if (!first) return null;
      const facts: TransmissionFacts = {
        reference: first.s_reference,
        externalId: first.s_external_id,
        collectivity: { siret: first.c_siret, codeCog: first.c_code_cog },
        hubee: { folderId: first.s_hubee_folder_id, caseId: first.s_hubee_case_id, environment: first.s_hubee_environment },
        sentAt: first.s_sent_at,
        test: first.s_is_test,
      };
      const endpoints = rows.filter(hasEndpoint).map(toEndpoint).filter((e) => e.events.includes(eventType));
      return { facts, endpoints };
    },

    async updateEndpoint(id: string, patch: { url?: string; secret?: string; events?: WebhookEventType[]; description?: string | null }, at: Date): Promise<WebhookEndpoint | null> {
      const row = await k
        .updateTable('webhook_endpoints')
        .set({
          ...(patch.url !== undefined ? { url: patch.url } : {}),
          ...(patch.secret !== undefined ? { secret_sealed: sealWebhookSecret(cipher, id, patch.secret) } : {}),
          ...(patch.events !== undefined ? { events: JSON.stringify(patch.events) } : {}),
          ...(patch.description !== undefined ? { description: patch.description } : {}),
          updated_at: at,
        })
        .where('id', '=', id)
        .returning(endpointColumns)
        .executeTakeFirst();
      return row ? toEndpoint(row) : null;
    },

    /**
     * A new secret; the current one keeps signing until `graceUntil`. One statement, so that no attempt signs
     * with neither. Rotating again within the period drops the oldest secret.
     */
    async rotateSecret(id: string, secret: string, graceUntil: Date, at: Date): Promise<WebhookEndpoint | null> {
      const row = await k
        .updateTable('webhook_endpoints')
        .set((eb) => ({ previous_secret_sealed: eb.ref('secret_sealed'), previous_secret_until: graceUntil, secret_sealed: sealWebhookSecret(cipher, id, secret), updated_at: at }))
        .where('id', '=', id)
        .returning(endpointColumns)
        .executeTakeFirst();
      return row ? toEndpoint(row) : null;
    },

    /** Replaced secrets whose grace period is over are erased, not only ignored. */
    async dropExpiredPreviousSecrets(at: Date): Promise<number> {
      const result = await k
        .updateTable('webhook_endpoints')
        .set({ previous_secret_sealed: null, previous_secret_until: null })
        .where('previous_secret_until', '<=', at)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    /** Back in service: its failure clock starts again. */
    async enableEndpoint(id: string, at: Date): Promise<WebhookEndpoint | null> {
      const row = await k
        .updateTable('webhook_endpoints')
        .set({ status: 'active', disabled_reason: null, disabled_at: null, failing_since: null, updated_at: at })
        .where('id', '=', id)
        .returning(endpointColumns)
        .executeTakeFirst();
      return row ? toEndpoint(row) : null;
    },

    /** Out of service: its pending deliveries stop (a replay restarts any of them once it is enabled again). */
    async disableEndpoint(id: string, reason: string, at: Date): Promise<WebhookEndpoint | null> {
      const row = await k
        .updateTable('webhook_endpoints')
        .set({ status: 'disabled', disabled_reason: reason.slice(0, 500), disabled_at: at, updated_at: at })
        .where('id', '=', id)
        .returning(endpointColumns)
        .executeTakeFirst();
      await k
        .updateTable('webhook_deliveries')
        .set({ status: 'failed', lease_until: null, last_error: 'endpoint disabled' })
        .where('endpoint_id', '=', id)
        .where('status', '=', 'pending')
        .execute();
      return row ? toEndpoint(row) : null;
    },

    async deleteEndpoint(id: string): Promise<boolean> {
      const result = await k.deleteFrom('webhook_endpoints').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    /** Ids of the deliveries actually created (an event already delivered to an endpoint is not doubled). */
    async insertDeliveries(rows: NewDelivery[]): Promise<string[]> {
      if (rows.length === 0) return [];
      const inserted = await k
        .insertInto('webhook_deliveries')
        .values(
          rows.map((r) => ({
            id: r.id,
            endpoint_id: r.endpointId,
            event_type: r.eventType,
            event_key: r.eventKey,
            body: r.body,
            status: 'pending' as const,
            next_attempt_at: r.createdAt,
            give_up_at: r.giveUpAt,
            created_at: r.createdAt,
          })),
        )
        .onConflict((oc) => oc.columns(['endpoint_id', 'event_key']).doNothing())
        .returning('id')
        .execute();
      return inserted.map((r) => r.id);
    },

    /** One sender at a time per delivery, and only while its endpoint is active. */
    async claimDelivery(id: string, at: Date, leaseSeconds: number): Promise<ClaimedDelivery | null> {
      const endpoint = await k
        .selectFrom('webhook_deliveries as d')
        .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
        .select(['e.id', 'e.url', 'e.secret_sealed', 'e.previous_secret_sealed', 'e.previous_secret_until', 'e.failing_since', 'e.status'])
        .where('d.id', '=', id)
        .executeTakeFirst();
      if (!endpoint || endpoint.status !== 'active') return null;
      const row = await k
        .updateTable('webhook_deliveries')
        .set((eb) => ({ lease_until: new Date(at.getTime() + leaseSeconds * 1000), attempts: eb('attempts', '+', 1) }))
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', at)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', at)]))
        .returning(deliveryColumns)
        .executeTakeFirst();
      if (!row) return null;
      const current = openWebhookSecret(cipher, endpoint.id, endpoint.secret_sealed);
      const previous =
        endpoint.previous_secret_sealed && endpoint.previous_secret_until && endpoint.previous_secret_until > at ? [openWebhookSecret(cipher, endpoint.id, endpoint.previous_secret_sealed)] : [];
      return { ...toDelivery(row), endpoint: { url: endpoint.url, secrets: [current, ...previous], failingSince: endpoint.failing_since } };
    },

    async recordAttempt(deliveryId: string, attempt: WebhookAttempt): Promise<void> {
      await k
        .insertInto('webhook_attempts')
        .values({ delivery_id: deliveryId, at: attempt.at, status_code: attempt.statusCode, error: attempt.error?.slice(0, 500) ?? null, duration_ms: attempt.durationMs })
        .execute();
    },

    async markDelivered(delivery: { id: string; endpointId: string }, statusCode: number, at: Date): Promise<void> {
      await k
        .updateTable('webhook_deliveries')
        .set({ status: 'delivered', lease_until: null, last_status_code: statusCode, last_error: null, delivered_at: at })
        .where('id', '=', delivery.id)
        .execute();
      await k.updateTable('webhook_endpoints').set({ failing_since: null }).where('id', '=', delivery.endpointId).where('failing_since', 'is not', null).execute();
    },

    async scheduleRetry(delivery: { id: string; endpointId: string }, next: Date, failure: { statusCode: number | null; error: string | null }, failingSince: Date): Promise<void> {
      await k
        .updateTable('webhook_deliveries')
        .set({ lease_until: null, next_attempt_at: next, last_status_code: failure.statusCode, last_error: failure.error?.slice(0, 500) ?? null })
        .where('id', '=', delivery.id)
        .execute();
      await k.updateTable('webhook_endpoints').set({ failing_since: failingSince }).where('id', '=', delivery.endpointId).where('failing_since', 'is', null).execute();
    },

    async markFailed(delivery: { id: string; endpointId: string }, failure: { statusCode: number | null; error: string | null }, failingSince: Date): Promise<void> {
      await k
        .updateTable('webhook_deliveries')
        .set({ status: 'failed', lease_until: null, last_status_code: failure.statusCode, last_error: failure.error?.slice(0, 500) ?? null })
        .where('id', '=', delivery.id)
        .execute();
      await k.updateTable('webhook_endpoints').set({ failing_since: failingSince }).where('id', '=', delivery.endpointId).where('failing_since', 'is', null).execute();
    },

    /** Pending deliveries due now on active endpoints, that nobody holds. */
    async listDue(at: Date, limit: number): Promise<string[]> {
      const rows = await k
        .selectFrom('webhook_deliveries as d')
        .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
        .select('d.id')
        .where('e.status', '=', 'active')
        .where('d.status', '=', 'pending')
        .where('d.next_attempt_at', '<=', at)
        .where((eb) => eb.or([eb('d.lease_until', 'is', null), eb('d.lease_until', '<', at)]))
        .orderBy('d.next_attempt_at')
        .limit(limit)
        .execute();
      return rows.map((r) => r.id);
    },

    async findDelivery(id: string): Promise<(WebhookDelivery & { log: WebhookAttempt[] }) | null> {
      const row = await k.selectFrom('webhook_deliveries').select(deliveryColumns).where('id', '=', id).executeTakeFirst();
      if (!row) return null;
      const log = await k.selectFrom('webhook_attempts').select(['at', 'status_code', 'error', 'duration_ms']).where('delivery_id', '=', id).orderBy('at').orderBy('id').execute();
      return { ...toDelivery(row), log: log.map((a) => ({ at: a.at, statusCode: a.status_code, error: a.error, durationMs: a.duration_ms })) };
    },

    async listDeliveries(endpointId: string, limit = 100): Promise<WebhookDelivery[]> {
      const rows = await k.selectFrom('webhook_deliveries').select(deliveryColumns).where('endpoint_id', '=', endpointId).orderBy('created_at', 'desc').orderBy('id').limit(limit).execute();
      return rows.map(toDelivery);
    },

    /** Sends a delivery again, whatever became of it, with a fresh retry window. */
    async resetForReplay(id: string, at: Date, giveUpAt: Date): Promise<boolean> {
      const result = await k
        .updateTable('webhook_deliveries')
        .set({ status: 'pending', next_attempt_at: at, give_up_at: giveUpAt, lease_until: null, delivered_at: null })
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
}
