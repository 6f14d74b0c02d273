import type { FastifyInstance } from 'fastify';
import { authorize } from '../auth.ts';
import { badRequest, notFound } from '../errors.ts';
import { step, type Hub } from '../hub.ts';
import { organizationId, type Organization } from '../model.ts';
import { organizationSchema } from '../request-schemas.ts';
import { apiPath, queryString } from '../routing.ts';
import { parseBody } from '../validation.ts';

const ORGANIZATION_ID = /^\w{1,20}-[0-9]{14}-\w{1,10}$/;

/** `/referential/v1/organizations` (SW-O): ADMIN only; an organization's id is `{type}-{siret}-{branchCode}`. */
export function registerOrganizationRoutes(app: FastifyInstance, hub: Hub): void {
  app.get<{ Querystring: Record<string, unknown> }>('/referential/v1/organizations', step('listOrganizations'), async (request) => {
    authorize(hub, request, ['ADMIN']);
    const type = queryString(request.query.type);
    const companyRegister = queryString(request.query.company_register);
    const offset = Number(queryString(request.query.offSet) ?? 0) || 0;
    const max = Number(queryString(request.query.maxResult) ?? 100) || 100;
    return Object.values(hub.state.organizations)
      .filter((o) => (type === undefined || o.type === type) && (companyRegister === undefined || o.companyRegister === companyRegister))
      .slice(offset, offset + max);
  });

  app.get<{ Params: { id: string } }>('/referential/v1/organizations/:id', step('getOrganization'), async (request) => {
    authorize(hub, request, ['ADMIN']);
    const { id } = request.params;
    if (!ORGANIZATION_ID.test(id)) {
      throw badRequest(
        `Bad Request : Validation failed.\n[ERROR][REQUEST][GET ${apiPath(request)} @path.id] ECMA 262 regex "^\\w{1,20}-[0-9]{14}-\\w{1,10}$" does not match input string`,
      );
    }
    const organization = hub.state.organizations[id];
    if (!organization) throw notFound('Organization');
    return organization;
  });

  app.post('/referential/v1/organizations', step('createOrganization'), async (request, reply) => {
    authorize(hub, request, ['ADMIN']);
    const input = parseBody(organizationSchema, request.body, 'POST', apiPath(request));
    const id = organizationId(input);
    if (hub.state.organizations[id]) throw badRequest(`Organization ${id} already exists`);
    const now = hub.nowIso();
    const organization: Organization = {
      ...input,
      code: input.code ?? null,
      country: input.country ?? null,
      phoneNumber: input.phoneNumber ?? null,
      createDateTime: now,
      updateDateTime: now,
    };
    hub.state.organizations[id] = organization;
    await hub.store.commit();
    return reply.code(201).send(organization);
  });

  app.put<{ Params: { id: string } }>('/referential/v1/organizations/:id', step('putOrganization'), async (request) => {
    authorize(hub, request, ['ADMIN']);
    const existing = hub.state.organizations[request.params.id];
    if (!existing) throw notFound('Organization');
    const input = parseBody(organizationSchema, request.body, 'PUT', apiPath(request));
    if (organizationId(input) !== request.params.id) throw badRequest('Organization identifier cannot be changed');
    const organization: Organization = {
      ...input,
      code: input.code ?? null,
      country: input.country ?? null,
      phoneNumber: input.phoneNumber ?? null,
      createDateTime: existing.createDateTime,
      updateDateTime: hub.nowIso(),
    };
    hub.state.organizations[request.params.id] = organization;
    await hub.store.commit();
    return organization;
  });
}
