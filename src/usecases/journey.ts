import type { IdentitePivot } from '../domain/identite-pivot.ts';
import type { QfProblem, QfValueReading, QuotientFamilialData } from '../domain/quotient-familial.ts';

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
  | { stage: 'qf_error'; origin: JourneyOrigin; idToken: string; problem: QfProblem; firstName?: string }
  | {
      stage: 'transmitted';
      origin: JourneyOrigin;
      idToken: string;
      reference: string;
      firstName?: string;
      /** True when "Transmettre"'s own first attempt saw HubEE take the folder (sent is never undone). */
      handedToHubee?: true;
      recap?: TransmissionRecap;
    };

/**
 * What the family's récapitulatif says (what was sent to whom and when): kept in the journey, encrypted, only as
 * long as the journey lives, since the shipment's copy is erased once HubEE has it.
 */
export interface TransmissionRecap {
  collectivityName: string;
  /** ISO 8601 */
  transmittedAt: string;
  applicant: string;
  quotientFamilial: QfValueReading | null;
  children: string[];
}

/** The first given name, the one thing of the identity the header shows. */
export function firstNameOf(identity: Pick<IdentitePivot, 'given_name' | 'given_name_array'>): string {
  return identity.given_name_array[0] ?? identity.given_name.split(' ')[0] ?? '';
}

/** Who is logged in, for the header, at any stage after the login. */
export function journeyFirstName(journey: Journey): string | undefined {
  if (journey.stage === 'review') return firstNameOf(journey.identity);
  if (journey.stage === 'qf_error' || journey.stage === 'transmitted') return journey.firstName;
  return undefined;
}

export type JourneyStage = Journey['stage'];
