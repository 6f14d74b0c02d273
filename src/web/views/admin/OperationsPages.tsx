import type { DirectoryEntry } from '../../../db/repositories/collectivity-directory.ts';
import type { FailedJob, QueueCounts } from '../../../db/repositories/job-queue-state.ts';
import type { StuckShipment } from '../../../db/repositories/operator-shipments.ts';
import { statusLabelFr } from '../../../domain/shipment-status.ts';
import { AdminLayout, formatDateTime, Table, type OperatorFrame } from './AdminLayout.tsx';
import { technicalErrorFr } from './technical-error.ts';

/** A message after an action (Post/Redirect/Get): what was done, or why not. */
export function Notice(props: { message: string | null; kind?: 'success' | 'error' }) {
  if (!props.message) return null;
  return (
    <div class={`fr-alert fr-alert--${props.kind ?? 'success'} fr-alert--sm fr-mb-3w`} role="status">
      <p>{props.message}</p>
    </div>
  );
}

export function PostButton(props: { action: string; label: string; csrfToken: string; fields?: Record<string, string>; secondary?: boolean }) {
  return (
    <form method="post" action={props.action}>
      <input type="hidden" name="_csrf" value={props.csrfToken} />
      {Object.entries(props.fields ?? {}).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <button class={`fr-btn fr-btn--sm${props.secondary ? ' fr-btn--secondary' : ''}`} type="submit">
        {props.label}
      </button>
    </form>
  );
}

export function CollectivitiesAdminPage(props: {
  operator: OperatorFrame;
  query: string;
  status: 'active' | 'inactive' | null;
  entries: DirectoryEntry[];
  total: number;
  page: number;
  pageSize: number;
  csrfToken: string;
  notice: string | null;
}) {
  const back = new URLSearchParams({ q: props.query, statut: props.status ?? '', page: String(props.page) }).toString();
  const pages = Math.max(1, Math.ceil(props.total / props.pageSize));
  const link = (page: number) => `/admin/collectivites?${new URLSearchParams({ q: props.query, statut: props.status ?? '', page: String(page) })}`;
  return (
    <AdminLayout title="Collectivités" current="/admin/collectivites" operator={props.operator}>
      <Notice message={props.notice} />
      <form method="get" action="/admin/collectivites" class="fr-mb-3w">
        <div class="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom">
          <div class="fr-col-12 fr-col-md-6 fr-input-group">
            <label class="fr-label" for="q">
              Nom, SIRET ou code COG
            </label>
            <input class="fr-input" id="q" name="q" value={props.query} />
          </div>
          <div class="fr-col-12 fr-col-md-3 fr-select-group">
            <label class="fr-label" for="statut">
              État
            </label>
            <select class="fr-select" id="statut" name="statut">
              <option value="" selected={props.status === null}>
                Toutes
              </option>
              <option value="active" selected={props.status === 'active'}>
                Actives
              </option>
              <option value="inactive" selected={props.status === 'inactive'}>
                Inactives
              </option>
            </select>
          </div>
          <div class="fr-col-12 fr-col-md-3">
            <button class="fr-btn" type="submit">
              Filtrer
            </button>
          </div>
        </div>
      </form>
      <p>
        {props.total} collectivité{props.total > 1 ? 's' : ''} — page {props.page} sur {pages}.
      </p>
      <Table
        caption="Collectivités"
        headers={['Nom', 'SIRET', 'COG', 'Département', 'Éditeur', 'État', 'Action', 'Espace collectivité']}
        rows={props.entries.map((c) => [
          c.name,
          c.siret,
          c.codeCog,
          c.departement,
          c.editor ?? '—',
          c.status === 'active' ? <span class="fr-badge fr-badge--success fr-badge--sm">active</span> : <span class="fr-badge fr-badge--sm">inactive</span>,
          <PostButton
            action={`/admin/collectivites/${c.siret}/etat`}
            label={c.status === 'active' ? 'Désactiver' : 'Activer'}
            secondary={c.status === 'active'}
            csrfToken={props.csrfToken}
            fields={{ etat: c.status === 'active' ? 'inactive' : 'active', retour: back }}
          />,
          <a class="fr-link fr-text--sm" href={`/admin/collectivites/${c.siret}/agents`}>
            Agents de {c.name}
          </a>,
        ])}
        empty="Aucune collectivité ne correspond."
      />
      <nav role="navigation" class="fr-pagination" aria-label="Pagination">
        <ul class="fr-pagination__list">
          <li>{props.page > 1 ? <a class="fr-pagination__link fr-pagination__link--prev" href={link(props.page - 1)}>Page précédente</a> : null}</li>
          <li>{props.page < pages ? <a class="fr-pagination__link fr-pagination__link--next" href={link(props.page + 1)}>Page suivante</a> : null}</li>
        </ul>
      </nav>
    </AdminLayout>
  );
}

export function ShipmentsAdminPage(props: { operator: OperatorFrame; shipments: StuckShipment[]; csrfToken: string; notice: string | null }) {
  return (
    <AdminLayout title="Transmissions en attente ou en échec" current="/admin/transmissions" operator={props.operator}>
      <Notice message={props.notice} />
      <p>
        Les transmissions en attente sont réessayées automatiquement, avec un délai croissant, pendant la fenêtre de réessai ; « Relancer » les
        réessaie maintenant. Aucune donnée personnelle n’est affichée.
      </p>
      <Table
        caption="Transmissions en attente ou en échec"
        headers={['Référence', 'Collectivité', 'État', 'Tentatives', 'Dernière erreur', 'Créée le', 'Prochain essai', 'Action']}
        rows={props.shipments.map((s) => [
          <code>{s.reference}</code>,
          `${s.collectivityName ?? '—'} (${s.collectivitySiret})`,
          statusLabelFr(s.status),
          String(s.attempts),
          technicalErrorFr(s.lastError),
          formatDateTime(s.createdAt),
          s.status === 'pending' ? formatDateTime(s.nextAttemptAt) : '—',
          s.status === 'pending' ? <PostButton action={`/admin/transmissions/${s.reference}/relancer`} label="Relancer" csrfToken={props.csrfToken} /> : '—',
        ])}
        empty="Aucune transmission en attente ni en échec."
      />
    </AdminLayout>
  );
}

/** What the back office needs of an onboarding (the DataPass work's OnboardingRecord fits it). */
export interface OnboardingRow {
  habilitationId: number;
  siret: string;
  editor: string | null;
  status: string;
  step: string | null;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: Date;
  createdAt: Date;
  completedAt: Date | null;
}

const ONBOARDING_STATUS_LABELS: Record<string, string> = { pending: 'en cours', done: 'terminé', failed: 'en échec', ended: 'habilitation terminée' };

/** "Majastres (21040107100019)", or the SIRET alone while no collectivity has it yet (an onboarding not done). */
export function collectivityLabel(siret: string, names: ReadonlyMap<string, string>): string {
  const name = names.get(siret);
  return name ? `${name} (${siret})` : siret;
}

export function OnboardingsAdminPage(props: { operator: OperatorFrame; onboardings: OnboardingRow[]; names: ReadonlyMap<string, string>; csrfToken: string; notice: string | null }) {
  const failures = props.onboardings.filter((o) => o.status === 'failed' || (o.status === 'pending' && o.lastError !== null));
  return (
    <AdminLayout title="Raccordements DataPass" current="/admin/raccordements" operator={props.operator}>
      <Notice message={props.notice} />
      <h2>Échecs</h2>
      <Table
        caption="Raccordements en échec ou en réessai"
        headers={['Habilitation', 'Collectivité (SIRET)', 'Étape', 'Tentatives', 'Dernière erreur', 'Prochain essai', 'Action']}
        rows={failures.map((o) => [
          String(o.habilitationId),
          collectivityLabel(o.siret, props.names),
          o.step ?? '—',
          String(o.attempts),
          technicalErrorFr(o.lastError),
          o.status === 'pending' ? formatDateTime(o.nextAttemptAt) : '—',
          o.status === 'failed' ? <PostButton action={`/admin/raccordements/${o.habilitationId}/relancer`} label="Relancer" csrfToken={props.csrfToken} /> : 'réessai automatique',
        ])}
        empty="Aucun raccordement en échec."
      />
      <h2>Tous les raccordements</h2>
      <Table
        caption="Raccordements, les plus récents d’abord"
        headers={['Habilitation', 'Collectivité (SIRET)', 'Éditeur', 'État', 'Étape', 'Reçu le', 'Terminé le']}
        rows={props.onboardings.map((o) => [
          String(o.habilitationId),
          collectivityLabel(o.siret, props.names),
          o.editor ?? '—',
          ONBOARDING_STATUS_LABELS[o.status] ?? o.status,
          o.step ?? '—',
          formatDateTime(o.createdAt),
          formatDateTime(o.completedAt),
        ])}
        empty="Aucun raccordement reçu."
      />
    </AdminLayout>
  );
}

export function QueueAdminPage(props: { operator: OperatorFrame; counts: QueueCounts[]; failures: FailedJob[] }) {
  return (
    <AdminLayout title="File de travaux" current="/admin/file-de-travaux" operator={props.operator}>
      <Table caption="Travaux par file et par état" headers={['File', 'État', 'Nombre']} rows={props.counts.map((c) => [c.queue, c.state, String(c.count)])} empty="La file est vide." />
      <Table
        caption="Derniers travaux en échec"
        headers={['File', 'Identifiant', 'Échoué le', 'Réessais', 'Erreur']}
        rows={props.failures.map((j) => [j.queue, <code>{j.id}</code>, formatDateTime(j.failedAt), String(j.retries), technicalErrorFr(j.error)])}
        empty="Aucun travail en échec."
      />
    </AdminLayout>
  );
}
