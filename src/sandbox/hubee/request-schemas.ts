import { z } from 'zod';
import { SETTABLE_CASE_STATUSES } from './case-status-changes.ts';
import { FOLDER_STATUSES } from './model.ts';

/** Request bodies with the limits of HubEE's OpenAPI files (contracts/hubee.md §2.2, §4). */

const text = (max: number) => z.string().max(max);
const optionalText = (max: number) => z.string().max(max).nullish();

export const organizationIdentifierSchema = z.object({
  type: text(20),
  companyRegister: z.string().regex(/^[0-9]{14}$/),
  branchCode: text(10),
});

export const applicantSchema = z.object({
  firstName: text(255),
  lastName: text(255),
  email: optionalText(320),
});

export const attachmentMetadataSchema = z.object({
  fileName: text(255),
  type: text(100),
  size: z.number().int().min(0),
  mimeType: text(255),
});

export const createFolderSchema = z.object({
  processCode: text(30),
  externalId: text(30),
  applicant: applicantSchema,
  closeDateTime: z.string().nullish(),
  cases: z
    .array(
      z.object({
        recipient: organizationIdentifierSchema,
        externalId: text(100),
        partnerAttributes: optionalText(1024),
      }),
    )
    .min(1),
  attachments: z.array(attachmentMetadataSchema.extend({ recipients: z.array(z.string()).min(1) })).min(1),
});

export const patchFolderSchema = z.object({
  globalStatus: text(50).pipe(z.enum(FOLDER_STATUSES)),
  closeDateTime: z.iso.datetime({ offset: true }).nullish(),
});

export const patchCaseSchema = z.object({ status: text(15).pipe(z.enum(SETTABLE_CASE_STATUSES)) });

export const ACTION_TYPES = ['STATUS_UPDATE', 'ATTACH_DEPOSIT', 'ATTACH_DL', 'ATTACH_DL_ALL', 'COM_ADD', 'SENDING_MESSAGE'] as const;

export const createEventSchema = z.object({
  message: optionalText(1000),
  comment: optionalText(1000),
  actionType: text(100).pipe(z.enum(ACTION_TYPES)),
  author: optionalText(255),
  notification: z.boolean().default(false),
  caseCurrentStatus: optionalText(15),
  caseNewStatus: text(15).pipe(z.enum(SETTABLE_CASE_STATUSES)).nullish(),
  partnerAttributes: optionalText(1024),
  attachments: z.array(attachmentMetadataSchema).default([]),
});
export type CreateEventInput = z.output<typeof createEventSchema>;

export const patchEventSchema = z.object({ status: text(12).pipe(z.enum(['SENT', 'RECEIVED'])) });

const phone = z.string().regex(/^\+[0-9]{10,20}$|^[0-9]{10,20}$/);

export const organizationSchema = organizationIdentifierSchema.extend({
  name: text(100),
  code: optionalText(10),
  country: optionalText(100),
  postalCode: text(10),
  territory: text(255),
  email: z.string().max(320),
  phoneNumber: phone.nullish(),
  status: text(20),
});

export const subscriptionSchema = z.object({
  datapassId: z.number().int(),
  processCode: text(30),
  subscriber: organizationIdentifierSchema,
  accessMode: z.enum(['PORTAIL', 'API']).nullish(),
  notificationFrequency: text(20),
  activateDateTime: z.string().nullish(),
  validateDateTime: z.string().nullish(),
  rejectDateTime: z.string().nullish(),
  endDateTime: z.string().nullish(),
  updateDateTime: z.string().nullish(),
  delegationActor: z
    .object({ type: text(20).nullish(), companyRegister: z.string().regex(/^[0-9]{14}$/).nullish(), branchCode: optionalText(10) })
    .nullish(),
  rejectionReason: optionalText(1000),
  status: z.enum(['Actif', 'Inactif', 'Refusé', 'Suspendu']).default('Inactif'),
  email: optionalText(320),
  localAdministrator: z.object({
    email: z.string().max(320),
    firstName: optionalText(255),
    lastName: optionalText(255),
    function: optionalText(255),
    phoneNumber: phone.nullish(),
    mobileNumber: phone.nullish(),
  }),
});
