import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { findClient } from './auth.ts';
import { step, type Hub } from './hub.ts';

/**
 * `POST /oauth2/token`: OAuth2 client credentials, client authenticated by HTTP Basic (or, as WSO2 IS also
 * allows, client_id/client_secret in the form), `grant_type=client_credentials&scope=OSL|SI|ADMIN`.
 * Like WSO2, a scope the client may not have is not an error: the token is issued with scope "default" and the
 * APIs answer 403 with it.
 */
export function registerTokenRoute(app: FastifyInstance, hub: Hub): void {
  app.post('/oauth2/token', step('token'), async (request, reply) => {
    const form = formFields(request.body);
    const basic = basicCredentials(request.headers.authorization);
    const clientId = basic?.clientId ?? form.get('client_id') ?? '';
    const clientSecret = basic?.clientSecret ?? form.get('client_secret') ?? '';
    const client = clientId ? findClient(hub, clientId, clientSecret) : null;
    if (!client) {
      return reply
        .code(401)
        .header('www-authenticate', 'Basic realm="HubEE"')
        .send({ error: 'invalid_client', error_description: 'Client Authentication failed.' });
    }
    if (form.get('grant_type') !== 'client_credentials') {
      return reply.code(400).send({ error: 'unsupported_grant_type', error_description: 'Unsupported grant_type value' });
    }
    const requested = (form.get('scope') ?? '').split(/\s+/).filter(Boolean);
    const granted = requested.find((scope) => (client.scopes as readonly string[]).includes(scope)) ?? 'default';

    const now = hub.nowMs();
    for (const [token, issued] of Object.entries(hub.state.tokens)) {
      if (issued.expiresAt <= now) delete hub.state.tokens[token];
    }
    const token = randomUUID();
    hub.state.tokens[token] = { token, clientId, scope: granted, expiresAt: now + hub.tokenLifetimeSeconds * 1000 };
    await hub.store.commit();
    reply.header('cache-control', 'no-store');
    return { access_token: token, scope: granted, token_type: 'Bearer', expires_in: hub.tokenLifetimeSeconds };
  });
}

function formFields(body: unknown): URLSearchParams {
  if (body instanceof URLSearchParams) return body;
  return new URLSearchParams();
}

function basicCredentials(header: string | undefined): { clientId: string; clientSecret: string } | null {
  const match = header ? /^Basic\s+(\S+)$/i.exec(header) : null;
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  // RFC 6749 §2.3.1: both parts are form-urlencoded before being joined.
  return {
    clientId: safeDecode(decoded.slice(0, colon)),
    clientSecret: safeDecode(decoded.slice(colon + 1)),
  };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}
