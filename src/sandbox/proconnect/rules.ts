import type { Provider } from 'oidc-provider';
import { errorPage } from './pages.ts';

type Middleware = Parameters<Provider['use']>[0];
type Context = Parameters<Middleware>[0];

/**
 * What ProConnect checks before oidc-provider sees an authorization or logout request (contract §2, §4, §5):
 * its own error codes on its own page for a bad request, and the errors it sends back to the service provider.
 */
export const PROCONNECT_ERROR_CODES = {
  badParameters: 'Y000400',
  unregisteredRedirectUri: 'Y030031',
  postLogoutMismatch: 'Y030111',
  privateUserOnPublicProvider: 'Y500015',
} as const;

/** ProConnect's acr values (contract §1, discovery). */
export const PROCONNECT_ACRS = [
  'eidas0', 'eidas0-mfa', 'eidas1', 'eidas1-mfa', 'eidas2', 'eidas3', 'https://proconnect.gouv.fr/assurance/certification-dirigeant',
];

/** The identity providers the stand-in knows: its test FI (contract §7). */
export const KNOWN_IDP_IDS = new Set(['fia1v2']);
const LEVELS_THE_TEST_FI_GIVES = new Set(['eidas1']);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function proConnectRules(provider: Provider): Middleware {
  return async (ctx, next) => {
    if (ctx.method === 'GET' && ctx.path === '/authorize') {
      if (!(await acceptAuthorize(provider, ctx))) return;
    } else if (ctx.method === 'GET' && ctx.path === '/session/end') {
      if (!(await acceptLogout(provider, ctx))) return;
    }
    await next();
  };
}

function single(ctx: Context, name: string): string | undefined {
  const value = ctx.query[name];
  return typeof value === 'string' ? value : undefined;
}

async function acceptAuthorize(provider: Provider, ctx: Context): Promise<boolean> {
  const redirectUri = single(ctx, 'redirect_uri') ?? '';
  const state = single(ctx, 'state');
  const nonce = single(ctx, 'nonce');
  const loginHint = single(ctx, 'login_hint');
  const siretHint = single(ctx, 'siret_hint');
  if (
    !/^https?:\/\/[^/].+$/.test(redirectUri) ||
    !state ||
    (nonce !== undefined && !/^[\x20-\x7e]{1,512}$/.test(nonce)) ||
    (loginHint !== undefined && !EMAIL.test(loginHint)) ||
    (siretHint !== undefined && !/^[0-9]{14}$/.test(siretHint))
  ) {
    return stayOnProConnect(ctx, 400, PROCONNECT_ERROR_CODES.badParameters, 'Les paramètres de la demande sont invalides.');
  }
  const client = await provider.Client.find(single(ctx, 'client_id') ?? '');
  // An unknown client: oidc-provider's own invalid_client page, as ProConnect's.
  if (!client) return true;
  if (!client.redirectUriAllowed(redirectUri)) {
    return stayOnProConnect(ctx, 400, PROCONNECT_ERROR_CODES.unregisteredRedirectUri, 'L’adresse de retour du service n’est pas enregistrée.');
  }
  const back = (error: string, description: string) => {
    const url = new URL(redirectUri);
    url.searchParams.set('error', error);
    url.searchParams.set('error_description', description);
    url.searchParams.set('state', state);
    url.searchParams.set('iss', provider.issuer);
    ctx.status = 303;
    ctx.redirect(url.href);
    return false;
  };
  const prompts = (single(ctx, 'prompt') ?? '').split(' ').filter(Boolean);
  if (prompts.includes('select_account') || (prompts.includes('none') && prompts.length > 1)) {
    return back('invalid_request', 'prompt value is not supported');
  }
  const idpHint = single(ctx, 'idp_hint');
  if (idpHint !== undefined && !KNOWN_IDP_IDS.has(idpHint)) return back('idp_hint_not_found', 'idp_hint not found');
  const essential = essentialAcrs(single(ctx, 'claims'));
  if (essential === 'invalid') return back('invalid_request', 'claims parameter is not valid JSON');
  if (essential !== null && !essential.some((acr) => LEVELS_THE_TEST_FI_GIVES.has(acr))) {
    return back('access_denied', 'requested ACRs could not be satisfied');
  }
  // Unsupported acr_values are dropped, not refused (contract §2).
  const acrValues = single(ctx, 'acr_values');
  if (acrValues !== undefined) {
    const kept = acrValues.split(' ').filter((acr) => PROCONNECT_ACRS.includes(acr));
    const query: Record<string, string | string[] | undefined> = { ...ctx.query };
    if (kept.length > 0) query.acr_values = kept.join(' ');
    else delete query.acr_values;
    ctx.query = query;
    // oidc-provider finds its mount path by locating the request URL inside originalUrl: keep them in step.
    (ctx.req as typeof ctx.req & { originalUrl?: string }).originalUrl = `${new URL(provider.issuer).pathname}${ctx.url}`;
  }
  return true;
}

/** The values of an essential `acr` claim asked for the ID token; null when none is essential. */
function essentialAcrs(claims: string | undefined): string[] | null | 'invalid' {
  if (claims === undefined) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(claims);
  } catch {
    return 'invalid';
  }
  const acr = (parsed as { id_token?: { acr?: { essential?: unknown; value?: unknown; values?: unknown } | null } } | null)?.id_token?.acr;
  if (!acr || acr.essential !== true) return null;
  if (Array.isArray(acr.values)) return acr.values.filter((v): v is string => typeof v === 'string');
  return typeof acr.value === 'string' ? [acr.value] : [];
}

/** A post_logout_redirect_uri the client did not register: Y030111 on ProConnect's page (contract §4). */
async function acceptLogout(provider: Provider, ctx: Context): Promise<boolean> {
  const target = single(ctx, 'post_logout_redirect_uri');
  if (target === undefined) return true;
  const clientId = single(ctx, 'client_id') ?? clientOfIdToken(single(ctx, 'id_token_hint'));
  const client = clientId ? await provider.Client.find(clientId) : undefined;
  if (!client || !client.postLogoutRedirectUriAllowed(target)) {
    return stayOnProConnect(ctx, 400, PROCONNECT_ERROR_CODES.postLogoutMismatch, 'L’adresse de retour après déconnexion n’est pas enregistrée.');
  }
  return true;
}

/** The `aud` of an ID token, read without checking it: oidc-provider checks the hint itself afterwards. */
function clientOfIdToken(idToken: string | undefined): string | undefined {
  const payload = idToken?.split('.')[1];
  if (!payload) return undefined;
  try {
    const aud = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { aud?: unknown }).aud;
    return typeof aud === 'string' ? aud : Array.isArray(aud) && typeof aud[0] === 'string' ? aud[0] : undefined;
  } catch {
    return undefined;
  }
}

export function stayOnProConnect(ctx: Context, status: number, code: string, message: string): false {
  ctx.status = status;
  ctx.type = 'text/html; charset=utf-8';
  ctx.body = errorPage(code, message);
  return false;
}
