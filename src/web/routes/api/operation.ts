import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Organisation } from '../../../domain/api-key.ts';

/** Who a resource belongs to, as the authorisation compares it with the caller. */
export type ResourceOwner = { kind: 'collectivity'; siret: string } | { kind: 'editeur'; name: string };

/**
 * What an organisation-scoped operation targets, found from its validated input: an owner, or nothing (an unknown
 * id: the handler answers its own 404). `hidden` says how a refusal answers: a resource named by an id of another
 * organisation is "unknown" (404, the handler's own body), so that ids tell nothing; a commune named by its
 * public SIRET is refused (403).
 */
export type TargetLookup = { kind: 'owner'; owner: ResourceOwner } | { kind: 'unknown' };

/**
 * Who may call an operation, declared once per operation; one hook checks it before the handler.
 * - `public`: anyone;
 * - `operator`: the operator's API_TOKEN only;
 * - `organisation`: the operator, or an organisation's API key acting for the target the operation names (or,
 *   without `target`, for the caller's own organisations: the handler filters by `caller`).
 */
export type Access<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> =
  | { kind: 'public' }
  | { kind: 'operator' }
  | {
      kind: 'organisation';
      /** How the document names the target (x-portee-cible). */
      targetDescription: string;
      target?: (input: { params: z.output<P>; query: z.output<Q>; body: z.output<B> }) => Promise<TargetLookup>;
      /** The answer to another organisation's resource named by an id: the same as an unknown one. */
      hiddenAs?: { code: string; message: string };
    };

/** The caller, once authenticated: nobody in particular, the operator, or an organisation by one of its keys. */
export type ApiCaller =
  | { kind: 'anonymous' }
  | { kind: 'operator' }
  | {
      kind: 'organisation';
      organisation: Organisation;
      keyId: string;
      keyPrefix: string;
      /** The communes it may act for: its own, or an éditeur's clients (read at each request). */
      collectivities: readonly string[];
      /** An éditeur's DataPass identifier, the name of its éditeur-owned webhooks. */
      editeurName: string | null;
    };
import { historicUnauthorizedAnswer } from './historic-unauthorized.ts';

/**
 * One operation of the public API, described once: Fastify registers it and validates requests with these zod
 * schemas, and the OpenAPI document is generated from the very same objects (see openapi.ts).
 */
export interface Operation<P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType> {
  method: 'GET' | 'POST';
  /** OpenAPI form: `/api/collectivites/{code_cog}`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  /** Who may call it (see Access). */
  access: Access<P, Q, B>;
  /** A refused token gets the old form's plain-text 401 (historic-unauthorized.ts) instead of our JSON error. */
  historicUnauthorized?: boolean;
  /** Readable from any origin (CORS). */
  publicRead?: boolean;
  params?: P;
  query?: Q;
  body?: B;
  /**
   * The body as the document shows it, when the handler validates it itself (because its error answers depend on
   * which of several accepted forms was sent); `body` is then left out.
   */
  documentedBody?: z.ZodType;
  /** Which generation of the API the operation belongs to: the old form's shapes, or ours. */
  version?: 'historique' | 'v2';
  responses: Record<number, { description: string; schema?: z.ZodType; headers?: Record<string, string> }>;
  rateLimit?: { max: number; timeWindow: string };
  handler(input: { params: z.output<P>; query: z.output<Q>; body: z.output<B>; caller: ApiCaller }, request: FastifyRequest, reply: FastifyReply): Promise<unknown>;
}

/** Lets the type checker infer P, Q and B from the schemas given. */
export function defineOperation<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(operation: Operation<P, Q, B>): Operation {
  return operation as unknown as Operation;
}

/** Thrown by the validator: Fastify gives it to the error handler with `validationContext`. */
export class RequestValidationError extends Error {
  override name = 'RequestValidationError';
  readonly validation: { field: string; message: string }[];
  constructor(issues: readonly z.core.$ZodIssue[]) {
    super('invalid request');
    this.validation = issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => ({ field: key, message: 'Ce champ n’est pas reconnu.' }))
        : [{ field: issue.path.length > 0 ? issue.path.map(String).join('.') : '(corps)', message: issue.message }],
    );
  }
}

export function fastifyPath(openApiPath: string): string {
  return openApiPath.replace(/\{([^}]+)\}/g, ':$1');
}

type Hook = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the API's authentication hook. */
    apiCaller?: ApiCaller;
  }
}

const ANONYMOUS: ApiCaller = { kind: 'anonymous' };

/**
 * Registers operations in an encapsulated context whose validator is zod. `authenticate` runs before the body is
 * read (a caller without a valid token learns nothing about its body); `authorize` after validation, when the
 * target can be found from the input.
 */
export function registerOperations(
  app: FastifyInstance,
  operations: readonly Operation[],
  hooks: { authenticate(access: Operation['access']): Hook; authorize(operation: Operation): Hook; publicRead: Hook },
): void {
  app.setValidatorCompiler(({ schema }) => {
    const zodSchema = schema as unknown as z.ZodType;
    return (data: unknown) => {
      const parsed = zodSchema.safeParse(data);
      return parsed.success ? { value: parsed.data } : { error: new RequestValidationError(parsed.error.issues) };
    };
  });
  for (const op of operations) {
    app.route({
      method: op.method,
      url: fastifyPath(op.path),
      schema: {
        ...(op.params ? { params: op.params } : {}),
        ...(op.query ? { querystring: op.query } : {}),
        ...(op.body ? { body: op.body } : {}),
      },
      ...(op.rateLimit ? { config: { rateLimit: op.rateLimit } } : {}),
      onRequest: [...(op.publicRead ? [hooks.publicRead] : []), ...(op.access.kind === 'public' ? [] : [hooks.authenticate(op.access)])],
      ...(op.access.kind === 'organisation' ? { preHandler: hooks.authorize(op) } : {}),
      ...(op.historicUnauthorized ? { onSend: historicUnauthorizedAnswer } : {}),
      handler: (request, reply) =>
        op.handler({ params: request.params as never, query: request.query as never, body: request.body as never, caller: request.apiCaller ?? ANONYMOUS }, request, reply),
    });
  }
}
