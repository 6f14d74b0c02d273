import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
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
  /** Bearer token required (API_TOKEN). */
  bearer?: boolean;
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
  handler(input: { params: z.output<P>; query: z.output<Q>; body: z.output<B> }, request: FastifyRequest, reply: FastifyReply): Promise<unknown>;
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

/** Registers operations in an encapsulated context whose validator is zod. */
type Hook = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

export function registerOperations(app: FastifyInstance, operations: readonly Operation[], hooks: { bearer: Hook; publicRead: Hook }): void {
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
      // Before the body is read: a caller without the token learns nothing about its body.
      onRequest: [...(op.publicRead ? [hooks.publicRead] : []), ...(op.bearer ? [hooks.bearer] : [])],
      ...(op.historicUnauthorized ? { onSend: historicUnauthorizedAnswer } : {}),
      handler: (request, reply) =>
        op.handler({ params: request.params as never, query: request.query as never, body: request.body as never }, request, reply),
    });
  }
}
