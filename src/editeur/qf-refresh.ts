import { describeLookupError } from './qf-lookup.ts';
import { readFile } from 'node:fs/promises';
import { readQuotientFamilial } from '../domain/quotient-familial.ts';
import { createApiParticulierClient, type ApiParticulierClient, type QuotientFamilialResult } from '../integrations/api-particulier/client.ts';
import { Journal, writeFileAtomically } from './atomic-files.ts';
import { toCsv } from './csv.ts';
import type { IdentityRow } from './identities.ts';
import { createTokenPacer, sharedPacerFor, type TokenPacer } from '../usecases/api-particulier-pacing.ts';

/**
 * `qf refresh`: each person's current QF from API Particulier's identity mode (step 4 of the service), with the
 * collectivity's token and its SIRET as `recipient`. Under 20 requests/second per token, following the RateLimit
 * headers; a 429 pauses every worker for its Retry-After, and a second 429 in a row stops the run, since ignored
 * 429s get the IP banned for 12 hours. Every answer is appended to a journal as it comes, so that a run stopped
 * for any reason resumes where it was; the CSV and JSON results are written from the journal at the end.
 */
export const REFRESH_COLUMNS = ['id', 'external_id', 'statut', 'code_erreur', 'champ', 'http', 'fournisseur', 'quotient_familial', 'annee', 'mois', 'annee_calcul', 'mois_calcul', 'request_id', 'raison'] as const;

export interface RefreshResult {
  id: string;
  external_id: string | null;
  statut: RefreshStatus;
  code_erreur: string | null;
  /** The field or column at fault (invalid_request, ligne_incomplete…), API Particulier's name or the CSV's. */
  champ: string | null;
  http: number | null;
  fournisseur: string | null;
  quotient_familial: number | null;
  annee: number | null;
  mois: number | null;
  annee_calcul: number | null;
  mois_calcul: number | null;
  request_id: string | null;
  /** What went wrong and what to do, in French (the words of `qf lookup`); null for a QF obtained. */
  raison: string | null;
}

export interface RefreshOptions {
  rows: readonly IdentityRow[];
  /** The collectivity's API Particulier token. */
  token: string;
  /** The collectivity's SIRET (never the éditeur's). */
  recipient: string;
  /** API Particulier base, e.g. https://particulier.api.gouv.fr/api (locally http://localhost:3001/api-particulier). */
  apiUrl: string;
  /** Prefix of the output files: `<out>.csv`, `<out>.json`, and the journal `<out>.journal.jsonl`. */
  out: string;
  annee?: number;
  mois?: number;
  /** A rate of its own (under the limit), paced apart; by default the process's shared pacer of the token. */
  ratePerSecond?: number;
  /** The pacer to share with other work on the same token (the default is `sharedPacerFor(token)`). */
  pacer?: TokenPacer;
  concurrency?: number;
  timeoutMs?: number;
  /** Pause when a 429 comes without Retry-After. */
  defaultRetryAfterSeconds?: number;
  onProgress?: (progress: RefreshProgress) => void;
  /** Tests: each call's start. */
  onCall?: (at: number) => void;
  client?: ApiParticulierClient;
}

export interface RefreshProgress {
  done: number;
  total: number;
  requests: number;
  rateLimited: number;
  elapsedMs: number;
  /** The rate asked for: a progress bar never shows more. */
  limit: number;
}

export interface RefreshSummary {
  total: number;
  /** Answered in an earlier run (from the journal). */
  resumed: number;
  ok: number;
  /** Rows per non-ok status. */
  errors: Partial<Record<RefreshStatus, number>>;
  requests: number;
  /** 429 answers received in this run. */
  rateLimited: number;
  durationSeconds: number;
  /**
   * Requests per second between the first call and the last (the pace the server saw), never shown above the
   * limit asked: a run of a few calls has no meaningful rate beyond its spacing.
   */
  achievedRate: number;
  /** QFs obtained for another month than the one asked with annee/mois (API Particulier gives the nearest it has). */
  otherMonth: number;
  /** Why the run stopped before the end; run it again to resume. */
  stopped: null | 'rate_limited' | 'token_refused';
  /** After two 429s in a row: when the token may be used again. */
  resumeAt: Date | null;
  files: { csv: string; json: string; journal: string };
}

/**
 * Every value of the `statut` column, with the words the summary and the guide use for it: one list, so that what
 * the tool prints, what it writes and what the guide says never differ.
 */
