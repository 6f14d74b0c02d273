/**
 * The stand-in's records, shaped like HubEE's resources (contracts/hubee.md §2.2, §4) plus the few links HubEE
 * keeps internally (which folder a case belongs to, who owns a folder, where a binary is stored).
 * Everything here is plain JSON so that the whole state can be written to one file.
 */

// The status lists are facts of HubEE's contract (§3.1), kept once beside the client's schemas.
import type { CaseStatus, FolderStatus } from '../../integrations/hubee/schemas.ts';

export { CASE_STATUSES, FOLDER_STATUSES, type CaseStatus, type FolderStatus } from '../../integrations/hubee/schemas.ts';

export type AttachmentStatus = 'PENDING' | 'RECEIVED' | 'CORRUPTED' | 'REJECTED';
export type EventStatus = 'IN_PROGRESS' | 'SENT' | 'RECEIVED';

export interface OrganizationIdentifier {
  type: string;
  companyRegister: string;
  branchCode: string;
}

export interface PartnerInfo {
  editorName: string | null;
  applicationName: string | null;
  softwareVersion: string | null;
}

export interface Applicant {
  firstName: string;
  lastName: string;
  email: string | null;
}

export interface StoredAttachment {
  id: string;
  status: AttachmentStatus;
  fileName: string;
  type: string;
  size: number;
  mimeType: string;
  /** Case externalIds (folder attachments only). */
  recipients: string[];
  /** Base64 SHA-256 of the stored binary, once received. */
  digest: string | null;
}

export interface StoredFolder {
  id: string;
  processCode: string;
  externalId: string;
  applicant: Applicant;
  globalStatus: FolderStatus;
  createDateTime: string;
  updateDateTime: string;
  closeDateTime: string | null;
  partnerInfo: PartnerInfo;
  /** The OSL that created the folder: only it (and ADMIN) may read or change it. */
  owner: OrganizationIdentifier;
  caseIds: string[];
  attachments: StoredAttachment[];
}

/**
 * A case's status as HubEE stores it: SW-F's case enum, plus HUBEE_RECEIVED (a case created with its folder is
 * HUBEE_RECEIVED until the folder is completed, SFD; §3.1b) and HUBEE_COMPLETED (set by the OSL while reopening).
 */
export type StoredCaseStatus = CaseStatus | 'HUBEE_RECEIVED' | 'HUBEE_COMPLETED';

export interface StoredCase {
  id: string;
  folderId: string;
  externalId: string;
  recipient: OrganizationIdentifier;
  status: StoredCaseStatus;
  createDateTime: string;
  updateDateTime: string;
  transmissionDateTime: string | null;
  closeDateTime: string | null;
  partnerAttributes: string | null;
  eventIds: string[];
}

export interface StoredEvent {
  id: string;
  caseId: string;
  transmitter: OrganizationIdentifier;
  message: string | null;
  comment: string | null;
  actionType: string;
  author: string | null;
  notification: boolean;
  status: EventStatus;
  caseCurrentStatus: string | null;
  caseNewStatus: string | null;
  partnerAttributes: string | null;
  attachments: StoredAttachment[];
  partnerInfo: PartnerInfo;
  createDateTime: string;
  updateDateTime: string;
}

export interface StoredNotification {
  id: string;
  recipient: OrganizationIdentifier;
  transmitter: OrganizationIdentifier;
  processCode: string;
  caseId: string | null;
  eventId: string | null;
  dateTime: string;
}

export interface Organization extends OrganizationIdentifier {
  name: string;
  code: string | null;
  country: string | null;
  postalCode: string;
  territory: string;
  email: string | null;
  phoneNumber: string | null;
  status: string;
  createDateTime: string;
  updateDateTime: string;
}

export interface LocalAdministrator {
  email: string;
  firstName: string | null;
  lastName: string | null;
  function: string | null;
  phoneNumber: string | null;
  mobileNumber: string | null;
}

export interface DelegationActor {
  type: string | null;
  companyRegister: string | null;
  branchCode: string | null;
}

export interface Subscription {
  id: string;
  datapassId: number;
  processCode: string;
  subscriber: OrganizationIdentifier;
  accessMode: 'PORTAIL' | 'API' | null;
  notificationFrequency: string;
  activateDateTime: string | null;
  validateDateTime: string | null;
  rejectDateTime: string | null;
  endDateTime: string | null;
  updateDateTime: string;
  creationDateTime: string;
  delegationActor: DelegationActor;
  rejectionReason: string | null;
  status: string;
  email: string | null;
  localAdministrator: LocalAdministrator;
}

export interface IssuedToken {
  token: string;
  clientId: string;
  /** The scope actually granted: the requested one, or "default" when the client may not have it. */
  scope: string;
  expiresAt: number;
}

export interface HubeeState {
  version: 1;
  organizations: Record<string, Organization>;
  subscriptions: Record<string, Subscription>;
  folders: Record<string, StoredFolder>;
  cases: Record<string, StoredCase>;
  events: Record<string, StoredEvent>;
  notifications: Record<string, StoredNotification>;
  /** Kept in the state file so that the app's cached token survives a sandbox restart, as it would at HubEE. */
  tokens: Record<string, IssuedToken>;
}

export function emptyState(): HubeeState {
  return {
    version: 1,
    organizations: {},
    subscriptions: {},
    folders: {},
    cases: {},
    events: {},
    notifications: {},
    tokens: {},
  };
}

export function organizationId(org: OrganizationIdentifier): string {
  return `${org.type}-${org.companyRegister}-${org.branchCode}`;
}

export function sameOrganization(a: OrganizationIdentifier, b: OrganizationIdentifier): boolean {
  return a.type === b.type && a.companyRegister === b.companyRegister && a.branchCode === b.branchCode;
}
