import { z } from 'zod';

/**
 * HubEE's resources as our code reads them (contracts/hubee.md §2.2, §4). Responses are validated with these
 * schemas; fields HubEE documents as optional or that real answers leave out are nullish, so that a leaner
 * answer does not break us, while a missing id (what we actually use) does.
 */

export const CASE_STATUSES = [
  'HUBEE_NOTIFIED',
  'SENT',
  'SI_RECEIVED',
  'SI_INTG_ERROR',
  'IN_PROGRESS',
  'ADD_AWAITING',
  'REFUSED',
  'DONE',
  'CLOSED',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const FOLDER_STATUSES = [
  'HUBEE_RECEIVED',
  'HUBEE_COMPLETED',
  'HUBEE_NOTIFIED',
  'SENT',
  'SI_RECEIVED',
  'IN_PROGRESS',
  'ADD_AWAITING',
  'REFUSED',
  'DONE',
  'CLOSED',
] as const;
export type FolderStatus = (typeof FOLDER_STATUSES)[number];

export type EventActionType = 'STATUS_UPDATE' | 'ATTACH_DEPOSIT' | 'ATTACH_DL' | 'ATTACH_DL_ALL' | 'COM_ADD' | 'SENDING_MESSAGE';

const nullableString = z.string().nullish().transform((v) => v ?? null);

export const organizationIdentifierSchema = z.object({
  type: z.string(),
  companyRegister: z.string(),
  branchCode: z.string(),
});
export type OrganizationIdentifier = z.infer<typeof organizationIdentifierSchema>;

const applicantSchema = z.object({ firstName: z.string(), lastName: z.string(), email: nullableString });

const attachmentSchema = z.object({
  id: z.string(),
  status: z.string(),
  fileName: z.string(),
  type: z.string(),
  size: z.number(),
  mimeType: z.string(),
});
export type Attachment = z.infer<typeof attachmentSchema>;

const partnerInfoSchema = z
  .object({ editorName: nullableString, applicationName: nullableString, softwareVersion: nullableString })
  .nullish()
  .transform((v) => v ?? null);

export const folderSchema = z.object({
  id: z.string(),
  globalStatus: z.string(),
  processCode: z.string(),
  externalId: nullableString,
  applicant: applicantSchema,
  createDateTime: nullableString,
  updateDateTime: nullableString,
  closeDateTime: nullableString,
  partnerInfo: partnerInfoSchema,
  cases: z.array(
    z.object({
      id: z.string(),
      status: z.string(),
      recipient: organizationIdentifierSchema,
      externalId: nullableString,
      updateDateTime: nullableString,
      transmissionDateTime: nullableString,
      partnerAttributes: nullableString,
    }),
  ),
  attachments: z.array(attachmentSchema.extend({ recipients: z.array(z.string()).nullish().transform((v) => v ?? []) })),
});
export type Folder = z.infer<typeof folderSchema>;

export const eventSchema = z.object({
  id: z.string(),
  transmitter: organizationIdentifierSchema.nullish().transform((v) => v ?? null),
  message: nullableString,
  comment: nullableString,
  actionType: z.string(),
  author: nullableString,
  notification: z.boolean().nullish().transform((v) => v ?? false),
  createDateTime: nullableString,
  updateDateTime: nullableString,
  status: z.string(),
  caseCurrentStatus: nullableString,
  caseNewStatus: nullableString,
  partnerAttributes: nullableString,
  attachments: z.array(attachmentSchema).nullish().transform((v) => v ?? []),
  partnerInfo: partnerInfoSchema,
});
export type HubeeEvent = z.infer<typeof eventSchema>;

export const caseSchema = z.object({
  id: z.string(),
  status: z.string(),
  recipient: organizationIdentifierSchema,
  externalId: nullableString,
  processCode: nullableString,
  createDateTime: nullableString,
  updateDateTime: nullableString,
  transmissionDateTime: nullableString,
  closeDateTime: nullableString,
  partnerAttributes: nullableString,
  applicant: applicantSchema.nullish().transform((v) => v ?? null),
  attachments: z.array(attachmentSchema).nullish().transform((v) => v ?? []),
  // Absent with `?lite=true`.
  events: z.array(eventSchema).nullish().transform((v) => v ?? []),
});
export type Case = z.infer<typeof caseSchema>;

export const notificationSchema = z.object({
  id: z.string(),
  recipient: organizationIdentifierSchema.nullish().transform((v) => v ?? null),
  transmitter: organizationIdentifierSchema.nullish().transform((v) => v ?? null),
  processCode: z.string(),
  caseId: nullableString,
  eventId: nullableString,
  dateTime: nullableString,
  // Only with `eventDetails=true`.
  eventActionType: nullableString,
  eventStatus: nullableString,
});
export type Notification = z.infer<typeof notificationSchema>;

export const organizationSchema = z.object({
  type: z.string(),
  companyRegister: z.string(),
  branchCode: z.string(),
  name: z.string(),
  code: nullableString,
  country: nullableString,
  postalCode: nullableString,
  territory: nullableString,
  email: nullableString,
  phoneNumber: nullableString,
  status: nullableString,
  createDateTime: nullableString,
  updateDateTime: nullableString,
});
export type Organization = z.infer<typeof organizationSchema>;

const localAdministratorSchema = z.object({
  email: z.string(),
  firstName: nullableString,
  lastName: nullableString,
  function: nullableString,
  phoneNumber: nullableString,
  mobileNumber: nullableString,
});

const delegationActorSchema = z.object({
  type: nullableString,
  companyRegister: nullableString,
  branchCode: nullableString,
});

export const subscriptionSchema = z.object({
  id: z.string(),
  datapassId: z.number(),
  processCode: z.string(),
  subscriber: organizationIdentifierSchema.extend({ name: nullableString }),
  accessMode: nullableString,
  notificationFrequency: z.string(),
  activateDateTime: nullableString,
  validateDateTime: nullableString,
  rejectDateTime: nullableString,
  endDateTime: nullableString,
  updateDateTime: nullableString,
  creationDateTime: nullableString,
  delegationActor: delegationActorSchema.nullish().transform((v) => v ?? null),
  rejectionReason: nullableString,
  status: z.string(),
  email: nullableString,
  localAdministrator: localAdministratorSchema,
});
export type Subscription = z.infer<typeof subscriptionSchema>;

export const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().positive().nullish(),
});

