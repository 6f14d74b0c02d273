import { statusLabelFr } from '../../../domain/shipment-status.ts';
import type { OperatorAlertCounts } from '../../../db/repositories/operator-alerts.ts';
import type { CountByCode, Figures } from '../../../usecases/compute-figures.ts';
import { AdminLayout, formatDuration, Table, type OperatorFrame } from './AdminLayout.tsx';
import { BarChart, ColumnChart } from './charts.tsx';

const PAGE_LABELS: Record<string, string> = { home: 'Accueil', chooser: 'Choix de la collectivité', collectivity: 'Page d’une collectivité' };
const SYSTEM_LABELS: Record<string, string> = { franceconnect: 'FranceConnect', api_particulier: 'API Particulier', hubee: 'HubEE', insee: 'INSEE Sirene' };

/** What each code means, in French, beside the code itself (the code stays: it is what the logs and the contracts say). */
export const CODE_MEANINGS: Record<string, string> = {
  '35003': 'ni la CAF ni la MSA ne connaît la personne',
  '23003': 'pas de dossier à la CAF',
  '10003': 'pas de dossier à la MSA',
  access_denied: 'connexion annulée par l’usager',
  invalid_acr: 'niveau de garantie d’identité insuffisant',
  provider_error: 'erreur signalée par FranceConnect',
  state_mismatch: 'retour de FranceConnect ne correspondant à aucune connexion',
  invalid_response: 'réponse de FranceConnect non vérifiable',
  unreachable: 'service injoignable',
  timeout: 'délai de réponse dépassé',
  rate_limited: 'trop de demandes (429)',
  provider_unavailable: 'service de la caisse indisponible',
  provider_timeout: 'la caisse a mis trop de temps à répondre',
  '401': 'jeton refusé (401)',
  '403': 'accès refusé (403)',
  '422': 'paramètres refusés (422)',
  '500': 'erreur interne du service appelé (500)',
  '502': 'passerelle en erreur (502)',
  '503': 'service indisponible (503)',
  inconnu: 'code non fourni',
};

/** "35003 – ni la CAF ni la MSA ne connaît la personne" */
export function codeWithMeaning(code: string): string {
  const meaning = CODE_MEANINGS[code];
  return meaning ? `${code} – ${meaning}` : code;
}

const percent = (part: number, whole: number) => (whole === 0 ? '—' : `${Math.round((part / whole) * 100)} %`);

