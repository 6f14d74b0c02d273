import { z } from 'zod';
import {
  organizationSchema,
  subscriptionSchema,
  type CreateOrganizationInput,
  type Organization,
  type Subscription,
  type SubscriptionFilters,
  type SubscriptionInput,
} from './schemas.ts';
import { toList } from './teledossiers.ts';
import type { HubeeTransport } from './transport.ts';

const BASE = '/referential/v1';
const seg = encodeURIComponent;

/** HubEE's organization id: `{type}-{siret}-{branchCode}`, e.g. `SI-21040107100019-04107`. */
export function organizationIdOf(org: { type: string; companyRegister: string; branchCode: string }): string {
  return `${org.type}-${org.companyRegister}-${org.branchCode}`;
}

/** The referential (ADMIN scope for writes; an OSL may read subscriptions). */
export function referentialOperations(transport: HubeeTransport) {
  return {
    getOrganization: (organizationId: string): Promise<Organization> =>
      transport.json({ operation: 'getOrganization', method: 'GET', path: `${BASE}/organizations/${seg(organizationId)}` }, organizationSchema),

    /** A duplicate fails with a HubeeError of kind 'conflict' (HubEE: 400 "Organization … already exists"). */
    createOrganization: (input: CreateOrganizationInput): Promise<Organization> =>
      transport.json({ operation: 'createOrganization', method: 'POST', path: `${BASE}/organizations`, json: input }, organizationSchema),

    listSubscriptions: (filters: SubscriptionFilters = {}): Promise<Subscription[]> => {
      const query = new URLSearchParams();
      for (const code of toList(filters.processCode)) query.append('processCode', code);
      if (filters.status !== undefined) query.set('status', filters.status);
      if (filters.companyRegister !== undefined) query.set('companyRegister', filters.companyRegister);
      if (filters.datapassId !== undefined) query.set('datapassId', String(filters.datapassId));
      if (filters.offSet !== undefined) query.set('offSet', String(filters.offSet));
      if (filters.maxResult !== undefined) query.set('maxResult', String(filters.maxResult));
      return transport.json(
        { operation: 'listSubscriptions', method: 'GET', path: `${BASE}/subscriptions`, query },
        z.array(subscriptionSchema),
      );
    },

    getSubscription: (subscriptionId: string): Promise<Subscription> =>
      transport.json({ operation: 'getSubscription', method: 'GET', path: `${BASE}/subscriptions/${seg(subscriptionId)}` }, subscriptionSchema),

    /** A duplicate fails with kind 'conflict' (HubEE: 400 "Subscription … for organization … already exists"). */
    createSubscription: (input: SubscriptionInput): Promise<Subscription> =>
      transport.json({ operation: 'createSubscription', method: 'POST', path: `${BASE}/subscriptions`, json: input }, subscriptionSchema),

    /** Full replacement (PUT): send the whole subscription, e.g. with status "Actif" to activate it. */
    updateSubscription: (subscriptionId: string, input: SubscriptionInput): Promise<Subscription> =>
      transport.json(
        { operation: 'updateSubscription', method: 'PUT', path: `${BASE}/subscriptions/${seg(subscriptionId)}`, json: input },
        subscriptionSchema,
      ),
  };
}
