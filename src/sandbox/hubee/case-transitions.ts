import type { Role } from './auth.ts';
import { badRequest } from './errors.ts';
import type { CaseStatus, StoredCase } from './model.ts';

/**
 * Who may move a case to which status, from where (contracts/hubee.md §3.1, the SFD/CI table). HubEE itself is
 * only known to check the value against the list; the stand-in enforces the table so that our code and the
 * éditeurs' code cannot rely on moves the documentation forbids. Two liberties: ADD_AWAITING → IN_PROGRESS
 * (the file resumes once the user answered) and re-sending the current status is a harmless no-op.
 */
const ANY = 'any' as const;
const SI_SIDE: readonly Role[] = ['SI', 'ADMIN'];
const OSL_SIDE: readonly Role[] = ['OSL', 'ADMIN'];

const TRANSITIONS: Record<CaseStatus, { from: readonly CaseStatus[] | typeof ANY; by: readonly Role[] }> = {
  HUBEE_NOTIFIED: { from: ANY, by: OSL_SIDE },
  SENT: { from: ['HUBEE_NOTIFIED'], by: SI_SIDE },
  SI_RECEIVED: { from: ['SENT'], by: SI_SIDE },
  IN_PROGRESS: { from: ['SI_RECEIVED', 'ADD_AWAITING'], by: SI_SIDE },
  ADD_AWAITING: { from: ['IN_PROGRESS'], by: SI_SIDE },
  REFUSED: { from: ['SI_RECEIVED', 'IN_PROGRESS', 'ADD_AWAITING'], by: SI_SIDE },
  DONE: { from: ['SI_RECEIVED', 'IN_PROGRESS', 'ADD_AWAITING'], by: SI_SIDE },
  SI_INTG_ERROR: { from: ['SI_RECEIVED', 'IN_PROGRESS', 'ADD_AWAITING', 'DONE'], by: SI_SIDE },
  CLOSED: { from: ['SI_RECEIVED', 'IN_PROGRESS', 'ADD_AWAITING', 'DONE', 'REFUSED'], by: OSL_SIDE },
};

export function canMove(role: Role, from: CaseStatus, to: CaseStatus): boolean {
  const rule = TRANSITIONS[to];
  return rule.by.includes(role) && (rule.from === ANY || rule.from.includes(from));
}

/** The statuses an actor may choose next (the portal's buttons). */
export function nextStatuses(role: Role, from: CaseStatus): CaseStatus[] {
  return (Object.keys(TRANSITIONS) as CaseStatus[]).filter((to) => to !== from && canMove(role, from, to));
}

/** Applies a status change; returns false when the case already had it. */
export function moveCase(kase: StoredCase, role: Role, to: CaseStatus, now: string): boolean {
  if (kase.status === to) return false;
  if (!TRANSITIONS[to].by.includes(role)) throw badRequest(`Case status ${to} cannot be set by ${role}`);
  if (!canMove(role, kase.status, to)) throw badRequest(`Case status ${kase.status} cannot change to ${to}`);
  kase.status = to;
  kase.updateDateTime = now;
  if (to === 'CLOSED') kase.closeDateTime = now;
  if (to === 'HUBEE_NOTIFIED') kase.closeDateTime = null;
  return true;
}
