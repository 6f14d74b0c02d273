import type { Config } from '../../config/config.ts';
import { httpRequest, TransportError } from '../http.ts';
import type { ApiParticulierError } from './errors.ts';
import { interpretResponse, type QuotientFamilialResult } from './response.ts';

export type { ApiParticulierError, ApiParticulierErrorItem, ApiParticulierErrorKind } from './errors.ts';
export type { QuotientFamilialResult, RateLimitState } from './response.ts';

/**
 * Our client of API Particulier's quotient familial v3 (`contracts/api-particulier-qf.md` §1): the FranceConnect
 * route for the citizen's journey, the identity route for the communes' refreshes. It never logs: bodies and
 * query strings carry personal data.
 */
const SYSTEM = 'API Particulier';

export interface PeriodParams {
  /** Year of the QF wanted (at most two years back); the current year by default. */
  annee?: number;
  /** Month of the QF wanted; the current month by default. */
  mois?: number;
  /** Sends `Cache-Control: no-cache` to bypass API Particulier's 24-hour cache. */
  bypassCache?: boolean;
}

export interface FranceConnectQuery extends PeriodParams {
  /** The citizen's FranceConnect access token (it lives 60 seconds). */
  accessToken: string;
  /** SIRET of the collectivity receiving the data. */
  recipient: string;
}

/** The civility parameters of §1.1, named as API Particulier names them. */
export interface IdentityParams {
  nomNaissance: string;
  nomUsage?: string;
  /** One to three first names, one per element. */
  prenoms: string[];
  sexeEtatCivil: 'M' | 'F';
  anneeDateNaissance?: number;
  moisDateNaissance?: number;
  jourDateNaissance?: number;
  /** "99100" for France. */
  codeCogInseePaysNaissance: string;
  /** For people born in France; leave out when born abroad. */
  codeCogInseeCommuneNaissance?: string;
  /** Option 2 for people born in France, with the département and the birth year. */
  nomCommuneNaissance?: string;
  codeCogInseeDepartementNaissance?: string;
}

export interface IdentityQuery extends IdentityParams, PeriodParams {
  /** The collectivity's API Particulier token. */
  token: string;
  recipient: string;
}

export interface ApiParticulierClient {
  fetchQuotientFamilialWithFranceConnect(query: FranceConnectQuery): Promise<QuotientFamilialResult>;
  fetchQuotientFamilialByIdentity(query: IdentityQuery): Promise<QuotientFamilialResult>;
}

export function createApiParticulierClient(settings: Config['apiParticulier']): ApiParticulierClient {
  const call = async (path: string, bearer: string, params: URLSearchParams, bypassCache: boolean | undefined) => {
    const headers: Record<string, string> = { Authorization: `Bearer ${bearer}`, Accept: 'application/json' };
    if (bypassCache) headers['Cache-Control'] = 'no-cache';
    try {
      const response = await httpRequest({
        system: SYSTEM,
        url: `${settings.baseUrl}${path}?${params}`,
        headers,
        timeoutMs: settings.timeoutMs,
      });
      return interpretResponse(response);
    } catch (error) {
      if (error instanceof TransportError) return { ok: false as const, error: transportFailure(error) };
      throw error;
    }
  };

  return {
    fetchQuotientFamilialWithFranceConnect(query) {
      const params = new URLSearchParams({ recipient: query.recipient });
      appendPeriod(params, query);
      return call('/v3/dss/quotient_familial/france_connect', query.accessToken, params, query.bypassCache);
    },

    fetchQuotientFamilialByIdentity(query) {
      const params = new URLSearchParams({ recipient: query.recipient, nomNaissance: query.nomNaissance });
      for (const prenom of query.prenoms) params.append('prenoms[]', prenom);
      params.set('sexeEtatCivil', query.sexeEtatCivil);
      params.set('codeCogInseePaysNaissance', query.codeCogInseePaysNaissance);
      const optional = {
        nomUsage: query.nomUsage,
        anneeDateNaissance: query.anneeDateNaissance,
        moisDateNaissance: query.moisDateNaissance,
        jourDateNaissance: query.jourDateNaissance,
        codeCogInseeCommuneNaissance: query.codeCogInseeCommuneNaissance,
        nomCommuneNaissance: query.nomCommuneNaissance,
        codeCogInseeDepartementNaissance: query.codeCogInseeDepartementNaissance,
      };
      for (const [name, value] of Object.entries(optional)) {
        if (value !== undefined && value !== '') params.set(name, String(value));
      }
      appendPeriod(params, query);
      return call('/v3/dss/quotient_familial/identite', query.token, params, query.bypassCache);
    },
  };
}

function appendPeriod(params: URLSearchParams, period: PeriodParams): void {
  if (period.annee !== undefined) params.set('annee', String(period.annee));
  if (period.mois !== undefined) params.set('mois', String(period.mois));
}

function transportFailure(error: TransportError): ApiParticulierError {
  const none = { status: null, code: null, title: null, detail: null, requestId: null };
  return error.failure.kind === 'timeout'
    ? { kind: 'timeout', afterMs: error.failure.afterMs, ...none }
    : { kind: 'unreachable', reason: error.failure.kind === 'too_large' ? `answer over ${error.failure.limitBytes} bytes` : error.failure.reason, ...none };
}