// ---- Inputs ----

export interface CreateFolderInput {
  processCode: string;
  /** ≤ 30 characters. */
  externalId: string;
  applicant: { firstName: string; lastName: string; email?: string | null };
  cases: { recipient: OrganizationIdentifier; externalId: string; partnerAttributes?: string | null }[];
  attachments: { fileName: string; type: string; size: number; mimeType: string; recipients: string[] }[];
}

export interface CreateEventInput {
  actionType: EventActionType;
  message?: string | null;
  comment?: string | null;
  author?: string | null;
  notification?: boolean;
  caseCurrentStatus?: CaseStatus | null;
  caseNewStatus?: CaseStatus | null;
  partnerAttributes?: string | null;
  attachments?: { fileName: string; type: string; size: number; mimeType: string }[];
}

export interface ListNotificationsOptions {
  /** HubEE's default is 25. */
  maxResult?: number;
  processCode?: string | readonly string[];
  /** Adds `eventActionType` and `eventStatus` to each notification. */
  eventDetails?: boolean;
}

export interface CreateOrganizationInput extends OrganizationIdentifier {
  name: string;
  code?: string | null;
  country?: string | null;
  postalCode: string;
  territory: string;
  email: string;
  phoneNumber?: string | null;
  status: string;
}

export interface SubscriptionFilters {
  processCode?: string | readonly string[];
  status?: string;
  companyRegister?: string;
  datapassId?: number;
  offSet?: number;
  maxResult?: number;
}

export interface SubscriptionInput {
  datapassId: number;
  processCode: string;
  subscriber: OrganizationIdentifier;
  /** `PORTAIL` (the commune uses HubEE's portal) or `API` (its software, or its éditeur's). */
  accessMode?: 'PORTAIL' | 'API' | (string & {}) | null;
  notificationFrequency: string;
  activateDateTime?: string | null;
  validateDateTime?: string | null;
  rejectDateTime?: string | null;
  endDateTime?: string | null;
  updateDateTime?: string | null;
  /** An éditeur acting for the commune: `{ type: 'EDT', companyRegister: <its SIRET>, branchCode: <its COG> }`. */
  delegationActor?: { type: string | null; companyRegister: string | null; branchCode: string | null } | null;
  rejectionReason?: string | null;
  /** HubEE creates subscriptions `Inactif`; `Actif` activates. */
  status?: 'Actif' | 'Inactif' | 'Refusé' | 'Suspendu' | (string & {});
  email?: string | null;
  localAdministrator: {
    email: string;
    firstName?: string | null;
    lastName?: string | null;
    function?: string | null;
    phoneNumber?: string | null;
    mobileNumber?: string | null;
  };
}
