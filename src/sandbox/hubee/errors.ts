import type { FastifyReply } from 'fastify';

/**
 * HubEE's error bodies. API errors are `{"errors":[{"code":<status>,"message":…}]}` (contracts/hubee.md §2.2, §5);
 * the WSO2 gateway in front answers authentication failures with its own `fault` body and code 900901/900902.
 */
export class HubeeApiError extends Error {
  override name = 'HubeeApiError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new HubeeApiError(404, `${what} is not found`);
export const badRequest = (message: string) => new HubeeApiError(400, message);
export const unauthorizedUser = () => new HubeeApiError(403, 'Unauthorized user');

export function errorBody(status: number, message: string) {
  return { errors: [{ code: status, message }] };
}

/** WSO2 API Manager gateway faults (the token is checked before HubEE's own code runs). */
export type GatewayFault = 'missing' | 'invalid' | 'expired';

export class GatewayAuthError extends Error {
  override name = 'GatewayAuthError';
  constructor(readonly fault: GatewayFault) {
    super(`Gateway authentication failed: ${fault}`);
  }
}

export function gatewayFaultBody(fault: GatewayFault) {
  if (fault === 'missing') {
    return {
      fault: {
        code: 900902,
        message: 'Missing Credentials',
        description: 'Invalid Credentials. Make sure your API invocation call has a header: "Authorization : Bearer ACCESS_TOKEN"',
      },
    };
  }
  return {
    fault: {
      code: 900901,
      message: 'Invalid Credentials',
      description:
        fault === 'expired'
          ? 'Access token has expired. Make sure you have provided the correct security credentials'
          : 'Invalid Credentials. Make sure you have provided the correct security credentials',
    },
  };
}

export function sendError(reply: FastifyReply, error: unknown): FastifyReply {
  if (error instanceof GatewayAuthError) {
    return reply.code(401).header('www-authenticate', 'Bearer realm="HubEE"').send(gatewayFaultBody(error.fault));
  }
  if (error instanceof HubeeApiError) return reply.code(error.status).send(errorBody(error.status, error.message));
  throw error;
}
