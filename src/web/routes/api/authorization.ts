import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiKeyRepository } from '../../../db/repositories/api-keys.ts';
import type { EditeurRepository } from '../../../db/repositories/editeurs.ts';
import { apiKeyPrefixOf } from '../../../domain/api-key.ts';
import { recordFailedAuth, throttledFor, type FailedAuthLimiter } from '../../../security/failed-auth-limiter.ts';
import { authenticateApiKey } from '../../../usecases/manage-api-keys.ts';
import { API_TOKEN_ACCOUNT, bearerTokenOf, sameSecret } from './bearer.ts';
import { sendApiError } from './errors.ts';
import type { ApiCaller, Operation, ResourceOwner } from './operation.ts';

/**
 * The API's authorisation, in one place: `authenticate` finds who calls (the operator's API_TOKEN, or an
 * organisation's key), `authorize` checks that the caller may act for the target the operation declares. Every
 * operation goes through both (operation.ts), so no route can forget them.
 */
export interface ApiAuthorizationDeps {
  apiToken: string;
  limiter: FailedAuthLimiter;
  keys: ApiKeyRepository;
  editeurs: EditeurRepository;
}

/** Whether this caller may act for what the owner owns. */
export function mayActFor(caller: ApiCaller, owner: ResourceOwner): boolean {
  if (caller.kind === 'operator') return true;
  if (caller.kind !== 'organisation') return false;
  return owner.kind === 'collectivity' ? caller.collectivities.includes(owner.siret) : caller.editeurName !== null && caller.editeurName === owner.name;
}

function refuse(request: FastifyRequest, reply: FastifyReply, token: string | null, reason: string, message: string): FastifyReply {
  request.log.info({ event: 'api.unauthorized', reason }, 'API caller refused');
  reply.header('www-authenticate', token === null ? 'Bearer realm="formulaire-qf"' : 'Bearer realm="formulaire-qf", error="invalid_token"');
  return sendApiError(reply, 401, token === null ? 'TOKEN_MISSING' : 'TOKEN_INVALID', message);
}

export function createApiAuthorization(deps: ApiAuthorizationDeps) {
  const callerOfKey = async (token: string) => {
    const check = await authenticateApiKey({ keys: deps.keys }, token);
    if (!check.ok) return check;
    const { owner } = check.key;
    if (owner.kind === 'collectivity') {
      return { ok: true as const, caller: { kind: 'organisation' as const, organisation: owner, keyId: check.key.id, keyPrefix: check.key.prefix, collectivities: [owner.siret], editeurName: null } };
    }
    const editeur = await deps.editeurs.findBySiret(owner.siret);
    const collectivities = editeur ? await deps.editeurs.clientSirets(owner.siret) : [];
    return { ok: true as const, caller: { kind: 'organisation' as const, organisation: owner, keyId: check.key.id, keyPrefix: check.key.prefix, collectivities, editeurName: editeur?.datapassId ?? null } };
  };

  const KEY_REFUSALS = {
    unknown: 'Cette clé d’API n’est pas valide.',
    expired: 'Cette clé d’API a expiré : créez-en une nouvelle dans votre espace.',
    revoked: 'Cette clé d’API a été révoquée.',
  } as const;

  return {
    authenticate(access: Operation['access']) {
      return async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
        const token = bearerTokenOf(request);
        const tried = request.headers.authorization !== undefined;
        const prefix = token === null ? null : apiKeyPrefixOf(token);
        // Failures are counted per address and per key prefix, or against the operator's token for anything else.
        const account = prefix ?? API_TOKEN_ACCOUNT;
        if (tried && throttledFor(deps.limiter, request, reply, account) > 0) {
          return sendApiError(reply, 429, 'TOO_MANY_FAILED_AUTHENTICATIONS', 'Trop de jetons refusés : réessayez plus tard.');
        }
        if (token !== null && prefix === null && sameSecret(token, deps.apiToken)) {
          request.apiCaller = { kind: 'operator' };
          return;
        }
        if (token !== null && prefix !== null) {
          const found = await callerOfKey(token);
          if (found.ok) {
            if (access.kind === 'operator') {
              request.log.info({ event: 'api.forbidden', keyPrefix: prefix }, 'operator-only operation refused to a key');
              return sendApiError(reply, 403, 'OPERATOR_ONLY', 'Cette opération est réservée à l’équipe du service : une clé d’organisation ne l’ouvre pas.');
            }
            request.apiCaller = found.caller;
            return;
          }
          recordFailedAuth(deps.limiter, request, account);
          return refuse(request, reply, token, found.reason, found.reason === 'not_a_key' ? KEY_REFUSALS.unknown : KEY_REFUSALS[found.reason]);
        }
        if (tried) recordFailedAuth(deps.limiter, request, account);
        return refuse(request, reply, token, token === null ? 'missing' : 'invalid', token === null ? 'Un jeton est attendu (en-tête Authorization: Bearer …).' : 'Ce jeton n’est pas valide.');
      };
    },

    authorize(operation: Operation) {
      return async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
        const { access } = operation;
        const caller = request.apiCaller;
        if (access.kind !== 'organisation' || !caller || caller.kind === 'operator' || !access.target) return;
        const target = await access.target({ params: request.params, query: request.query, body: request.body });
        if (target.kind === 'unknown' || mayActFor(caller, target.owner)) return;
        request.log.info({ event: 'api.forbidden', operationId: operation.operationId, keyPrefix: caller.kind === 'organisation' ? caller.keyPrefix : null }, 'API key used outside its organisation');
        if (access.hiddenAs) return sendApiError(reply, 404, access.hiddenAs.code, access.hiddenAs.message);
        return sendApiError(reply, 403, 'NOT_YOUR_ORGANISATION', 'Cette clé d’API n’agit pas pour cette collectivité.');
      };
    },
  };
}