export const REFRESH_STATUS_LABELS = {
  ok: 'QF obtenu',
  qf_masque: 'réponse sans QF (le jeton n’a pas ce droit)',
  not_found: 'personne inconnue de la CAF ou de la MSA',
  invalid_request: 'demande refusée par API Particulier (voir la colonne champ)',
  ligne_incomplete: 'ligne incomplète (voir la colonne champ)',
  ligne_invalide: 'ligne refusée avant tout envoi (voir la colonne raison)',
  identite_inutilisable: 'identité inutilisable (voir la colonne champ)',
  fichier_illisible: 'FormulaireQF.json illisible',
  unauthorized: 'jeton refusé (invalide ou expiré)',
  forbidden: 'jeton sans accès au QF',
  rate_limited: 'trop de requêtes (429)',
  provider_unavailable: 'CAF ou MSA indisponible',
  provider_timeout: 'CAF ou MSA trop lente',
  timeout: 'API Particulier trop lente',
  unreachable: 'API Particulier injoignable',
  unexpected: 'réponse inattendue',
  not_done: 'pas encore demandé (relancez la commande)',
  // The espace's Mise à jour annuelle: a family left when the agent cancelled, or whose call a crash interrupted.
  annule: 'non demandé : mise à jour annulée',
  interrompu: 'appel interrompu (non relancé, pour ne jamais interroger deux fois)',
} as const;
export type RefreshStatus = keyof typeof REFRESH_STATUS_LABELS;

/** Worth asking again later (in this run after a pause, or in the next run). */
const TRANSIENT = new Set<string>(['rate_limited', 'timeout', 'unreachable', 'provider_unavailable', 'provider_timeout', 'unexpected']);

export async function refreshQuotientsFamiliaux(options: RefreshOptions): Promise<RefreshSummary> {
  const files = { csv: `${options.out}.csv`, json: `${options.out}.json`, journal: `${options.out}.journal.jsonl` };
  const client = options.client ?? createApiParticulierClient({ baseUrl: options.apiUrl.replace(/\/+$/, ''), timeoutMs: options.timeoutMs ?? 10_000 });
  const pacer: TokenPacer = options.pacer ?? (options.ratePerSecond !== undefined ? createTokenPacer({ ratePerSecond: options.ratePerSecond }) : sharedPacerFor(options.token));
  const defaultRetryAfter = options.defaultRetryAfterSeconds ?? 60;

  const results = await readJournal(files.journal);
  const resumed = options.rows.filter((r) => isFinal(results.get(r.id))).length;
  const todo = options.rows.filter((r) => !isFinal(results.get(r.id)));
  const started = Date.now();
  let requests = 0;
  let firstCall: number | null = null;
  let lastCall = 0;
  let rateLimited = 0;
  let stopped: RefreshSummary['stopped'] = null;
  let resumeAt: Date | null = null;
  let done = resumed;
  const progress = () => options.onProgress?.({ done, total: options.rows.length, requests, rateLimited, elapsedMs: Date.now() - started, limit: options.ratePerSecond ?? 20 });

  const journal = new Journal(files.journal);
  const record = async (result: RefreshResult) => {
    results.set(result.id, result);
    await journal.append(JSON.stringify(result));
  };

  let cursor = 0;
  const worker = async () => {
    for (;;) {
      if (stopped) return;
      const row = todo[cursor++];
      if (!row) return;
      if (!row.params) {
        await record({ ...blank(row, row.problem?.statut ?? 'identite_inutilisable', null, null), champ: row.problem?.champ ?? null });
        done++;
        continue;
      }
      // Asked again after a pause until it gets an answer that is not a 429, or the run stops.
      for (;;) {
        await pacer.acquire();
        if (stopped) return;
        const callAt = Date.now();
        options.onCall?.(callAt);
        firstCall ??= callAt;
        lastCall = callAt;
        requests++;
        const answer = await client.fetchQuotientFamilialByIdentity({
          ...row.params,
          token: options.token,
          recipient: options.recipient,
          ...(options.annee !== undefined ? { annee: options.annee } : {}),
          ...(options.mois !== undefined ? { mois: options.mois } : {}),
        });
        if (!answer.ok && answer.error.kind === 'rate_limited') {
          rateLimited++;
          const retryAfter = answer.error.retryAfterSeconds ?? defaultRetryAfter;
          const verdict = pacer.record429(Math.max(retryAfter, 1) * 1000);
          if (verdict.stop) {
            stopped = 'rate_limited';
            resumeAt = verdict.resumeAt;
            await record(resultOf(row, answer));
            return;
          }
          continue;
        }
        pacer.recordAnswer(answer.ok ? answer.rateLimit : null);
        if (!answer.ok && (answer.error.kind === 'unauthorized' || answer.error.kind === 'forbidden')) stopped = 'token_refused';
        await record(resultOf(row, answer));
        done++;
        progress();
        break;
      }
    }
  };
  const ticker = setInterval(progress, 250);
  try {
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 16) }, worker));
  } finally {
    clearInterval(ticker);
  }
  progress();

  const ordered = options.rows.map((r) => results.get(r.id) ?? blank(r, 'not_done', null, null));
  await writeFileAtomically(files.csv, toCsv(REFRESH_COLUMNS, ordered.map((r) => REFRESH_COLUMNS.map((c) => r[c]))));
  await writeFileAtomically(files.json, `${JSON.stringify(ordered, null, 2)}\n`);

  const durationSeconds = (Date.now() - started) / 1000;
  const errors: Partial<Record<RefreshStatus, number>> = {};
  for (const r of ordered) if (r.statut !== 'ok') errors[r.statut] = (errors[r.statut] ?? 0) + 1;
  const limit = options.ratePerSecond ?? 20;
  const span = firstCall === null ? 0 : (lastCall - firstCall) / 1000;
  const asked = (r: RefreshResult) => (options.annee === undefined || r.annee === options.annee) && (options.mois === undefined || r.mois === options.mois);
  return {
    total: options.rows.length,
    resumed,
    ok: ordered.filter((r) => r.statut === 'ok').length,
    errors,
    requests,
    rateLimited,
    durationSeconds,
    achievedRate: requests < 2 || span <= 0 ? 0 : Math.min(limit, (requests - 1) / span),
    otherMonth: ordered.filter((r) => r.statut === 'ok' && !asked(r)).length,
    stopped,
    resumeAt,
    files,
  };
}

