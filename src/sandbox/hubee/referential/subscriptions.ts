import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { authorize } from '../auth.ts';
import { badRequest, notFound } from '../errors.ts';
import { step, type Hub } from '../hub.ts';
import { organizationId, type Subscription } from '../model.ts';
import { subscriptionSchema } from '../request-schemas.ts';
import { apiPath, queryList, queryString } from '../routing.ts';
import { parseBody } from '../validation.ts';

type SubscriptionInput = z.output<typeof subscriptionSchema>;

/**
 * `/referential/v1/subscriptions` (SW-S): ADMIN writes, OSL and ADMIN read. Responses add the subscriber's
 * `name`, as HubEE does. The stand-in applies `status` at once (HubEE activates at 00:01 on the activation date).
 */
export function registerSubscriptionRoutes(app: FastifyInstance, hub: Hub): void {
  app.get<{ Querystring: Record<string, unknown> }>('/referential/v1/subscriptions', step('listSubscriptions'), async (request, reply) => {
    authorize(hub, request, ['OSL', 'ADMIN']);
    const q = request.query;
    const processCodes = queryList(q.processCode);
    const status = queryString(q.status);
    const companyRegister = queryString(q.companyRegister);
    const datapassId = queryString(q.datapassId);
    const delegationActorEmail = queryString(q.delegationActorEmail);
    const offset = Math.max(0, Number(queryString(q.offSet) ?? 0) || 0);
    const max = Math.max(1, Number(queryString(q.maxResult) ?? 100) || 100);
    const matching = Object.values(hub.state.subscriptions).filter(
      (s) =>
        (processCodes.length === 0 || processCodes.includes(s.processCode)) &&
        (status === undefined || s.status === status) &&
        (companyRegister === undefined || s.subscriber.companyRegister === companyRegister) &&
        (datapassId === undefined || String(s.datapassId) === datapassId) &&
        // The stand-in's delegation actor is an organization, so this filter matches the notification e-mail.
        (delegationActorEmail === undefined || s.email === delegationActorEmail),
    );
    const page = matching.slice(offset, offset + max);
    const end = page.length === 0 ? offset : offset + page.length - 1;
    reply.header('content-range', `Subscriptions ${offset}-${end}/${matching.length}`);
    return page.map((s) => subscriptionView(hub, s));
  });

  app.get<{ Params: { id: string } }>('/referential/v1/subscriptions/:id', step('getSubscription'), async (request) => {
    authorize(hub, request, ['OSL', 'ADMIN']);
    const subscription = hub.state.subscriptions[request.params.id];
    if (!subscription) throw notFound('Subscription');
    return subscriptionView(hub, subscription);
  });

  app.post('/referential/v1/subscriptions', step('createSubscription'), async (request, reply) => {
    authorize(hub, request, ['ADMIN']);
    const input = parseBody(subscriptionSchema, request.body, 'POST', apiPath(request));
    const subscriberId = organizationId(input.subscriber);
    if (!hub.state.organizations[subscriberId]) throw badRequest(`Organization ${subscriberId} does not exist`);
    const duplicate = Object.values(hub.state.subscriptions).some(
      (s) => s.processCode === input.processCode && organizationId(s.subscriber) === subscriberId,
    );
    if (duplicate) throw badRequest(`Subscription ${input.processCode} for organization ${subscriberId} already exists`);
    const now = hub.nowIso();
    const subscription = fromInput(randomUUID(), input, now, now);
    hub.state.subscriptions[subscription.id] = subscription;
    await hub.store.commit();
    return reply.code(201).send(subscriptionView(hub, subscription));
  });

  app.put<{ Params: { id: string } }>('/referential/v1/subscriptions/:id', step('putSubscription'), async (request) => {
    authorize(hub, request, ['ADMIN']);
    const existing = hub.state.subscriptions[request.params.id];
    if (!existing) throw notFound('Subscription');
    const input = parseBody(subscriptionSchema, request.body, 'PUT', apiPath(request));
    if (organizationId(input.subscriber) !== organizationId(existing.subscriber) || input.processCode !== existing.processCode) {
      throw badRequest('Subscription subscriber and processCode cannot be changed');
    }
    const subscription = fromInput(existing.id, input, existing.creationDateTime, hub.nowIso());
    hub.state.subscriptions[existing.id] = subscription;
    await hub.store.commit();
    return subscriptionView(hub, subscription);
  });
}

function fromInput(id: string, input: SubscriptionInput, creationDateTime: string, now: string): Subscription {
  return {
    id,
    datapassId: input.datapassId,
    processCode: input.processCode,
    subscriber: input.subscriber,
    accessMode: input.accessMode ?? null,
    notificationFrequency: input.notificationFrequency,
    // Activation without a date means "now" (FQF sends one; a missing one must not leave an active subscription undated).
    activateDateTime: input.activateDateTime ?? (input.status === 'Actif' ? now : null),
    validateDateTime: input.validateDateTime ?? null,
    rejectDateTime: input.rejectDateTime ?? null,
    endDateTime: input.endDateTime ?? null,
    updateDateTime: now,
    creationDateTime,
    delegationActor: {
      type: input.delegationActor?.type ?? null,
      companyRegister: input.delegationActor?.companyRegister ?? null,
      branchCode: input.delegationActor?.branchCode ?? null,
    },
    rejectionReason: input.rejectionReason ?? null,
    status: input.status,
    email: input.email ?? null,
    localAdministrator: {
      email: input.localAdministrator.email,
      firstName: input.localAdministrator.firstName ?? null,
      lastName: input.localAdministrator.lastName ?? null,
      function: input.localAdministrator.function ?? null,
      phoneNumber: input.localAdministrator.phoneNumber ?? null,
      mobileNumber: input.localAdministrator.mobileNumber ?? null,
    },
  };
}

function subscriptionView(hub: Hub, subscription: Subscription) {
  const name = hub.state.organizations[organizationId(subscription.subscriber)]?.name ?? null;
  return { ...subscription, subscriber: { ...subscription.subscriber, name } };
}
