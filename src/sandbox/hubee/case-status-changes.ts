import type { Role } from './auth.ts';
import { badRequest } from './errors.ts';
import { CASE_STATUSES, type StoredCase } from './model.ts';

/**
 * What HubEE V1 really checks when a case's status changes (contracts/hubee.md §3.1b): that the value is one of
 * the allowed list (SFD RC001), and who may set it only where the SFD says so. It does NOT enforce the from → to
 * table of §3.1 (DINUM's valise asserts HUBEE_NOTIFIED → IN_PROGRESS, → DONE… pass, and its reference SI script
 * posts IN_PROGRESS then DONE on a case it has just downloaded).
 */

/**
 * The allowed list: SW-F's case enum, plus HUBEE_COMPLETED, which DINUM's valise sets on a case as the OSL while
 * reopening (folder G; §3.1b: "accept it rather than refuse it").
 */
export const SETTABLE_CASE_STATUSES = [...CASE_STATUSES, 'HUBEE_COMPLETED'] as const;
export type SettableCaseStatus = (typeof SETTABLE_CASE_STATUSES)[number];

/** The statuses the SFD reserves to the sender: closing, and reopening (HUBEE_NOTIFIED, HUBEE_COMPLETED). */
const SENDER_ONLY: ReadonlySet<SettableCaseStatus> = new Set(['CLOSED', 'HUBEE_NOTIFIED', 'HUBEE_COMPLETED']);

export function maySet(role: Role, to: SettableCaseStatus): boolean {
  return role !== 'SI' || !SENDER_ONLY.has(to);
}

/** Applies a status change; returns false when the case already had it. */
export function moveCase(kase: StoredCase, role: Role, to: SettableCaseStatus, now: string): boolean {
  if (!maySet(role, to)) throw badRequest(`Case status ${to} cannot be set by ${role}`);
  if (kase.status === to) return false;
  kase.status = to;
  kase.updateDateTime = now;
  if (to === 'CLOSED') kase.closeDateTime = now;
  if (to === 'HUBEE_NOTIFIED' || to === 'HUBEE_COMPLETED') kase.closeDateTime = null;
  return true;
}
