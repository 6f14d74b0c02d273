import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { authorize } from './auth.ts';
import { badRequest, notFound } from './errors.ts';
import { step, type Hub } from './hub.ts';
import { sameOrganization, type OrganizationIdentifier } from './model.ts';
import { noContent, queryList, queryString } from './routing.ts';
import { notificationView } from './views.ts';

/** Default batch size of `GET /notifications` (SFD RC001: 25, `maxResult` overrides). */
const DEFAULT_MAX_RESULT = 25;

export function notify(
  hub: Hub,
  notification: { recipient: OrganizationIdentifier; transmitter: OrganizationIdentifier; processCode: string; caseId: string; eventId: string | null },
): void {
  const id = randomUUID();
  hub.state.notifications[id] = { id, ...notification, dateTime: hub.nowIso() };
}

export function registerNotificationRoutes(app: FastifyInstance, hub: Hub): void {
  app.get<{ Querystring: Record<string, unknown> }>('/teledossiers/v1/notifications', step('listNotifications'), async (request) => {
    const actor = authorize(hub, request, ['OSL', 'SI', 'ADMIN']);
    const maxText = queryString(request.query.maxResult);
    const maxResult = maxText === undefined ? DEFAULT_MAX_RESULT : Number(maxText);
    if (!Number.isInteger(maxResult) || maxResult < 1) {
      throw badRequest(`Bad Request : Validation failed.\n[ERROR][REQUEST][GET /teledossiers/v1/notifications @query.maxResult] Value is not a valid number`);
    }
    const processCodes = queryList(request.query.processCode);
    const eventDetails = queryString(request.query.eventDetails) === 'true';
    // SFD RC003: the queue is filtered on the caller's organization; nobody sees someone else's notifications.
    return Object.values(hub.state.notifications)
      .filter((n) => sameOrganization(n.recipient, actor.organization))
      .filter((n) => processCodes.length === 0 || processCodes.includes(n.processCode))
      .slice(0, maxResult)
      .map((n) => notificationView(hub, n, eventDetails));
  });

  app.delete<{ Params: { notificationId: string } }>(
    '/teledossiers/v1/notifications/:notificationId',
    step('deleteNotification'),
    async (request, reply) => {
      const actor = authorize(hub, request, ['OSL', 'SI', 'ADMIN']);
      const notification = hub.state.notifications[request.params.notificationId];
      if (!notification || !sameOrganization(notification.recipient, actor.organization)) throw notFound('Notification');
      delete hub.state.notifications[notification.id];
      await hub.store.commit();
      return noContent(reply);
    },
  );
}
