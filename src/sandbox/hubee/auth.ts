import type { FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { GatewayAuthError, unauthorizedUser } from './errors.ts';
import type { Hub } from './hub.ts';
import type { OrganizationIdentifier } from './model.ts';
import { ADMIN_ORGANIZATION, OSL_ORGANIZATION, siClientSecret } from './seed.ts';

export type Role = 'OSL' | 'SI' | 'ADMIN';

/** Who is calling: the role granted by the token's scope, and the organization that role acts for. */
export interface Actor {
  role: Role;
  organization: OrganizationIdentifier;
  clientId: string;
}

interface KnownClient {
  scopes: readonly Role[];
  organization: OrganizationIdentifier;
}

/**
 * The clients HubEE knows: the app's OSL and ADMIN pairs (from its configuration, as the app registers itself),
 * and one SI pair per organization of the referential (see seed.ts for the documented scheme).
 */
export function findClient(hub: Hub, clientId: string, clientSecret: string): KnownClient | null {
  const { osl, admin } = hub.clients;
  if (clientId === osl.clientId && secretsMatch(clientSecret, osl.clientSecret)) {
    return { scopes: ['OSL'], organization: OSL_ORGANIZATION };
  }
  if (admin && clientId === admin.clientId && secretsMatch(clientSecret, admin.clientSecret)) {
    return { scopes: ['ADMIN'], organization: ADMIN_ORGANIZATION };
  }
  const organization = hub.state.organizations[clientId];
  if (organization?.type === 'SI' && secretsMatch(clientSecret, siClientSecret(organization.companyRegister, organization.branchCode))) {
    return {
      scopes: ['SI'],
      organization: { type: 'SI', companyRegister: organization.companyRegister, branchCode: organization.branchCode },
    };
  }
  return null;
}

/**
 * Checks the bearer token the way the WSO2 gateway does, before any HubEE logic (hence 401 bodies of its own),
 * then the role: 403 "Unauthorized user" when the token may not use this route (contracts/hubee.md §1.2).
 */
export function authorize(hub: Hub, request: FastifyRequest, roles: readonly Role[]): Actor {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (!match?.[1]) throw new GatewayAuthError('missing');
  const issued = hub.state.tokens[match[1]];
  if (!issued) throw new GatewayAuthError('invalid');
  if (issued.expiresAt <= hub.nowMs()) throw new GatewayAuthError('expired');
  const organization = clientOrganization(hub, issued.clientId);
  // A token granted no HubEE scope ("default"), or whose organization was removed, acts for nobody.
  if (!organization || !isRole(issued.scope) || !roles.includes(issued.scope)) throw unauthorizedUser();
  return { role: issued.scope, organization, clientId: issued.clientId };
}

function clientOrganization(hub: Hub, clientId: string): OrganizationIdentifier | null {
  if (clientId === hub.clients.osl.clientId) return OSL_ORGANIZATION;
  if (clientId === hub.clients.admin?.clientId) return ADMIN_ORGANIZATION;
  const organization = hub.state.organizations[clientId];
  return organization ? { type: organization.type, companyRegister: organization.companyRegister, branchCode: organization.branchCode } : null;
}

function isRole(scope: string): scope is Role {
  return scope === 'OSL' || scope === 'SI' || scope === 'ADMIN';
}

function secretsMatch(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
