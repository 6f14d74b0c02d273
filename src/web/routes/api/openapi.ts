import { z } from 'zod';
import type { Operation } from './operation.ts';

/** JSON Schema (2020-12, the dialect of OpenAPI 3.1) of a zod schema, as a request (`input`) or a response (`output`). */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

/** Each property of an object schema as an OpenAPI parameter. */
function parametersOf(schema: z.ZodType | undefined, where: 'path' | 'query'): Record<string, unknown>[] {
  if (!schema) return [];
  const json = jsonSchemaOf(schema, 'input') as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...propertySchema } = property;
    return {
      name,
      in: where,
      required: where === 'path' || (json.required ?? []).includes(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: propertySchema,
    };
  });
}

export interface OpenApiInfo {
  title: string;
  version: string;
  description: string;
  serverUrl: string;
}

/** Each operation's scope, as the document names it (x-portee). */
const PORTEE = { public: 'public', operator: 'operateur', organisation: 'organisation' } as const;

/** The OpenAPI 3.1 document of the operations, generated from the schemas the routes validate with. */
export function buildOpenApiDocument(operations: readonly Operation[], info: OpenApiInfo): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const parameters = [...parametersOf(op.params, 'path'), ...parametersOf(op.query, 'query')];
    const body = op.documentedBody ?? op.body;
    const responses = Object.fromEntries(
      Object.entries(op.responses).map(([status, response]) => [
        status,
        {
          description: response.description,
          ...(response.headers
            ? { headers: Object.fromEntries(Object.entries(response.headers).map(([name, description]) => [name, { description, schema: { type: 'string' } }])) }
            : {}),
          ...(response.schema ? { content: { 'application/json': { schema: jsonSchemaOf(response.schema, 'output') } } } : {}),
        },
      ]),
    );
    (paths[op.path] ??= {})[op.method.toLowerCase()] = {
      operationId: op.operationId,
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      tags: [op.tag],
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchemaOf(body, 'input') } } } } : {}),
      responses,
      security: op.access.kind === 'public' ? [] : op.access.kind === 'operator' ? [{ jeton: [] }] : [{ cle: [] }, { jeton: [] }],
      'x-portee': PORTEE[op.access.kind],
      ...(op.access.kind === 'organisation' ? { 'x-portee-cible': op.access.targetDescription } : {}),
      ...(op.version ? { 'x-version': op.version } : {}),
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: info.title, version: info.version, description: info.description },
    servers: [{ url: info.serverUrl }],
    paths,
    components: {
      securitySchemes: {
        jeton: { type: 'http', scheme: 'bearer', description: 'Le jeton d’API de l’opérateur (variable API_TOKEN) : toutes les opérations, et seul à ouvrir celles de portée `operateur`.' },
        cle: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'fqf_live_…',
          description:
            'Une clé d’API d’organisation, créée dans l’espace collectivité ou l’espace éditeur (montrée une seule fois). Elle n’agit que pour son organisation : ' +
            'la clé d’une commune pour cette commune, celle d’un éditeur pour ses communes clientes. Opérations de portée `organisation` seulement ; ' +
            'une clé expirée ou révoquée reçoit 401, une opération hors de son organisation 403 (ou 404 pour une ressource désignée par son identifiant).',
        },
      },
    },
  };
}
