import { sql } from 'kysely';
import type { Db } from '../database.ts';
import type { OnboardingStatus } from '../schema.ts';

/**
 * The onboarding of a collectivity from an approved DataPass habilitation, one row per habilitation: its state,
 * the step it is at, its attempts and last error, for the operator. Nothing personal in clear: the applicant's
 * contact (HubEE's local administrator) is encrypted in `payload`, erased once done.
 */
export interface OnboardingRecord {
  habilitationId: number;
  siret: string;
  editor: string | null;
  /** `pending` (running or waiting for a retry), `done`, `failed` (needs the operator), `ended` (revoked). */
  status: OnboardingStatus;
  /** The step running, or the one that failed. */
  step: OnboardingStep | null;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: Date;
  hubeeSubscriptionId: string | null;
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
}

export const ONBOARDING_STEPS = ['insee', 'hubee_organization', 'hubee_subscription', 'collectivity'] as const;
export type OnboardingStep = (typeof ONBOARDING_STEPS)[number];

export interface ClaimedOnboarding extends OnboardingRecord {
  payload: Uint8Array;
}

export interface OnboardingRepository {
  /**
   * A habilitation was approved: `created` the first time, `restarted` when it had ended (approved again after
   * a revocation), `unchanged` otherwise (a repeated delivery changes nothing).
   */
  recordApproval(input: { habilitationId: number; siret: string; editor: string | null; payload: Uint8Array }): Promise<'created' | 'restarted' | 'unchanged'>;
  find(habilitationId: number): Promise<OnboardingRecord | null>;
  /** The right to run this onboarding for `leaseSeconds`; null when it is not pending, not due yet, or someone holds it. */
  claim(habilitationId: number, leaseSeconds: number): Promise<ClaimedOnboarding | null>;
  recordStep(habilitationId: number, step: OnboardingStep): Promise<void>;
  /** False when the habilitation ended meanwhile. */
  markDone(habilitationId: number, hubeeSubscriptionId: string | null): Promise<boolean>;
  scheduleRetry(habilitationId: number, inSeconds: number, error: string): Promise<void>;
  /** A failure retrying cannot fix (e.g. a SIRET INSEE does not know): waits for the operator. */
  markFailed(habilitationId: number, error: string): Promise<void>;
  /** The operator's "retry": a failed onboarding runs again now. False when it was not failed. */
  retry(habilitationId: number): Promise<boolean>;
  /** The habilitation ended: the onboarding stops; returns its SIRET, or null when we never onboarded it. */
  end(habilitationId: number): Promise<string | null>;
  /** Whether another habilitation than `exceptHabilitationId` still keeps this SIRET onboarded (or onboarding). */
  hasOpenHabilitation(siret: string, exceptHabilitationId: number): Promise<boolean>;
  listDue(limit: number): Promise<number[]>;
  /** Every onboarding, most recent first, for the back office. */
  listOnboardings(options?: { limit?: number }): Promise<OnboardingRecord[]>;
}

const columns = [
  'habilitation_id',
  'siret',
  'editor',
  'status',
  'step',
  'attempts',
  'last_error',
  'next_attempt_at',
  'hubee_subscription_id',
  'created_at',
  'updated_at',
  'completed_at',
] as const;

type Row = {
  habilitation_id: number;
  siret: string;
  editor: string | null;
  status: OnboardingStatus;
  step: string | null;
  attempts: number;
  last_error: string | null;
  next_attempt_at: Date;
  hubee_subscription_id: string | null;
  created_at: Date;
  updated_at: Date;
  completed_at: Date | null;
};

const toRecord = (r: Row): OnboardingRecord => ({
  habilitationId: r.habilitation_id,
  siret: r.siret,
  editor: r.editor,
  status: r.status,
  step: (ONBOARDING_STEPS as readonly string[]).includes(r.step ?? '') ? (r.step as OnboardingStep) : null,
  attempts: r.attempts,
  lastError: r.last_error,
  nextAttemptAt: r.next_attempt_at,
  hubeeSubscriptionId: r.hubee_subscription_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  completedAt: r.completed_at,
});

