import type { CaseStatus, FolderStatus } from '../model.ts';

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
