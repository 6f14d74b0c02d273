import { journeyOverHttp, type JourneyStep } from '../../test/support/http-journey.ts';

export const JOURNEY_STEPS: readonly JourneyStep[] = ['collectivity', 'franceconnect', 'callback', 'review', 'transmit', 'confirmation'];

/** Personas whose journey ends with a QF to transmit (CNAF, MSA with children, born abroad). */
export const TRANSMITTING_PERSONAS = ['angela', 'jeanne', 'vincent', 'elodie', 'cindy'] as const;

/** Active seeded communes (Majastres, Belley, Melgven, Lyon), each with its HubEE subscription. */
export const COMMUNES = ['21040107100019', '21010034300016', '21290146600012', '21690123100011'] as const;

export interface JourneyOutcome {
  /** The reference shown on the confirmation page: a shipment the family was told about. */
  reference: string;
  timings: Partial<Record<JourneyStep, number>>;
  /** From the FranceConnect button to the confirmation page: must stay within FranceConnect's 60 s token life. */
  sinceLoginMs: number;
  totalMs: number;
}

export interface JourneyFailure {
  index: number;
  message: string;
}

/**
 * One whole citizen journey over HTTP (test/support/http-journey.ts: collectivity page, FranceConnect stand-in
 * with a persona, callback, review, "Transmettre", confirmation), persona and commune chosen by `index`.
 */
export async function oneJourney(appUrl: string, index: number): Promise<JourneyOutcome> {
  const timings: Partial<Record<JourneyStep, number>> = {};
  const started = performance.now();
  const reference = await journeyOverHttp(appUrl, {
    siret: COMMUNES[index % COMMUNES.length]!,
    persona: TRANSMITTING_PERSONAS[index % TRANSMITTING_PERSONAS.length]!,
    onStep: (step, ms) => void (timings[step] = ms),
  });
  const totalMs = performance.now() - started;
  return { reference, timings, sinceLoginMs: totalMs - (timings.collectivity ?? 0), totalMs };
}

/** `count` journeys, at most `concurrency` at once; failures are collected, never thrown. */
export async function runJourneys(options: {
  appUrl: string;
  count: number;
  concurrency: number;
  onProgress?: (done: number) => void;
}): Promise<{ outcomes: JourneyOutcome[]; failures: JourneyFailure[] }> {
  const outcomes: JourneyOutcome[] = [];
  const failures: JourneyFailure[] = [];
  let next = 0;
  const worker = async () => {
    while (next < options.count) {
      const index = next++;
      try {
        outcomes.push(await oneJourney(options.appUrl, index));
      } catch (error) {
        failures.push({ index, message: error instanceof Error ? error.message : String(error) });
      }
      options.onProgress?.(outcomes.length + failures.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, options.count) }, worker));
  return { outcomes, failures };
}

/** Latencies per journey step of the outcomes, in milliseconds. */
export function stepLatencies(outcomes: readonly JourneyOutcome[]): Record<JourneyStep, number[]> {
  const steps = Object.fromEntries(JOURNEY_STEPS.map((step) => [step, [] as number[]])) as Record<JourneyStep, number[]>;
  for (const outcome of outcomes) for (const step of JOURNEY_STEPS) if (outcome.timings[step] !== undefined) steps[step].push(outcome.timings[step]);
  return steps;
}
