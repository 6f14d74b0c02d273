import type { Provider } from 'oidc-provider';
import { errorPage, TECHNICAL_ERROR_MESSAGE } from './pages.ts';

type Middleware = Parameters<Provider['use']>[0];
type Context = Parameters<Middleware>[0];

/**
 * What FranceConnect checks before oidc-provider sees a request (contract §2.1, §2.2, §5, §8.3). FC validates
 * the raw query against a whitelist DTO, so unknown parameters (PKCE included) never get through.
 */
const AUTHORIZE_ALLOWED = new Set([
  'client_id', 'acr_values', 'claims', 'response_type', 'nonce', 'state', 'redirect_uri', 'scope', 'prompt', 'idp_hint', 'ui_locales',
]);
const AUTHORIZE_REQUIRED = ['client_id', 'acr_values', 'response_type', 'nonce', 'state', 'redirect_uri', 'scope'];
const NONCE_MIN_LENGTH = 22;
const ALLOWED_PROMPTS = new Set(['login', 'consent']);
const LOW_ACR = 'eidas1';
const HIGHER_ACRS = new Set(['eidas2', 'eidas3']);

const LOGOUT_ALLOWED = new Set(['id_token_hint', 'post_logout_redirect_uri', 'state', 'client_id', 'logout_hint', 'ui_locales']);

/**
 * The identity providers `idp_hint` may name (FC checks it against its allow-list, contract §2.1). The stand-in
 * has one identity provider, its login page.
 */
export const IDENTITY_PROVIDER_IDS: ReadonlySet<string> = new Set(['bac-a-sable']);

/** FC's revocation DTO wants a token of at least 43 characters (contract §3 "Revocation"). */
const REVOCATION_TOKEN_MIN_LENGTH = 43;

/** FC serves its keys with a 10-minute public cache (contract §1, `oidc-provider.controller.ts`). */
const JWKS_CACHE_CONTROL = 'public, max-age=600';

export const ERROR_CODES = {
  invalidParameters: 'Y030007',
  unknownClient: 'Y04EA6EF',
  unregisteredRedirectUri: 'Y04C013C',
} as const;

export function franceConnectRules(provider: Provider): Middleware {
  return async (ctx, next) => {
    if (ctx.method === 'GET' && ctx.path === '/authorize') {
      if (!(await acceptAuthorize(provider, ctx))) return;
    } else if (ctx.method === 'GET' && ctx.path === '/session/end') {
      if (!acceptLogout(ctx)) return;
    } else if (ctx.method === 'POST' && ctx.path === '/token/revocation') {
      if (!(await acceptRevocation(ctx))) return;
    }
    await next();
    if (ctx.method === 'GET' && ctx.path === '/jwks' && ctx.status === 200) ctx.set('cache-control', JWKS_CACHE_CONTROL);
  };
}

/** Single-valued parameters, or null when one is repeated or outside the whitelist. */
function whitelisted(ctx: Context, allowed: ReadonlySet<string>): Map<string, string> | null {
  const params = new Map<string, string>();
  for (const [name, value] of Object.entries(ctx.query)) {
    if (!allowed.has(name) || typeof value !== 'string') return null;
    params.set(name, value);
  }
  return params;
}

async function acceptAuthorize(provider: Provider, ctx: Context): Promise<boolean> {
  const params = whitelisted(ctx, AUTHORIZE_ALLOWED);
  if (
    params === null ||
    AUTHORIZE_REQUIRED.some((name) => !params.get(name)) ||
    (params.get('nonce') ?? '').length < NONCE_MIN_LENGTH ||
    (params.has('prompt') && !(params.get('prompt') ?? '').split(' ').every((p) => ALLOWED_PROMPTS.has(p))) ||
    (params.has('idp_hint') && !IDENTITY_PROVIDER_IDS.has(params.get('idp_hint') ?? ''))
  ) {
    return stayOnFranceConnect(ctx, ERROR_CODES.invalidParameters);
  }
  const client = await provider.Client.find(params.get('client_id') ?? '');
  if (!client) return stayOnFranceConnect(ctx, ERROR_CODES.unknownClient);
  const redirectUri = params.get('redirect_uri') ?? '';
  if (!client.redirectUriAllowed(redirectUri)) return stayOnFranceConnect(ctx, ERROR_CODES.unregisteredRedirectUri);

  const back = (error: string, description: string) => {
    const url = new URL(redirectUri);
    url.searchParams.set('error', error);
    url.searchParams.set('error_description', description);
    url.searchParams.set('state', params.get('state') ?? '');
    url.searchParams.set('iss', provider.issuer);
    ctx.status = 303;
    ctx.redirect(url.href);
    return false;
  };
  const acrs = (params.get('acr_values') ?? '').split(' ').filter(Boolean);
  const higher = acrs.find((acr) => HIGHER_ACRS.has(acr));
  if (higher) {
    return back('invalid_acr', `acr_value is not valid, should be equal one of these values, expected ${LOW_ACR}, got ${higher}`);
  }
  const scopes = (params.get('scope') ?? '').split(/[ +]/).filter(Boolean);
  if (!scopes.includes('openid')) {
    return back('invalid_request', 'openid scope must be requested when using the acr_values parameter');
  }
  // The FS's registered scopes are an allow-list: anything else, known to FC or not, is refused, not dropped
  // (oidc-provider's client scope check, contract §2.2).
  const registered = new Set((client.scope ?? '').split(' '));
  if (scopes.some((scope) => !registered.has(scope))) return back('invalid_scope', 'requested scope is not allowed');
  // amr is a claim the FS must be entitled to (CoreClaimAmrException): only then may `claims` ask for it.
  if (/"amr"/.test(params.get('claims') ?? '') && !registered.has('amr')) return back('invalid_scope', 'requested scope is not allowed');
  // FC rewrites unknown acr values to eidas1 and always asks for login and consent.
  ctx.query = { ...Object.fromEntries(params), acr_values: LOW_ACR, prompt: 'login consent' };
  // oidc-provider finds its mount path by locating the request URL inside originalUrl: keep them in step.
  (ctx.req as typeof ctx.req & { originalUrl?: string }).originalUrl = `${new URL(provider.issuer).pathname}${ctx.url}`;
  return true;
}

/** FC requires id_token_hint where oidc-provider would accept a logout without it. */
function acceptLogout(ctx: Context): boolean {
  const params = whitelisted(ctx, LOGOUT_ALLOWED);
  if (params === null || !params.get('id_token_hint')) return stayOnFranceConnect(ctx, ERROR_CODES.invalidParameters);
  return true;
}

/**
 * FC validates the revocation body before oidc-provider (DTO: `token` ≥ 43 characters). The body is read here
 * and handed on already parsed, which oidc-provider accepts in place of the stream.
 */
async function acceptRevocation(ctx: Context): Promise<boolean> {
  const chunks: Buffer[] = [];
  for await (const chunk of ctx.req) chunks.push(Buffer.from(chunk as Uint8Array));
  const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
  (ctx.req as typeof ctx.req & { body?: Record<string, string> }).body = Object.fromEntries(form);
  if ((form.get('token') ?? '').length >= REVOCATION_TOKEN_MIN_LENGTH) return true;
  ctx.status = 400;
  ctx.type = 'application/json; charset=utf-8';
  ctx.body = { error: 'invalid_request', error_description: 'Required parameter missing or invalid.' };
  return false;
}

function stayOnFranceConnect(ctx: Context, code: string): false {
  ctx.status = 400;
  ctx.type = 'text/html; charset=utf-8';
  ctx.body = errorPage(code, TECHNICAL_ERROR_MESSAGE);
  return false;
}
