import { createHubeeClient, type HubeeClient } from '../integrations/hubee/client.ts';

/** A commune's HubEE credentials for the FormulaireQF démarche (scope SI), as its HubEE portal gives them. */
export interface HubeeSiCredentials {
  /** e.g. https://api.hubee.numerique.gouv.fr, locally http://localhost:3001/hubee */
  apiUrl: string;
  /** e.g. https://auth.hubee.numerique.gouv.fr/oauth2/token, locally http://localhost:3001/hubee/oauth2/token */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  timeoutMs?: number;
  /** Your software, for HubEE's traces (each ≤ 50 characters). */
  editorName?: string;
  applicationName?: string;
}

/** The HubEE calls a commune's software makes. */
export type HubeeSiClient = Pick<
  HubeeClient,
  'listNotifications' | 'deleteNotification' | 'getCase' | 'updateCaseStatus' | 'downloadCaseAttachment' | 'createEvent' | 'getEvent' | 'updateEventStatus'
>;

export function connectHubee(credentials: HubeeSiCredentials): HubeeSiClient {
  return createHubeeClient({
    apiUrl: credentials.apiUrl,
    tokenUrl: credentials.tokenUrl,
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
    scope: 'SI',
    timeoutMs: credentials.timeoutMs ?? 30_000,
    partnerInfo: { editorName: credentials.editorName ?? 'formulaire-qf-cli', applicationName: credentials.applicationName ?? 'formulaire-qf' },
  });
}

export const FORMULAIRE_QF_PROCESS = 'FormulaireQF';