/** The journey's funnel, each step as a share of the journeys started: where families drop out, at a glance. */
function Funnel(props: { figures: Figures }) {
  const f = props.figures;
  const steps = [
    { label: 'Démarches commencées', value: f.journeysStarted },
    { label: 'Connectés avec FranceConnect', value: f.franceConnect.succeeded },
    { label: 'QF obtenu', value: f.qf.fetched },
    { label: 'Transmis à la collectivité', value: f.transmissions.recorded },
  ];
  return (
    <section class="fr-mb-4w" aria-labelledby="entonnoir">
      <h2 id="entonnoir">Parcours des familles sur la période</h2>
      <ol class="fqf-funnel">
        {steps.map((step) => (
          <li class="fqf-funnel__step">
            <span class="fqf-funnel__value">{step.value.toLocaleString('fr-FR')}</span> {step.label}{' '}
            <span class="fr-badge fr-badge--sm fr-badge--info fr-badge--no-icon">{percent(step.value, f.journeysStarted)}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}

const PARIS_HOUR = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const plural = (n: number, one: string, many: string) => `${n.toLocaleString('fr-FR')} ${n > 1 ? many : one}`;

/**
 * What needs an operator, with counts and where to act: the period's transmissions waiting or given up, and what
 * is failing now (webhooks, onboardings, partner services in the last hour). Shown whatever the period asked.
 */
function Alerts(props: { figures: Figures | null; now: OperatorAlertCounts }) {
  const f = props.figures;
  const { now } = props;
  const waiting = f?.shipmentsByStatus.find((s) => s.status === 'pending')?.count ?? 0;
  const failed = f?.shipmentsByStatus.find((s) => s.status === 'failed')?.count ?? 0;
  const alerts = [
    waiting > 0 ? { text: `${plural(waiting, 'transmission', 'transmissions')} en attente d’envoi sur la période`, href: '/admin/transmissions' } : null,
    failed > 0 ? { text: `${plural(failed, 'transmission abandonnée', 'transmissions abandonnées')} sur la période`, href: '/admin/transmissions' } : null,
    now.failingWebhooks > 0 ? { text: `${plural(now.failingWebhooks, 'webhook en échec', 'webhooks en échec')}`, href: '/admin/webhooks' } : null,
    now.stuckOnboardings > 0
      ? { text: `${plural(now.stuckOnboardings, 'raccordement bloqué', 'raccordements bloqués')} (en échec, ou en réessai depuis plus d’une heure)`, href: '/admin/raccordements' }
      : null,
    now.upstreamFailures > 0
      ? { text: `${plural(now.upstreamFailures, 'échec', 'échecs')} d’appel aux services partenaires depuis ${PARIS_HOUR.format(now.upstreamSince).replace(':', ' h ')}`, href: '#pannes' }
      : null,
  ].filter((a) => a !== null);
  return alerts.length === 0 ? (
    <p class="fr-badge fr-badge--success fr-mb-4w">Aucune alerte</p>
  ) : (
    <div class="fr-alert fr-alert--warning fr-mb-4w">
      <h2 class="fr-alert__title">À traiter</h2>
      <ul>
        {alerts.map((a) => (
          <li>
            <a href={a.href}>{a.text}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

const asItems = (counts: readonly CountByCode[], labels: Record<string, string> = {}) => counts.map((c) => ({ label: labels[c.code] ?? c.code, value: c.count }));

function CountsTable(props: { caption: string; codeHeader: string; counts: readonly CountByCode[]; labels?: Record<string, string> }) {
  return (
    <Table caption={props.caption} headers={[props.codeHeader, 'Nombre']} rows={props.counts.map((c) => [props.labels?.[c.code] ?? codeWithMeaning(c.code), String(c.count)])} empty="Aucun sur la période." />
  );
}

export function FiguresPage(props: { figures: Figures | null; alerts: OperatorAlertCounts; from: string; to: string; operator: OperatorFrame; invalidPeriod: boolean }) {
  const f = props.figures;
  return (
    <AdminLayout title="Chiffres du service" current="/admin" operator={props.operator}>
      <Alerts figures={f} now={props.alerts} />
      {f === null ? null : <Funnel figures={f} />}
      <form method="get" action="/admin" class="fr-mb-4w">
        <fieldset class="fr-fieldset" aria-labelledby="periode-legende">
          <legend class="fr-fieldset__legend" id="periode-legende">
            Période (dates incluses, heure de Paris)
          </legend>
          <div class="fr-fieldset__element fr-fieldset__element--inline">
            <div class={`fr-input-group${props.invalidPeriod ? ' fr-input-group--error' : ''}`}>
              <label class="fr-label" for="du">
                Du
              </label>
              <input class="fr-input" type="date" id="du" name="du" value={props.from} required />
            </div>
          </div>
          <div class="fr-fieldset__element fr-fieldset__element--inline">
            <div class={`fr-input-group${props.invalidPeriod ? ' fr-input-group--error' : ''}`}>
              <label class="fr-label" for="au">
                Au
              </label>
              <input class="fr-input" type="date" id="au" name="au" value={props.to} required />
            </div>
          </div>
          <div class="fr-fieldset__element fr-fieldset__element--inline">
            <button class="fr-btn" type="submit">
              Afficher
            </button>
          </div>
          {props.invalidPeriod ? (
            <p class="fr-message fr-message--error" id="periode-erreur">
              Période invalide : la date de début doit précéder celle de fin, sur 400 jours au plus.
            </p>
          ) : null}
        </fieldset>
      </form>

      {f === null ? null : (
        <>
          <h2>Parcours</h2>
          <Table
            caption="Parcours des usagers"
            headers={['Indicateur', 'Nombre']}
            rows={[
              ['Démarches commencées (bouton FranceConnect)', String(f.journeysStarted)],
              ['Connexions FranceConnect réussies', String(f.franceConnect.succeeded)],
              ['Connexions FranceConnect refusées ou échouées', String(f.franceConnect.refused.reduce((s, c) => s + c.count, 0))],
              ['QF obtenus', String(f.qf.fetched)],
              ['QF introuvables', String(f.qf.notFound.reduce((s, c) => s + c.count, 0))],
              ['QF en erreur', String(f.qf.failed.reduce((s, c) => s + c.count, 0))],
              ['Transmissions enregistrées', String(f.transmissions.recorded)],
              ['Transmissions envoyées à HubEE', String(f.transmissions.sent)],
              ['Tentatives d’envoi à refaire', String(f.transmissions.retried)],
              ['Transmissions abandonnées', String(f.transmissions.failed)],
            ]}
          />
          <ColumnChart id="graphique-demarches" title="Démarches commencées par jour" items={f.journeysPerDay.map((d) => ({ label: d.day, value: d.count }))} />
          <CountsTable caption="Pages vues" codeHeader="Page" counts={f.pageViews} labels={PAGE_LABELS} />

          <h2>FranceConnect</h2>
          <BarChart
            id="graphique-franceconnect"
            title="Connexions FranceConnect"
            items={[{ label: 'réussies', value: f.franceConnect.succeeded }, ...asItems(f.franceConnect.refused).map((i) => ({ label: `refus : ${i.label}`, value: i.value }))]}
          />
          <CountsTable caption="Connexions refusées ou échouées, par raison" codeHeader="Raison" counts={f.franceConnect.refused} />

          <h2>Quotient familial (API Particulier)</h2>
          <BarChart
            id="graphique-qf"
            title="Résultats des demandes de QF"
            items={[
              { label: 'obtenus', value: f.qf.fetched },
              ...asItems(f.qf.notFound).map((i) => ({ label: `introuvable ${i.label}`, value: i.value })),
              ...asItems(f.qf.failed).map((i) => ({ label: `erreur ${i.label}`, value: i.value })),
            ]}
          />
          <CountsTable caption="QF introuvables, par code d’erreur" codeHeader="Code" counts={f.qf.notFound} />
          <CountsTable caption="QF en erreur, par code" codeHeader="Code" counts={f.qf.failed} />

          <h2>Transmissions</h2>
          <BarChart id="graphique-statuts" title="Transmissions créées sur la période, par état actuel" items={f.shipmentsByStatus.map((s) => ({ label: statusLabelFr(s.status), value: s.count }))} />
          <Table
            caption="Transmissions créées sur la période, par état actuel"
            headers={['État', 'Nombre']}
            rows={f.shipmentsByStatus.map((s) => [`${statusLabelFr(s.status)} (${s.status})`, String(s.count)])}
            empty="Aucune transmission sur la période."
          />
          <p>
            <strong>Délai médian entre l’envoi et la première action de la collectivité :</strong>{' '}
            {f.firstAction.medianSeconds === null ? 'pas encore de donnée' : formatDuration(f.firstAction.medianSeconds)} (sur {f.firstAction.count} transmission
            {f.firstAction.count > 1 ? 's' : ''} envoyée{f.firstAction.count > 1 ? 's' : ''} sur la période et traitée{f.firstAction.count > 1 ? 's' : ''} depuis).
          </p>
          <Table
            caption={`Par collectivité (les ${f.byCollectivity.length} plus actives)`}
            headers={['Collectivité', 'SIRET', 'Démarches commencées', 'Transmissions', 'Envoyées à HubEE']}
            rows={f.byCollectivity.map((c) => [c.name ?? 'nom inconnu', c.siret, String(c.journeysStarted), String(c.shipments), String(c.sent)])}
            empty="Aucune activité sur la période."
          />

          <h2 id="pannes">Pannes des services partenaires</h2>
          <BarChart id="graphique-pannes" title="Échecs d’appel, par service" items={asItems(f.upstreamFailures, SYSTEM_LABELS)} />
          <CountsTable caption="Échecs d’appel, par service" codeHeader="Service" counts={f.upstreamFailures} labels={SYSTEM_LABELS} />
          <p class="fr-text--sm">
            Les échecs de raccordement (INSEE, HubEE) sont sur la page <a href="/admin/raccordements">Raccordements DataPass</a>, avec leur bouton « Relancer ».
          </p>
        </>
      )}
    </AdminLayout>
  );
}
