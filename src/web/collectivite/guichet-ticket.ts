import type { QuotientFamilialData } from '../../domain/quotient-familial.ts';
import type { PersonalDataCipher } from '../../security/personal-data-cipher.ts';

/**
 * The Guichet QF stores nothing about the family: the answer shown on the page travels, sealed, in the page's
 * own "download the PDF" form, so that the summary can be printed without asking API Particulier again. Sealed
 * with the personal-data cipher, bound to the commune and the agent, and good for a quarter of an hour.
 */
export interface GuichetAnswer {
  data: QuotientFamilialData;
  answeredAt: Date;
  requestId: string | null;
}

const LIFETIME_MS = 15 * 60 * 1000;
const context = (siret: string, agentId: string) => `guichet-answer:${siret}:${agentId}`;

interface Sealed {
  data: QuotientFamilialData;
  answeredAt: string;
  requestId: string | null;
  expiresAt: number;
}

export function sealGuichetAnswer(cipher: PersonalDataCipher, owner: { siret: string; agentId: string }, answer: GuichetAnswer): string {
  const sealed: Sealed = { data: answer.data, answeredAt: answer.answeredAt.toISOString(), requestId: answer.requestId, expiresAt: answer.answeredAt.getTime() + LIFETIME_MS };
  return cipher.encrypt(sealed, context(owner.siret, owner.agentId)).toString('base64url');
}

/** Null when the ticket was altered, is another agent's or another commune's, or is too old. */
export function openGuichetAnswer(cipher: PersonalDataCipher, owner: { siret: string; agentId: string }, ticket: string, now: Date = new Date()): GuichetAnswer | null {
  if (!/^[A-Za-z0-9_-]{40,200000}$/.test(ticket)) return null;
  let sealed: Sealed;
  try {
    sealed = cipher.decrypt<Sealed>(Buffer.from(ticket, 'base64url'), context(owner.siret, owner.agentId));
  } catch {
    return null;
  }
  if (sealed.expiresAt <= now.getTime()) return null;
  return { data: sealed.data, answeredAt: new Date(sealed.answeredAt), requestId: sealed.requestId };
}
