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
export const REFRESH_COLUMNS = ['id', 'external_id', 'statut', 'code_erreur', 'http', 'fournisseur', 'quotient_familial', 'annee', 'mois', 'annee_calcul', 'mois_calcul', 'request_id', 'raison'] as const;

export interface RefreshResult {
  id: string;
  external_id: string | null;
  /** `ok`, or what went wrong, e.g. `not_found`, `invalid_request`, `rate_limited`. */
  statut: string;
  code_erreur: string | null;
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
}

export interface RefreshSummary {
  total: number;
  /** Answered in an earlier run (from the journal). */
  resumed: number;
  ok: number;
  /** Rows per non-ok status. */
  errors: Record<string, number>;
  requests: number;
  /** 429 answers received in this run. */
  rateLimited: number;
  durationSeconds: number;
  /** Requests per second over the run. */
  achievedRate: number;
  /** Why the run stopped before the end; run it again to resume. */
  stopped: null | 'rate_limited' | 'token_refused';
  /** After two 429s in a row: when the token may be used again. */
  resumeAt: Date | null;
  files: { csv: string; json: string; journal: string };
}

/** Worth asking again later (in this run after a pause, or in the next run). */
const TRANSIENT = new Set(['rate_limited', 'timeout', 'unreachable', 'provider_unavailable', 'provider_timeout', 'unexpected']);

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
  let rateLimited = 0;
  let stopped: RefreshSummary['stopped'] = null;
  let resumeAt: Date | null = null;
  let done = resumed;
  const progress = () => options.onProgress?.({ done, total: options.rows.length, requests, rateLimited, elapsedMs: Date.now() - started });

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
        await record(blank(row, row.problem ?? 'IDENTITE_INUTILISABLE', null, null));
        done++;
        continue;
      }
      // Asked again after a pause until it gets an answer that is not a 429, or the run stops.
      for (;;) {
        await pacer.acquire();
        if (stopped) return;
        options.onCall?.(Date.now());
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
  const errors: Record<string, number> = {};
  for (const r of ordered) if (r.statut !== 'ok') errors[r.statut] = (errors[r.statut] ?? 0) + 1;
  return {
    total: options.rows.length,
    resumed,
    ok: ordered.filter((r) => r.statut === 'ok').length,
    errors,
    requests,
    rateLimited,
    durationSeconds,
    achievedRate: durationSeconds > 0 ? requests / durationSeconds : 0,
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
const UNANSWERED_REASONS: Record<string, string> = {
  not_done: 'Pas encore demandé : l’exécution s’est arrêtée avant cette personne.',
  LIGNE_INCOMPLETE: 'Ligne incomplète : le nom de naissance, les prénoms, le sexe et le pays de naissance sont obligatoires.',
  LIGNE_INVALIDE: 'Ligne refusée avant tout envoi : une valeur n’a pas la forme attendue par API Particulier.',
  IDENTITE_INUTILISABLE: 'Identité inutilisable : API Particulier ne peut pas chercher cette personne par son identité.',
  FICHIER_ILLISIBLE: 'Le fichier FormulaireQF.json de ce dossier est illisible.',
};

export function unansweredResult(row: Pick<IdentityRow, 'id' | 'externalId'>, statut: string, raison?: string): RefreshResult {
  return blank(row, statut, null, null, raison);
}

function blank(row: Pick<IdentityRow, 'id' | 'externalId'>, statut: string, code: string | null, http: number | null, raison: string | null = UNANSWERED_REASONS[statut] ?? null): RefreshResult {
  return { id: row.id, external_id: row.externalId, statut, code_erreur: code, http, fournisseur: null, quotient_familial: null, annee: null, mois: null, annee_calcul: null, mois_calcul: null, request_id: null, raison };
}

/** One answer of API Particulier as a line of the results. */
export const refreshResultOf = (row: Pick<IdentityRow, 'id' | 'externalId'>, answer: QuotientFamilialResult): RefreshResult => resultOf(row, answer);

function resultOf(row: Pick<IdentityRow, 'id' | 'externalId'>, answer: QuotientFamilialResult): RefreshResult {
  if (!answer.ok) return { ...blank(row, answer.error.kind, answer.error.code, answer.error.status, describeLookupError(answer.error)), request_id: answer.error.requestId };
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
