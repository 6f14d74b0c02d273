import type { CaseStatus, FolderStatus, StoredCaseStatus } from '../model.ts';

/** How the portal names statuses for commune agents. */
export const CASE_STATUS_LABELS: Record<CaseStatus | FolderStatus, string> = {
  HUBEE_RECEIVED: 'En cours de dépôt',
  HUBEE_COMPLETED: 'Déposé',
  HUBEE_NOTIFIED: 'Nouveau',
  SENT: 'Consulté',
  SI_RECEIVED: 'Reçu',
  SI_INTG_ERROR: "Erreur d'intégration",
  IN_PROGRESS: 'En cours de traitement',
  ADD_AWAITING: 'En attente de compléments',
  REFUSED: 'Refusé',
  DONE: 'Traité',
  CLOSED: 'Clôturé',
};

/** The buttons offered to an agent, in the order of the usual journey. */
export const PORTAL_MOVES: readonly { status: CaseStatus; label: string }[] = [
  { status: 'SI_RECEIVED', label: 'Accuser réception' },
  { status: 'IN_PROGRESS', label: 'Passer en cours de traitement' },
  { status: 'DONE', label: 'Marquer comme traité' },
  { status: 'REFUSED', label: 'Refuser' },
];

/**
 * Which of those buttons the portal shows in each status: the usual journey forward, nothing once the file is
 * final. A choice of our portal's screens (HubEE's V2 portal also offers forward moves only), not a rule of the
 * API, which accepts any listed status (contracts/hubee.md §3.1b).
 */
const OFFERED: Partial<Record<StoredCaseStatus, readonly CaseStatus[]>> = {
  SENT: ['SI_RECEIVED'],
  SI_RECEIVED: ['IN_PROGRESS', 'DONE', 'REFUSED'],
  IN_PROGRESS: ['DONE', 'REFUSED'],
  ADD_AWAITING: ['IN_PROGRESS', 'DONE', 'REFUSED'],
};

export function portalMoves(status: StoredCaseStatus): readonly { status: CaseStatus; label: string }[] {
  const offered = OFFERED[status] ?? [];
  return PORTAL_MOVES.filter((m) => offered.includes(m.status));
}
