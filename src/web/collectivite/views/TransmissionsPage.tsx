import { STATUS_LABELS_FR } from '../../../domain/shipment-status.ts';
import type { CommuneTransmission } from '../../../db/repositories/commune-transmissions.ts';
import type { DayPeriod } from '../../../db/repositories/figures.ts';
import type { ShipmentStatusColumn } from '../../../db/schema.ts';
import { StatusBadge } from '../../views/components/StatusBadge.tsx';
import { frenchDateTime, plural } from '../../views/format.ts';
import { Table } from './Table.tsx';
import { TestDossierBadge, TestDossierForm, TestDossierSent } from '../../espaces/TestDossier.tsx';
import type { HubeeEnvironment } from '../../../domain/hubee-environment.ts';
import { EspaceLayout, type EspaceFrame } from './EspaceLayout.tsx';
import { PeriodFilter } from './PeriodFilter.tsx';

export const FILTER_STATUSES: readonly ShipmentStatusColumn[] = ['pending', 'SENT', 'SI_RECEIVED', 'IN_PROGRESS', 'DONE', 'REFUSED', 'failed'];

export interface TransmissionsPageProps {
  frame: EspaceFrame;
  period: DayPeriod;
  status: ShipmentStatusColumn | null;
  counts: { status: ShipmentStatusColumn; count: number }[];
  transmissions: CommuneTransmission[];
  limit: number;
  error?: string;
  csvUrl: string;
  /** Where a test dossier would go (or why none can), and the one just sent. */
  testDossier: { environment: HubeeEnvironment | null; unavailable: string | null; sent: { reference: string; environment: HubeeEnvironment } | null };
}

/** "3 h 12 min", "2 j 4 h": the time between the sending and the commune's first action. */
export function durationLabel(seconds: number): string {
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} j ${hours % 24} h`;
}

export function firstActionSeconds(t: Pick<CommuneTransmission, 'sentAt' | 'firstCommuneStatusAt'>): number | null {
  return t.sentAt && t.firstCommuneStatusAt ? Math.max(0, (t.firstCommuneStatusAt.getTime() - t.sentAt.getTime()) / 1000) : null;
}

export function TransmissionsPage(props: TransmissionsPageProps) {
  const total = props.counts.reduce((sum, c) => sum + c.count, 0);
  return (
    <EspaceLayout title="Transmissions" section="transmissions" frame={props.frame} isError={props.error !== undefined}>
      <p>
        Les démarches que les familles ont transmises à {props.frame.collectivityName}. Nous ne gardons rien de personnel
        une fois que HubEE a le dossier : les pièces (identité, quotient familial) sont dans le{' '}
        <a href="https://portail.hubee.numerique.gouv.fr" target="_blank" rel="noopener" title="portail HubEE - nouvelle fenêtre">
          portail HubEE
        </a>{' '}
        ou dans votre logiciel, sous la même référence.
      </p>
      {props.testDossier.sent ? <TestDossierSent {...props.testDossier.sent} collectivityName={props.frame.collectivityName} /> : null}
      <TestDossierForm
        action="/espace/dossier-de-test"
        csrfToken={props.frame.csrfToken}
        collectivityName={props.frame.collectivityName}
        environment={props.testDossier.environment}
        unavailable={props.testDossier.unavailable}
      />
      <PeriodFilter action="/espace/transmissions" legend="Filtrer" from={props.period.from} to={props.period.to} error={props.error}>
        <div class="fr-fieldset__element fr-fieldset__element--inline">
          <div class="fr-select-group">
            <label class="fr-label" for="statut">
              État
            </label>
            <select class="fr-select" id="statut" name="statut">
              <option value="" selected={props.status === null}>
                Tous
              </option>
              {FILTER_STATUSES.map((s) => (
                <option value={s} selected={props.status === s}>
                  {STATUS_LABELS_FR[s]}
                </option>
              ))}
            </select>
          </div>
        </div>
      </PeriodFilter>

      <h2>Sur la période : {plural(total, 'transmission', 'transmissions')}</h2>
      <ul class="fr-tags-group fr-mb-3w">
        {props.counts.map((c) => (
          <li>
            <p class="fr-tag">
              {STATUS_LABELS_FR[c.status]} : {c.count}
            </p>
          </li>
        ))}
      </ul>
      <p>
        <a class="fr-link fr-icon-download-line fr-link--icon-left" href={props.csvUrl} download>
          Télécharger la liste (CSV)
        </a>
      </p>

      {props.transmissions.length === 0 ? (
        <p>Aucune transmission ne correspond à ces critères.</p>
      ) : (
        <Table caption="Transmissions de la période" hideCaption>
          <thead>
            <tr>
              <th scope="col">Référence</th>
              <th scope="col">N° de dossier du portail</th>
              <th scope="col">État</th>
              <th scope="col">Transmise le</th>
              <th scope="col">Première action de la commune</th>
              <th scope="col">Historique</th>
            </tr>
          </thead>
          <tbody>
            {props.transmissions.map((t) => {
              const delay = firstActionSeconds(t);
              return (
                <tr>
                  <td class="fqf-reference">
                    {t.reference}
                    {t.isTest ? (
                      <>
                        {' '}
                        <TestDossierBadge />
                      </>
                    ) : null}
                  </td>
                  <td>{t.externalId ?? '—'}</td>
                  <td>
                    <StatusBadge status={t.status} small />
                  </td>
                  <td>
                    {frenchDateTime(t.sentAt ?? t.createdAt)}
                    {t.repeatsTransmissionOf ? (
                      <p class="fr-text--sm fr-mb-0 fr-mt-1w">
                        <span class="fr-badge fr-badge--sm fr-badge--warning fr-badge--no-icon">Nouvel envoi</span> Cette famille a déjà transmis ses données le{' '}
                        <time datetime={t.repeatsTransmissionOf.toISOString()}>{frenchDateTime(t.repeatsTransmissionOf)}</time>
                      </p>
                    ) : null}
                  </td>
                  <td>{delay === null ? '—' : `après ${durationLabel(delay)}`}</td>
                  <td>
                    <ol class="fr-text--sm fr-mb-0">
                      {t.history.map((h) => (
                        <li>
                          {STATUS_LABELS_FR[h.status]} — <time datetime={h.at.toISOString()}>{frenchDateTime(h.at)}</time>
                        </li>
                      ))}
                    </ol>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </Table>
      )}
      {props.transmissions.length >= props.limit ? (
        <p>Seules les {props.limit} plus récentes sont affichées : réduisez la période, ou téléchargez la liste complète.</p>
      ) : null}
    </EspaceLayout>
  );
}