function isFinal(result: RefreshResult | undefined): boolean {
  return result !== undefined && !TRANSIENT.has(result.statut);
}

/** The results as `qf refresh` writes them (formula-safe CSV, one line per person, in the order given). */
export function refreshResultsCsv(results: readonly RefreshResult[]): string {
  return toCsv(REFRESH_COLUMNS, results.map((r) => REFRESH_COLUMNS.map((c) => r[c])));
}

/** Why a person got no answer, for the statuses that come from us rather than from API Particulier. */
const UNANSWERED_REASONS: Partial<Record<RefreshStatus, string>> = {
  not_done: 'Pas encore demandé : l’exécution s’est arrêtée avant cette personne.',
  ligne_incomplete: 'Ligne incomplète : le nom de naissance, les prénoms, le sexe et le pays de naissance sont obligatoires.',
  ligne_invalide: 'Ligne refusée avant tout envoi : une valeur n’a pas la forme attendue par API Particulier.',
  identite_inutilisable: 'Identité inutilisable : API Particulier ne peut pas chercher cette personne par son identité.',
  fichier_illisible: 'Le fichier FormulaireQF.json de ce dossier est illisible.',
};

export function unansweredResult(row: Pick<IdentityRow, 'id' | 'externalId'>, statut: RefreshStatus, raison?: string): RefreshResult {
  return blank(row, statut, null, null, raison);
}

function blank(row: Pick<IdentityRow, 'id' | 'externalId'>, statut: RefreshStatus, code: string | null, http: number | null, raison: string | null = UNANSWERED_REASONS[statut] ?? null): RefreshResult {
  return { id: row.id, external_id: row.externalId, statut, code_erreur: code, champ: null, http, fournisseur: null, quotient_familial: null, annee: null, mois: null, annee_calcul: null, mois_calcul: null, request_id: null, raison };
}

/** One answer of API Particulier as a line of the results. */
export const refreshResultOf = (row: Pick<IdentityRow, 'id' | 'externalId'>, answer: QuotientFamilialResult): RefreshResult => resultOf(row, answer);

function resultOf(row: Pick<IdentityRow, 'id' | 'externalId'>, answer: QuotientFamilialResult): RefreshResult {
  if (!answer.ok) {
    const fields = answer.error.kind === 'invalid_request' ? answer.error.errors.map((e) => e.parameter).filter((p): p is string => p !== null) : [];
    return { ...blank(row, answer.error.kind, answer.error.code, answer.error.status, describeLookupError(answer.error)), champ: fields.length > 0 ? [...new Set(fields)].join(' ') : null, request_id: answer.error.requestId };
  }
  const qf = readQuotientFamilial(answer.data).qf;
  return {
    ...blank(row, qf ? 'ok' : 'qf_masque', null, 200, qf ? null : 'La réponse ne contient pas la valeur du QF : le jeton n’a pas le droit de la lire.'),
    fournisseur: qf?.fournisseur ?? null,
    quotient_familial: qf?.valeur ?? null,
    annee: qf?.annee ?? null,
    mois: qf?.mois ?? null,
    annee_calcul: qf?.anneeCalcul ?? null,
    mois_calcul: qf?.moisCalcul ?? null,
    request_id: answer.requestId,
  };
}

async function readJournal(path: string): Promise<Map<string, RefreshResult>> {
  const results = new Map<string, RefreshResult>();
  let text = '';
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return results;
  }
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const result = JSON.parse(line) as RefreshResult;
      results.set(result.id, result);
    } catch {
      // A line cut by a crash: that row is simply asked again.
    }
  }
  return results;
}
