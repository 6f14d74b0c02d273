import { z } from 'zod';
import { parseSiret, type Siret } from '../../domain/siret.ts';
import { err, ok, type Result } from '../../domain/result.ts';
import { pathOfNul } from '../../domain/text.ts';

/**
 * What DataPass posts to our webhook (contracts/hubee.md §6.2): a signed test ping when the webhook is created or
 * its URL changes, then one delivery per event of a habilitation (`authorization_request/formulaire_qf`).
 */

/** Events after which the habilitation no longer allows the collectivity to use the service. */
export const ENDING_EVENTS = ['revoke', 'archive'] as const;

const pingSchema = z.object({ test: z.literal(true), timestamp: z.string().optional() });

const envelopeSchema = z.object({
  event: z.string().min(1).max(100).regex(/^[A-Za-z0-9_.:-]+$/, 'nom d’événement invalide'),
  model_type: z.string().max(200).nullish(),
  model_id: z.number().int().positive().max(2_147_483_647),
  /** Unix seconds, between 1970 and 2100 (1e308 or 9e13 would make no date, and the insert fail). */
  fired_at: z.number().min(0).max(4_102_444_800).nullish(),
  data: z.record(z.string(), z.unknown()),
});

const applicantSchema = z.object({
  email: z.email().max(320),
  given_name: z.string().max(255).nullish(),
  family_name: z.string().max(255).nullish(),
  job_title: z.string().max(255).nullish(),
  phone_number: z.string().max(50).nullish(),
});

const serviceProviderSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  siret: z.string().nullish(),
  type: z.string().nullish(),
});

const habilitationSchema = z.object({
  type: z.string().nullish(),
  form_uid: z.string().nullish(),
  organization: z.object({ siret: z.string(), name: z.string().nullish() }),
  applicant: applicantSchema,
  service_provider: serviceProviderSchema.nullish(),
});

export type DatapassApplicant = z.infer<typeof applicantSchema>;

/** An éditeur the commune delegates HubEE to (DataPass `service_provider` of type `editor`). */
export interface DatapassEditor {
  /** DataPass's name for it, kept as our collectivity's `editor`. */
  id: string;
  siret: Siret;
}

export interface DatapassEvent {
  event: string;
  modelType: string | null;
  habilitationId: number;
  firedAt: Date | null;
  /** Present when the data names an organization, whatever the event. */
  organizationSiret: string | null;
  /** True when the habilitation is a Formulaire QF one. */
  formulaireQf: boolean;
}

export interface DatapassApproval {
  habilitationId: number;
  siret: Siret;
  applicant: DatapassApplicant;
  editor: DatapassEditor | null;
  /** The e-mails of the form's "contacts" step (fields `…_email` of `data.data`), lower-cased, without the applicant's. */
  contactEmails: string[];
}

export type DatapassDelivery = { kind: 'ping' } | { kind: 'event'; event: DatapassEvent; data: Record<string, unknown> };

export type PayloadIssue = { path: string; message: string };

export function parseDatapassDelivery(body: unknown): Result<DatapassDelivery, PayloadIssue[]> {
  if (pingSchema.safeParse(body).success) return ok({ kind: 'ping' });
  // The data is stored as it came (jsonb), which cannot hold U+0000 anywhere.
  const nul = pathOfNul(body);
  if (nul) return err([{ path: nul.join('.') || '(corps)', message: 'caractère NUL refusé' }]);
  const parsed = envelopeSchema.safeParse(body);
  if (!parsed.success) return err(issuesOf(parsed.error));
  const e = parsed.data;
  const organization = e.data.organization;
  const organizationSiret =
    organization !== null && typeof organization === 'object' && typeof (organization as { siret?: unknown }).siret === 'string'
      ? ((organization as { siret: string }).siret.slice(0, 20))
      : null;
  const formQf = [e.model_type, e.data.type, e.data.form_uid].some((v) => typeof v === 'string' && /formulaire[_-]?qf/i.test(v));
  return ok({
    kind: 'event',
    data: e.data,
    event: {
      event: e.event,
      modelType: e.model_type ?? null,
      habilitationId: e.model_id,
      firedAt: typeof e.fired_at === 'number' && Number.isFinite(e.fired_at) ? new Date(e.fired_at * 1000) : null,
      organizationSiret,
      formulaireQf: formQf,
    },
  });
}

/** What the onboarding needs from an `approve` delivery; the issues otherwise. */
export function parseApproval(event: DatapassEvent, data: Record<string, unknown>): Result<DatapassApproval, PayloadIssue[]> {
  const parsed = habilitationSchema.safeParse(data);
  if (!parsed.success) return err(issuesOf(parsed.error, 'data'));
  const h = parsed.data;
  const siret = parseSiret(h.organization.siret, { allowTestSirets: true });
  if (!siret.ok) return err([{ path: 'data.organization.siret', message: 'SIRET invalide' }]);
  let editor: DatapassEditor | null = null;
  if (h.service_provider?.type === 'editor') {
    const editorSiret = parseSiret(h.service_provider.siret ?? '');
    if (!editorSiret.ok) return err([{ path: 'data.service_provider.siret', message: 'SIRET de l’éditeur invalide' }]);
    editor = { id: h.service_provider.id.slice(0, 100), siret: editorSiret.value };
  }
  return ok({ habilitationId: event.habilitationId, siret: siret.value, applicant: h.applicant, editor, contactEmails: contactEmailsOf(data.data, h.applicant.email) });
}

const contactEmailSchema = z.email().max(320);

/**
 * DataPass puts the form's fields in `data.data`; the contacts step gives fields such as `contact_metier_email`.
 * Any field ending in `_email` holding an e-mail is a contact; at most 10, so a malformed form cannot flood the list.
 */
function contactEmailsOf(form: unknown, applicantEmail: string): string[] {
  if (form === null || typeof form !== 'object') return [];
  const emails = new Set<string>();
  for (const [key, value] of Object.entries(form)) {
    if (!key.endsWith('_email') || typeof value !== 'string' || !contactEmailSchema.safeParse(value.trim()).success) continue;
    emails.add(value.trim().toLowerCase());
  }
  emails.delete(applicantEmail.trim().toLowerCase());
  return [...emails].slice(0, 10);
}

function issuesOf(error: z.ZodError, prefix?: string): PayloadIssue[] {
  // Paths and zod's messages only: never the submitted values (they may be an applicant's contact details).
  return error.issues.slice(0, 20).map((i) => ({ path: [prefix, ...i.path.map(String)].filter(Boolean).join('.'), message: i.message }));
}
