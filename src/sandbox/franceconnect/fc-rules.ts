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
    }
    await next();
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
    (params.has('prompt') && !(params.get('prompt') ?? '').split(' ').every((p) => ALLOWED_PROMPTS.has(p)))
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
  if (!(params.get('scope') ?? '').split(/[ +]/).includes('openid')) {
    return back('invalid_request', 'openid scope must be requested when using the acr_values parameter');
  }
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

function stayOnFranceConnect(ctx: Context, code: string): false {
  ctx.status = 400;
  ctx.type = 'text/html; charset=utf-8';
  ctx.body = errorPage(code, TECHNICAL_ERROR_MESSAGE);
  return false;
}
