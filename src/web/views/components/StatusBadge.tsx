import { STATUS_LABELS_FR, statusLabelFr, type ShipmentStatus } from '../../../domain/shipment-status.ts';

/** The status of a transmission (contract §5 + our own `pending` and `failed`), from the domain. */
export type TransmissionStatus = ShipmentStatus;

/** French labels, shared with the domain ("en cours d'envoi", "transmise", …). */
export const STATUS_LABELS = STATUS_LABELS_FR;

const BADGE_TYPES: Record<TransmissionStatus, string> = {
  pending: 'fr-badge--new',
  SENT: 'fr-badge--info',
  SI_RECEIVED: 'fr-badge--info',
  IN_PROGRESS: 'fr-badge--info',
  DONE: 'fr-badge--success',
  REFUSED: 'fr-badge--error',
  failed: 'fr-badge--error',
};

/** For people: the typographic apostrophe (the domain's labels keep the straight one machines already receive). */
export function statusLabel(status: TransmissionStatus): string {
  return (statusLabelFr(status) ?? status).replace(/'/g, '’');
}

export function StatusBadge(props: { status: TransmissionStatus; small?: boolean }) {
  const classes = ['fr-badge', BADGE_TYPES[props.status] ?? '', props.small ? 'fr-badge--sm' : '']
    .filter(Boolean)
    .join(' ');
  return <span class={classes}>{statusLabel(props.status)}</span>;
}
