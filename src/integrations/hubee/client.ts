import { referentialOperations } from './referential.ts';
import type {
  Case,
  CaseStatus,
  CreateEventInput,
  CreateFolderInput,
  CreateOrganizationInput,
  Folder,
  FolderStatus,
  HubeeEvent,
  ListNotificationsOptions,
  Notification,
  Organization,
  Subscription,
  SubscriptionFilters,
  SubscriptionInput,
} from './schemas.ts';
import { teledossierOperations, type DownloadedAttachment } from './teledossiers.ts';
import { TokenSource, type HubeeScope } from './token.ts';
import { HubeeTransport } from './transport.ts';

export { HubeeError, type HubeeErrorKind } from './errors.ts';
export type * from './schemas.ts';
export { CASE_STATUSES, FOLDER_STATUSES } from './schemas.ts';
export { organizationIdOf } from './referential.ts';
export { sha256Digest, type DownloadedAttachment } from './teledossiers.ts';
export type { HubeeScope } from './token.ts';

export interface HubeeClientOptions {
  /** API base, e.g. https://api.hubee.numerique.gouv.fr (the stand-in: http://localhost:3001/hubee). */
  apiUrl: string;
  /** e.g. https://auth.hubee.numerique.gouv.fr/oauth2/token */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** The role the credentials act in: our OSL or ADMIN pair, or a commune's SI pair. */
  scope: HubeeScope;
  timeoutMs: number;
  /** Binary transfers; defaults to max(timeoutMs, 60 s) since HubEE's gateway allows them 300 s. */
  uploadTimeoutMs?: number;
  /**
   * Folder creation; defaults to max(timeoutMs, 30 s). HubEE has no list endpoint: a folder whose creation
   * answer we gave up on can never be found again, so waiting longer is the only way to avoid leaving it behind.
   */
  createFolderTimeoutMs?: number;
  /** Optional tracing headers HubEE stores as `partnerInfo` (each ≤ 50 characters). */
  partnerInfo?: { editorName?: string; applicationName?: string; softwareVersion?: string };
  /** Clock for the token cache (tests). */
  now?: () => number;
}

export interface HubeeClient {
  // Télédossiers — OSL
  createFolder(input: CreateFolderInput): Promise<Folder>;
  getFolder(folderId: string): Promise<Folder>;
  uploadAttachment(folderId: string, attachmentId: string, bytes: Uint8Array, options?: { digest?: string }): Promise<void>;
  markFolderCompleted(folderId: string): Promise<void>;
  updateFolderStatus(folderId: string, globalStatus: FolderStatus, closeDateTime?: string): Promise<void>;
  deleteFolder(folderId: string): Promise<void>;
  // Télédossiers — both sides
  getCase(caseId: string, options?: { lite?: boolean }): Promise<Case>;
  updateCaseStatus(caseId: string, status: CaseStatus): Promise<void>;
  /** `maxBytes`: the download fails past this many bytes, read as a stream (the pull gives the declared size). */
  downloadCaseAttachment(caseId: string, attachmentId: string, options?: { maxBytes?: number }): Promise<DownloadedAttachment>;
  createEvent(caseId: string, input: CreateEventInput): Promise<HubeeEvent>;
  getEvent(caseId: string, eventId: string): Promise<HubeeEvent>;
  updateEventStatus(caseId: string, eventId: string, status: 'SENT' | 'RECEIVED'): Promise<void>;
  listNotifications(options?: ListNotificationsOptions): Promise<Notification[]>;
  deleteNotification(notificationId: string): Promise<void>;
  // Referential — ADMIN (an OSL may read subscriptions)
  getOrganization(organizationId: string): Promise<Organization>;
  createOrganization(input: CreateOrganizationInput): Promise<Organization>;
  listSubscriptions(filters?: SubscriptionFilters): Promise<Subscription[]>;
  getSubscription(subscriptionId: string): Promise<Subscription>;
  createSubscription(input: SubscriptionInput): Promise<Subscription>;
  updateSubscription(subscriptionId: string, input: SubscriptionInput): Promise<Subscription>;
}

/** One client per credential pair and scope. Every call is typed and its answer validated. */
export function createHubeeClient(options: HubeeClientOptions): HubeeClient {
  const tokens = new TokenSource({
    tokenUrl: options.tokenUrl,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    scope: options.scope,
    timeoutMs: options.timeoutMs,
    ...(options.now ? { now: options.now } : {}),
  });
  const partnerHeaders: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.partnerInfo ?? {})) {
    if (value) partnerHeaders[name] = value.slice(0, 50);
  }
  const apiUrl = options.apiUrl.replace(/\/+$/, '');
  const transport = new HubeeTransport({ apiUrl, timeoutMs: options.timeoutMs, tokens, partnerHeaders });
  return {
    ...teledossierOperations(transport, {
      uploadTimeoutMs: options.uploadTimeoutMs ?? Math.max(options.timeoutMs, 60_000),
      createFolderTimeoutMs: options.createFolderTimeoutMs ?? Math.max(options.timeoutMs, 30_000),
    }),
    ...referentialOperations(transport),
  };
}
