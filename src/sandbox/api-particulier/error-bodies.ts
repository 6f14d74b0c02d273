/**
 * API Particulier v3 error bodies (`contracts/api-particulier-qf.md` §3). Texts marked "documented" are copied
 * from the contract; the 422 details of individual parameters are not published, so ours are plain French
 * sentences under the documented codes and title.
 */
export interface ApiParticulierErrorItem {
  code: string;
  title: string;
  detail: string;
  source: { parameter: string } | null;
  meta: Record<string, unknown>;
}

/** A status and the JSON:API-style body that goes with it. */
export interface ErrorAnswer {
  status: number;
  body: { errors: ApiParticulierErrorItem[] };
  headers?: Record<string, string>;
}

const answer = (status: number, item: ApiParticulierErrorItem, headers?: Record<string, string>): ErrorAnswer => ({
  status,
  body: { errors: [item] },
  ...(headers ? { headers } : {}),
});

const tokenSource = { parameter: 'token' };

// Documented (§3.2).
export const invalidToken = (): ErrorAnswer =>
  answer(401, {
    code: '00101',
    title: 'Interdit',
    detail: "Votre token n'est pas valide ou n'est pas renseigné",
    source: tokenSource,
    meta: {},
  });

// Documented (§3.2).
export const expiredToken = (): ErrorAnswer =>
  answer(401, {
    code: '00103',
    title: 'Jeton expiré',
    detail: 'Votre token est expiré. Vous devez refaire une demande',
    source: tokenSource,
    meta: {},
  });

// Documented (§3.2).
export const insufficientPrivileges = (): ErrorAnswer =>
  answer(403, {
    code: '00100',
    title: 'Privilèges insuffisants',
    detail: 'Votre token est valide mais vos privilèges sont insuffisants. Listez vos privilèges sur /api/introspect',
    source: tokenSource,
    meta: {},
  });

// Documented (§3.2); Retry-After as siade's throttled responder sets it (§4).
export const tooManyRequests = (retryAfterSeconds: number): ErrorAnswer =>
  answer(
    429,
    { code: '00429', title: 'Trop de requêtes', detail: 'Vous avez effectué trop de requêtes', source: null, meta: {} },
    { 'Retry-After': String(retryAfterSeconds) },
  );

/**
 * SNGI could not identify the person: 422 with the newest subcode 560 under the "CNAF & MSA" prefix, detail as
 * documented (§3.3); the title is that of API Particulier's other 422s.
 */
export const unidentifiedPerson = (): ErrorAnswer =>
  answer(422, {
    code: '35560',
    title: 'Entité non traitable',
    detail: "Les paramètres fournis ne permettent pas d'identifier un allocataire.",
    source: null,
    meta: { provider: 'CNAF & MSA' },
  });

/**
 * A FranceConnect token without the identity pivot scopes (§3.4 `missing_hub_identity_scope`, newest code 51503):
 * the detail ends with the token's scopes, as siade's does.
 */
export const franceConnectTokenWithoutIdentityScopes = (scopes: readonly string[]): ErrorAnswer =>
  answer(401, {
    code: '51503',
    title: 'Accès non autorisé',
    detail: `Le jeton d'accès ne donne pas accès à l'identité pivot. Le jeton possède les scopes suivants: ${scopes.join(' ')}`,
    source: null,
    meta: { provider: 'FranceConnect' },
  });

// Documented (§3.2).
export const recipientMissing = (): ErrorAnswer =>
  answer(422, {
    code: '00203',
    title: 'Entité non traitable',
    detail: 'Le paramètre recipient est obligatoire',
    source: { parameter: 'recipient' },
    meta: {},
  });

/** A 422 on one parameter: documented code and title, our own detail (§3.3 "Parameter error codes"). */
export const invalidParameter = (code: string, parameter: string, detail: string): ErrorAnswer =>
  answer(422, { code, title: 'Entité non traitable', detail, source: { parameter }, meta: {} });

/**
 * FranceConnect-token errors of the FC route (§3.4): newest codes (provider prefix 51), title "Accès non
 * autorisé". Only the "not found or expired" detail is documented (as 50002); the others are ours.
 */
const franceConnectTokenError = (code: string, detail: string): ErrorAnswer =>
  answer(401, { code, title: 'Accès non autorisé', detail, source: null, meta: { provider: 'FranceConnect' } });

export const franceConnectTokenMalformed = () =>
  franceConnectTokenError('51501', "Le jeton d'accès FranceConnect est malformé.");
export const franceConnectTokenNotFoundOrExpired = () =>
  franceConnectTokenError('51502', "Le jeton d'accès n'a pas été trouvé ou est expiré.");
export const franceConnectTokenMissing = () =>
  franceConnectTokenError('51504', "Le jeton d'accès FranceConnect n'est pas renseigné.");

// FranceConnect itself failing (§3.4: "504 51002, 502 51999"); titles and details as for the other providers.
export const franceConnectUnavailable = (): ErrorAnswer =>
  answer(502, {
    code: '51999',
    title: 'Erreur inconnue du fournisseur de données',
    detail: 'La réponse retournée par le fournisseur de données est invalide et inconnue de notre service.',
    source: null,
    meta: { provider: 'FranceConnect' },
  });

export const franceConnectTimeout = (): ErrorAnswer =>
  answer(504, {
    code: '51002',
    title: 'Intermédiaire hors-délai',
    detail: "Temps d'attente d'une réponse du fournisseur de données écoulé.",
    source: null,
    meta: { provider: 'FranceConnect' },
  });

// The data provider (CNAV's API-SECU) failing, as a fault plan asks (src/sandbox/faults/): documented (§3.2).
export const providerUnknownError = (): ErrorAnswer =>
  answer(502, {
    code: '37999',
    title: 'Erreur inconnue du fournisseur de données',
    detail: 'La réponse retournée par le fournisseur de données est invalide et inconnue de notre service.',
    source: null,
    meta: { provider: 'CNAV' },
  });

// Documented as a 504 (§3.2); a 503 is what a gateway in maintenance answers, so we reuse its words for it.
export const providerUnavailable = (status: 503 | 504): ErrorAnswer =>
  answer(status, {
    code: '37001',
    title: 'Service non disponible',
    detail: 'Service du fournisseur de données temporairement indisponible ou en maintenance.',
    source: null,
    meta: { provider: 'CNAV' },
  });

// Documented (§3.2).
export const providerTimeout = (): ErrorAnswer =>
  answer(504, {
    code: '37002',
    title: 'Intermédiaire hors-délai',
    detail: "Temps d'attente d'une réponse du fournisseur de données écoulé.",
    source: null,
    meta: { provider: 'CNAV' },
  });