export function createOnboardingRepository(db: Db): OnboardingRepository {
  const k = db.kysely;
  const notHeld = sql<boolean>`(lease_until IS NULL OR lease_until < now())`;
  return {
    async recordApproval(input) {
      const inserted = await k
        .insertInto('onboardings')
        .values({ habilitation_id: input.habilitationId, siret: input.siret, editor: input.editor, status: 'pending', payload: input.payload })
        .onConflict((oc) => oc.column('habilitation_id').doNothing())
        .returning('habilitation_id')
        .executeTakeFirst();
      if (inserted) return 'created';
      const restarted = await k
        .updateTable('onboardings')
        .set({
          siret: input.siret,
          editor: input.editor,
          status: 'pending',
          step: null,
          attempts: 0,
          last_error: null,
          payload: input.payload,
          lease_until: null,
          next_attempt_at: sql`now()`,
          completed_at: null,
          updated_at: sql`now()`,
        })
        .where('habilitation_id', '=', input.habilitationId)
        .where('status', '=', 'ended')
        .returning('habilitation_id')
        .executeTakeFirst();
      return restarted ? 'restarted' : 'unchanged';
    },
    async find(habilitationId) {
      const row = await k.selectFrom('onboardings').select(columns).where('habilitation_id', '=', habilitationId).executeTakeFirst();
      return row ? toRecord(row) : null;
    },
    async claim(habilitationId, leaseSeconds) {
      const row = await k
        .updateTable('onboardings')
        .set({ lease_until: sql`now() + make_interval(secs => ${leaseSeconds})`, attempts: sql`attempts + 1`, updated_at: sql`now()` })
        .where('habilitation_id', '=', habilitationId)
        .where('status', '=', 'pending')
        .where('payload', 'is not', null)
        .where('next_attempt_at', '<=', sql<Date>`now()`)
        .where(notHeld)
        .returning([...columns, 'payload'])
        .executeTakeFirst();
      if (!row || row.payload === null) return null;
      return { ...toRecord(row), payload: row.payload };
    },
    async recordStep(habilitationId, step) {
      await k.updateTable('onboardings').set({ step, updated_at: sql`now()` }).where('habilitation_id', '=', habilitationId).execute();
    },
    async markDone(habilitationId, hubeeSubscriptionId) {
      const row = await k
        .updateTable('onboardings')
        .set({
          status: 'done',
          step: null,
          payload: null,
          lease_until: null,
          last_error: null,
          hubee_subscription_id: hubeeSubscriptionId,
          completed_at: sql`now()`,
          updated_at: sql`now()`,
        })
        .where('habilitation_id', '=', habilitationId)
        .where('status', '=', 'pending')
        .returning('habilitation_id')
        .executeTakeFirst();
      return row !== undefined;
    },
    async scheduleRetry(habilitationId, inSeconds, error) {
      await k
        .updateTable('onboardings')
        .set({ lease_until: null, last_error: error.slice(0, 500), next_attempt_at: sql`now() + make_interval(secs => ${inSeconds})`, updated_at: sql`now()` })
        .where('habilitation_id', '=', habilitationId)
        .where('status', '=', 'pending')
        .execute();
    },
    async markFailed(habilitationId, error) {
      await k
        .updateTable('onboardings')
        .set({ status: 'failed', lease_until: null, last_error: error.slice(0, 500), updated_at: sql`now()` })
        .where('habilitation_id', '=', habilitationId)
        .where('status', '=', 'pending')
        .execute();
    },
    async retry(habilitationId) {
      const row = await k
        .updateTable('onboardings')
        .set({ status: 'pending', next_attempt_at: sql`now()`, lease_until: null, updated_at: sql`now()` })
        .where('habilitation_id', '=', habilitationId)
        .where('status', '=', 'failed')
        .where('payload', 'is not', null)
        .returning('habilitation_id')
        .executeTakeFirst();
      return row !== undefined;
    },
    async end(habilitationId) {
      const row = await k
        .updateTable('onboardings')
        .set({ status: 'ended', payload: null, lease_until: null, updated_at: sql`now()` })
        .where('habilitation_id', '=', habilitationId)
        .returning('siret')
        .executeTakeFirst();
      return row?.siret ?? null;
    },
    async hasOpenHabilitation(siret, exceptHabilitationId) {
      const row = await k
        .selectFrom('onboardings')
        .select('habilitation_id')
        .where('siret', '=', siret)
        .where('habilitation_id', '<>', exceptHabilitationId)
        .where('status', '<>', 'ended')
        .executeTakeFirst();
      return row !== undefined;
    },
    async listDue(limit) {
      const rows = await k
        .selectFrom('onboardings')
        .select('habilitation_id')
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', sql<Date>`now()`)
        .where(notHeld)
        .orderBy('next_attempt_at')
        .limit(limit)
        .execute();
      return rows.map((r) => r.habilitation_id);
    },
    async listOnboardings(options = {}) {
      const rows = await k
        .selectFrom('onboardings')
        .select(columns)
        .orderBy('created_at', 'desc')
        .orderBy('habilitation_id', 'desc')
        .limit(options.limit ?? 200)
        .execute();
      return rows.map(toRecord);
    },
  };
}

/** Each DataPass delivery once, without anything personal. */
export interface DatapassEventLog {
  /** False when this exact delivery was already recorded (DataPass redelivers the same body). */
  record(input: {
    bodyDigest: string;
    event: string;
    modelType: string | null;
    habilitationId: number | null;
    organizationSiret: string | null;
    firedAt: Date | null;
    outcome: string;
  }): Promise<boolean>;
  setOutcome(bodyDigest: string, outcome: string): Promise<void>;
}

export function createDatapassEventLog(db: Db): DatapassEventLog {
  const k = db.kysely;
  return {
    async record(input) {
      const row = await k
        .insertInto('datapass_events')
        .values({
          body_digest: input.bodyDigest,
          event: input.event.slice(0, 100),
          model_type: input.modelType?.slice(0, 200) ?? null,
          habilitation_id: input.habilitationId,
          organization_siret: input.organizationSiret,
          fired_at: input.firedAt,
          outcome: input.outcome,
        })
        .onConflict((oc) => oc.column('body_digest').doNothing())
        .returning('id')
        .executeTakeFirst();
      return row !== undefined;
    },
    async setOutcome(bodyDigest, outcome) {
      await k.updateTable('datapass_events').set({ outcome }).where('body_digest', '=', bodyDigest).execute();
    },
  };
}
