import type { IdentitePivot } from '../domain/identite-pivot.ts';
import type { QfProblem, QuotientFamilialData } from '../domain/quotient-familial.ts';

export type { QfProblem };

/**
 * A citizen's journey, one stage at a time; each stage carries only what the next step needs. It lives in the
 * encrypted journey store for 30 minutes at most.
 */
export interface JourneyOrigin {
  siret: string;
  /** The commune portal's own file number, passed through to the folder. */
  externalId: string | null;
  /** Only kept when allowed for this collectivity. */
  redirectUri: string | null;
}

export type Journey =
  | { stage: 'login'; origin: JourneyOrigin; state: string; nonce: string }
  | {
      stage: 'review';
      origin: JourneyOrigin;
      idToken: string;
      /** Chosen at login, so that a double submit cannot make two shipments. */
      reference: string;
      identity: IdentitePivot;
      quotientFamilial: QuotientFamilialData;
    }
  | { stage: 'qf_error'; origin: JourneyOrigin; idToken: string; problem: QfProblem }
  | { stage: 'transmitted'; origin: JourneyOrigin; idToken: string; reference: string };

export type JourneyStage = Journey['stage'];
