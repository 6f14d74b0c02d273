/**
 * The events the service counts. Each names what happened, never to whom: an event carries at most the
 * collectivity's SIRET and a short technical code (a page, an error code, an upstream system), and is counted
 * per hour. Identity, QF values, references and tokens have no place here, by construction of this type.
 */
export const METRIC_EVENT_KINDS = [
  /** A citizen's page was shown; code: `home`, `chooser` or `collectivity`. */
  'page.viewed',
  /** "S'identifier avec FranceConnect" was pressed for a collectivity. */
  'journey.started',
  'franceconnect.login_succeeded',
  /** code: the reason (`access_denied`, `invalid_acr`, `unreachable`…). */
  'franceconnect.login_refused',
  'qf.fetched',
  /** code: API Particulier's error code (`35003`, `23003`, `10003`…). */
  'qf.not_found',
  /** code: API Particulier's error code, or the HTTP status / transport failure when there is none. */
  'qf.failed',
  'transmission.recorded',
  'transmission.sent',
  'transmission.retried',
  'transmission.failed',
  /** code: the system (`franceconnect`, `api_particulier`, `hubee`, `insee`). */
  'upstream.failed',
] as const;

export type MetricEventKind = (typeof METRIC_EVENT_KINDS)[number];

export type UpstreamSystem = 'franceconnect' | 'api_particulier' | 'hubee' | 'insee';

export interface MetricEvent {
  kind: MetricEventKind;
  /** The collectivity concerned, when there is one. */
  siret?: string | null;
  code?: string | null;
}

/** French labels for the operator's figures. */
export const METRIC_EVENT_LABELS: Record<MetricEventKind, string> = {
  'page.viewed': 'Pages vues',
  'journey.started': 'Démarches commencées',
  'franceconnect.login_succeeded': 'Connexions FranceConnect réussies',
  'franceconnect.login_refused': 'Connexions FranceConnect refusées ou échouées',
  'qf.fetched': 'QF obtenus',
  'qf.not_found': 'QF introuvables',
  'qf.failed': 'QF en erreur',
  'transmission.recorded': 'Transmissions enregistrées',
  'transmission.sent': 'Transmissions envoyées à HubEE',
  'transmission.retried': 'Tentatives d’envoi à refaire',
  'transmission.failed': 'Transmissions abandonnées',
  'upstream.failed': 'Pannes des services partenaires',
};

const SIRET = /^[0-9]{14}$/;
const CODE = /^[A-Za-z0-9_.-]{1,40}$/;

/**
 * What is stored: a SIRET only if it is one, a code only if it is a short token. Anything else (a message, a
 * stray value) becomes "other", so that a mistake in a caller can never write free text into the figures.
 */
export function normalizeMetricEvent(event: MetricEvent): { kind: MetricEventKind; siret: string; code: string } {
  const siret = event.siret && SIRET.test(event.siret) ? event.siret : '';
  const code = event.code == null || event.code === '' ? '' : CODE.test(event.code) ? event.code : 'other';
  return { kind: event.kind, siret, code };
}
