/**
 * A technical error as the operator reads it: the usual causes in French, the original message kept after them
 * (it is what the logs say, and what to search for).
 */
const CAUSES: readonly [RegExp, string][] = [
  [/ECONNREFUSED/i, 'connexion refusée par le serveur'],
  [/ENOTFOUND|EAI_AGAIN/i, 'adresse du serveur introuvable'],
  [/ECONNRESET|socket hang up/i, 'connexion coupée par le serveur'],
  [/timeout|timed out|aborted|ETIMEDOUT/i, 'délai de réponse dépassé'],
  [/fetch failed/i, 'serveur injoignable'],
  [/certificate|SSL|TLS/i, 'certificat du serveur refusé'],
  [/\b(5\d\d)\b/, 'erreur du serveur appelé'],
  [/\b(4\d\d)\b/, 'demande refusée par le serveur appelé'],
];

export function technicalErrorFr(message: string | null): string {
  if (message === null || message.trim() === '') return '—';
  const cause = CAUSES.find(([pattern]) => pattern.test(message))?.[1] ?? 'erreur technique';
  return `${cause[0]!.toUpperCase()}${cause.slice(1)} (${message})`;
}
