import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { CaseStatus } from '../integrations/hubee/client.ts';
import { describeHubeeError, HubeeError } from '../editeur/hubee-errors.ts';
import { plural } from '../domain/plural.ts';
import {
  birthplaceHint,
  checkLookupQuery,
  COMMUNE_STATUSES,
  connectHubee,
  describeLookupError,
  describePacingStop,
  identitiesFromCsv,
  identitiesFromPulledCases,
  lookupQuotientFamilial,
  problemsOfRefusal,
  pullCases,
  readIdentityFields,
  refreshQuotientsFamiliaux,
  setCaseStatus,
  REFRESH_STATUS_LABELS,
  type LookupQuery,
  type RefreshProgress,
  type RefreshStatus,
} from '../editeur/index.ts';

/**
 * `formulaire-qf`: the éditeurs' and communes' command line. Secrets come from the environment or, with
 * `--secret-stdin`, from the first line of standard input; never from an option, which `ps` and the shell's history
 * show to anyone. The defaults point at the local stand-ins (`npm start`). Nothing personal is ever printed except
 * the one QF a counter agent asked for with `qf lookup`; every line printed has its control and format characters
 * escaped, since HubEE's ids and messages reach the terminal.
 */
/** One entry per command: the line that says how to call it, and what it does. The help and every usage error use these. */
const COMMANDS = {
  'hubee pull': {
    usage: 'formulaire-qf hubee pull --dir DOSSIER',
    about: `Récupère les nouveaux télédossiers FormulaireQF de la commune (un dossier par télédossier), vérifie tailles,
      empreintes et schéma, les passe à SI_RECEIVED et supprime les notifications traitées. Reprend sans perte ni
      doublon après une interruption. Code de sortie : 0, 3 si un FormulaireQF.json ne respecte pas le schéma.`,
  },
  'hubee status': {
    usage: `formulaire-qf hubee status <case-id> ${COMMUNE_STATUSES.join('|')} [--message TEXTE]`,
    about: `Change le statut d'un télédossier (statut en majuscules ou minuscules) ; la famille le voit sur sa page de
      suivi. Le case-id est le caseId du case.json que hubee pull écrit dans chaque dossier.`,
  },
  'qf refresh': {
    usage: 'formulaire-qf qf refresh (--from DOSSIER | --csv FICHIER) --out PREFIXE [--annee AAAA --mois M] [--rate 20]',
    about: `Recalcule le QF de chaque personne (mode identité d'API Particulier) : PREFIXE.csv, PREFIXE.json.
      Moins de 20 requêtes/seconde ; s'arrête au deuxième 429 ; relancez la même commande pour reprendre.
      Codes de sortie : 0 (au moins un QF obtenu, ou rien à demander), 3 (arrêt avant la fin : 429 ou jeton refusé),
      4 (aucun QF obtenu).`,
  },
  'qf lookup': {
    usage: `formulaire-qf qf lookup --nom-naissance NOM --prenoms "P1 P2" --sexe M|F --date-naissance AAAA-MM-JJ
            [--pays-naissance 99100|NOM] [--commune-naissance COG|NOM | --nom-commune-naissance NOM --departement-naissance DD]
            [--nom-usage NOM] [--annee AAAA --mois M] [--sans-cache] [--json]`,
    about: "Le QF d'une personne, pour un agent au guichet.",
  },
  sandbox: {
    usage: 'formulaire-qf sandbox [--port 3001] [--data-dir DOSSIER] [--reset] [--faults]',
    about: 'Démarre seules les doublures (FranceConnect, API Particulier, HubEE, INSEE) pour développer contre elles.',
  },
} as const;
type CommandName = keyof typeof COMMANDS;

const ENVIRONMENT = `Environnement (ou, sauf les secrets, options du même nom en minuscules avec des tirets) :
  HUBEE_API_URL, HUBEE_TOKEN_URL               défaut : http://localhost:3001/hubee, …/hubee/oauth2/token
  HUBEE_CLIENT_ID                              identifiant SI de la commune pour la démarche FormulaireQF
  HUBEE_CLIENT_SECRET                          son secret (secret : environnement ou --secret-stdin)
  API_PARTICULIER_URL                          défaut : http://localhost:3001/api-particulier
  API_PARTICULIER_TOKEN                        jeton API Particulier de la collectivité (secret : idem)
  RECIPIENT                                    SIRET de la collectivité (jamais celui de l'éditeur)

  --secret-stdin                               lit le secret de la commande (HUBEE_CLIENT_SECRET pour hubee,
                                               API_PARTICULIER_TOKEN pour qf) sur la première ligne de l'entrée standard
`;

const describe = (name: CommandName) => `  ${COMMANDS[name].usage}\n      ${COMMANDS[name].about}`;

export const USAGE = `Usage : formulaire-qf <commande> [options]   (formulaire-qf help <commande> : l'aide d'une commande)

${(Object.keys(COMMANDS) as CommandName[]).map(describe).join('\n')}

${ENVIRONMENT}`;

/** `help`, `help hubee`, `help qf refresh`, `help environnement`: what was asked, or the list of topics. */
function help(topic: string[]): { text: string; known: boolean } {
  const asked = topic.join(' ').trim().toLowerCase();
  if (asked === '') return { text: USAGE, known: true };
  if (asked === 'environnement' || asked === 'env') return { text: ENVIRONMENT, known: true };
  const names = (Object.keys(COMMANDS) as CommandName[]).filter((name) => name === asked || name.startsWith(`${asked} `) || name.endsWith(` ${asked}`));
  if (names.length === 0) return { text: `Aide inconnue : ${asked}. Sujets : ${[...Object.keys(COMMANDS), 'environnement'].join(', ')}.`, known: false };
  return { text: `${names.map(describe).join('\n')}\n\n(formulaire-qf help environnement : les variables d'environnement)`, known: true };
}

/** Secrets are never taken as options: an option shows in `ps` and in the shell's history. */
const SECRET_SETTINGS = ['HUBEE_CLIENT_SECRET', 'API_PARTICULIER_TOKEN'] as const;
type SecretSetting = (typeof SECRET_SETTINGS)[number];

/**
 * A line as the terminal may show it: control characters (escape sequences, carriage returns, C1), format
 * characters (bidi overrides, zero-width) and separators become \uXXXX, which is still valid inside JSON strings.
 */
export function printable(text: string): string {
  return text.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, (c) => (c === '\n' ? c : [...c].map((unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')));
}

/** A mistake in the command line: its message, and the command whose usage line to show. */
class UsageError extends Error {
  constructor(
    message: string,
    readonly command: CommandName | null = null,
  ) {
    super(message);
  }
}

/** Node's parseArgs errors, in French and naming the option. */
function parseArgsMessage(error: Error & { code?: unknown }): string {
  const quoted = /'([^']+)'/.exec(error.message)?.[1] ?? '';
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `Option inconnue : ${quoted}.`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return `L’option ${quoted.split(' ')[0]} attend une valeur.`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `Argument inattendu : ${quoted}.`;
    default:
      return error.message;
  }
}

const isCommand = (key: string): key is CommandName => key in COMMANDS;

/** Where the command writes: the process's streams, or a test's. */
export interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
}

export async function main(
  argv: string[],
  env: Record<string, string | undefined> = process.env,
  out: Output = process.stdout,
  err: Output = process.stderr,
  input: AsyncIterable<string | Buffer> = process.stdin,
): Promise<number> {
  const say = (text: string) => out.write(`${printable(text)}\n`);
  const warn = (text: string) => err.write(`${printable(text)}\n`);
  const [group, command, ...given] = argv;
  let rest = given;
  try {
    if (!group || group === 'help' || group === '--help' || group === '-h') {
      const asked = help(group === 'help' ? given.length > 0 || command ? [command ?? '', ...given] : [] : []);
      if (!asked.known) {
        warn(asked.text);
        return 2;
      }
      say(asked.text);
      return 0;
    }
    if (command === '--help' || command === '-h' || given.includes('--help')) {
      say(help([group, ...(command && !command.startsWith('-') ? [command] : [])]).text);
      return 0;
    }
    // Loaded only when asked, so that no other command ever loads the stand-ins (a build without them says so).
    if (group === 'sandbox') {
      const sandbox = await import('../sandbox/cli.ts').catch((error: unknown) => {
        if (error instanceof Error && 'code' in error && error.code === 'ERR_MODULE_NOT_FOUND') return null;
        throw error;
      });
      if (!sandbox) {
        warn("Le bac à sable n'est pas inclus dans cette installation : lancez-le depuis une copie du dépôt (npm run sandbox).");
        return 2;
      }
      return await sandbox.sandboxCommand(argv.slice(1), env, say, warn);
    }
    const key = `${group} ${command ?? ''}`;
    for (const arg of rest) {
      const name = SECRET_SETTINGS.find((s) => arg === `--${optionName(s)}` || arg.startsWith(`--${optionName(s)}=`));
      if (name) {
        throw new UsageError(
          `L’option --${optionName(name)} n’est plus acceptée : un secret passé en option se voit dans la liste des processus (ps) et dans l’historique du shell. ` +
            `Mettez-le dans la variable d’environnement ${name}, ou donnez --secret-stdin et écrivez-le sur l’entrée standard.`,
        );
      }
    }
    if (rest.includes('--secret-stdin')) {
      rest = rest.filter((arg) => arg !== '--secret-stdin');
      const name: SecretSetting = group === 'hubee' ? 'HUBEE_CLIENT_SECRET' : 'API_PARTICULIER_TOKEN';
      env = { ...env, [name]: await firstLine(input) };
    }
    switch (key) {
      case 'hubee pull':
        return await hubeePull(rest, env, say);
      case 'hubee status':
        return await hubeeStatus(rest, env, say);
      case 'qf refresh':
        return await qfRefresh(rest, env, say, err);
      case 'qf lookup':
        return await qfLookup(rest, env, say, warn);
      default:
        throw new UsageError(`Commande inconnue : ${key.trim()}.`);
    }
  } catch (error) {
    const key = `${group ?? ''} ${command ?? ''}`.trim();
    const parseError = error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS');
    if (error instanceof UsageError || parseError) {
      // The one line that matters, then the usage of that command only (the whole help is one command away).
      const name = error instanceof UsageError ? (error.command ?? (isCommand(key) ? key : null)) : isCommand(key) ? key : null;
      const message = error instanceof UsageError ? error.message : parseArgsMessage(error);
      warn(name ? `${message}\nUsage : ${COMMANDS[name].usage}\n(formulaire-qf help ${name} pour l'aide)` : `${message}\n(formulaire-qf help pour la liste des commandes)`);
      return 2;
    }
    if (error instanceof HubeeError) {
      warn(`Erreur : ${describeHubeeError(error)}`);
      return 1;
    }
    warn(`Erreur : ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

function optionName(setting: string): string {
  return setting.toLowerCase().replaceAll('_', '-');
}

/** The first line of standard input, without its line break. */
async function firstLine(input: AsyncIterable<string | Buffer>): Promise<string> {
  let text = '';
  for await (const chunk of input) {
    text += chunk.toString();
    if (text.includes('\n')) break;
  }
  const line = text.split(/\r?\n/, 1)[0] ?? '';
  if (line === '') throw new UsageError('--secret-stdin : l’entrée standard est vide.');
  return line;
}

function setting(values: Record<string, unknown>, env: Record<string, string | undefined>, name: string, fallback?: string): string {
  const secret = (SECRET_SETTINGS as readonly string[]).includes(name);
  const flag = secret ? undefined : values[optionName(name)];
  const value = typeof flag === 'string' ? flag : (env[name] ?? fallback);
  if (value === undefined || value === '') {
    throw new UsageError(secret ? `${name} manque (variable d’environnement, ou --secret-stdin).` : `${name} manque (variable d’environnement ou --${optionName(name)}).`);
  }
  return value;
}

const hubeeOptions = {
  'hubee-api-url': { type: 'string' },
  'hubee-token-url': { type: 'string' },
  'hubee-client-id': { type: 'string' },
} as const;

function hubeeFrom(values: Record<string, unknown>, env: Record<string, string | undefined>) {
  return connectHubee({
    apiUrl: setting(values, env, 'HUBEE_API_URL', 'http://localhost:3001/hubee'),
    tokenUrl: setting(values, env, 'HUBEE_TOKEN_URL', 'http://localhost:3001/hubee/oauth2/token'),
    clientId: setting(values, env, 'HUBEE_CLIENT_ID'),
    clientSecret: setting(values, env, 'HUBEE_CLIENT_SECRET'),
  });
}

async function hubeePull(args: string[], env: Record<string, string | undefined>, say: (t: string) => void): Promise<number> {
  const { values } = parseArgs({ args, options: { ...hubeeOptions, dir: { type: 'string' }, author: { type: 'string' } }, strict: true });
  if (!values.dir) throw new UsageError('--dir manque : le dossier où ranger les télédossiers.', 'hubee pull');
  const summary = await pullCases({
    hubee: hubeeFrom(values, env),
    directory: values.dir,
    ...(values.author ? { author: values.author } : {}),
    onProgress: (event) => {
      if (event.kind === 'case') say(`télédossier ${event.caseId} → ${event.folder}`);
    },
  });
  say(
    `${plural(summary.notificationsRead, 'notification lue', 'notifications lues')} ; ${plural(summary.casesDownloaded, 'télédossier téléchargé', 'télédossiers téléchargés')}, ` +
      `${plural(summary.casesAlreadyThere, 'déjà présent', 'déjà présents')} ; ${plural(summary.casesAcknowledged, 'passé', 'passés')} à SI_RECEIVED ; ` +
      `${plural(summary.eventsAcknowledged, 'événement acquitté', 'événements acquittés')} ; ${plural(summary.notificationsDeleted, 'notification supprimée', 'notifications supprimées')}.`,
  );
  for (const invalid of summary.invalid) say(`ATTENTION : ${invalid.folder}/FormulaireQF.json ne respecte pas le schéma : ${invalid.errors.join(' ; ')}`);
  return summary.invalid.length > 0 ? 3 : 0;
}

async function hubeeStatus(args: string[], env: Record<string, string | undefined>, say: (t: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { ...hubeeOptions, message: { type: 'string' }, author: { type: 'string' } }, allowPositionals: true, strict: true });
  const [caseId, given, ...extra] = positionals;
  if (!caseId || !given) throw new UsageError(caseId ? 'Le statut manque.' : 'Le case-id et le statut manquent.', 'hubee status');
  if (extra.length > 0) throw new UsageError(`Argument inattendu : ${extra.join(' ')} (un message s’écrit --message "…").`, 'hubee status');
  const status = given.toUpperCase();
  if (!(COMMUNE_STATUSES as readonly string[]).includes(status)) throw new UsageError(`Statut inconnu : ${given} (possibles : ${COMMUNE_STATUSES.join(', ')}).`, 'hubee status');
  const outcome = await setCaseStatus(hubeeFrom(values, env), caseId, status as CaseStatus, {
    ...(values.message ? { message: values.message } : {}),
    ...(values.author ? { author: values.author } : {}),
  });
  say(outcome.kind === 'moved' ? `Télédossier ${caseId} : ${outcome.from} → ${outcome.to}.` : `Télédossier ${caseId} : déjà ${outcome.status}, rien à faire.`);
  return 0;
}

async function qfRefresh(args: string[], env: Record<string, string | undefined>, say: (t: string) => void, err: Output): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      from: { type: 'string' },
      csv: { type: 'string' },
      out: { type: 'string' },
      annee: { type: 'string' },
      mois: { type: 'string' },
      rate: { type: 'string' },
      concurrency: { type: 'string' },
      'api-particulier-url': { type: 'string' },
      recipient: { type: 'string' },
    },
    strict: true,
  });
  if (!values.out) throw new UsageError('--out manque : le préfixe des fichiers de résultats.', 'qf refresh');
  if (Boolean(values.from) === Boolean(values.csv)) throw new UsageError('Donnez --from DOSSIER (télédossiers récupérés) ou --csv FICHIER, pas les deux.', 'qf refresh');
  const rate = values.rate ? Number(values.rate) : 20;
  if (!(rate >= 1 && rate <= 20)) throw new UsageError('--rate va de 1 à 20 requêtes par seconde (limite d’API Particulier par jeton).', 'qf refresh');
  const rows = values.from ? await identitiesFromPulledCases(values.from) : identitiesFromCsv(await readFile(values.csv ?? '', 'utf8'));
  const progress = err.isTTY ? (p: RefreshProgress) => err.write(`\r${bar(p)}`) : undefined;
  const summary = await refreshQuotientsFamiliaux({
    rows,
    token: setting(values, env, 'API_PARTICULIER_TOKEN'),
    recipient: setting(values, env, 'RECIPIENT'),
    apiUrl: setting(values, env, 'API_PARTICULIER_URL', 'http://localhost:3001/api-particulier'),
    out: values.out,
    ...(values.rate ? { ratePerSecond: rate } : {}),
    ...(values.concurrency ? { concurrency: Number(values.concurrency) } : {}),
    ...(values.annee ? { annee: Number(values.annee) } : {}),
    ...(values.mois ? { mois: Number(values.mois) } : {}),
    ...(progress ? { onProgress: progress } : {}),
  });
  if (progress) err.write('\n');
  const others = (Object.entries(summary.errors) as [RefreshStatus, number][]).map(([statut, n]) => `${REFRESH_STATUS_LABELS[statut]} (${statut}) : ${n}`).join(', ') || 'aucun';
  say(`${plural(summary.total, 'personne', 'personnes')} : ${plural(summary.ok, 'QF obtenu', 'QF obtenus')} ; autres résultats : ${others} ; ${plural(summary.resumed, 'repris', 'repris')} d’une exécution précédente.`);
  say(`${plural(summary.requests, 'requête', 'requêtes')} en ${summary.durationSeconds.toFixed(1)} s, au rythme de ${summary.achievedRate.toFixed(1)} requêtes/s ; ${plural(summary.rateLimited, 'réponse 429', 'réponses 429')}.`);
  if (summary.otherMonth > 0) {
    say(`ATTENTION : ${plural(summary.otherMonth, 'QF est', 'QF sont')} d’un autre mois que ${monthAsked(values.annee, values.mois)} (colonnes annee et mois) : l’organisme a répondu pour le mois qu’il connaît.`);
  }
  say(`Résultats : ${summary.files.csv} et ${summary.files.json}.`);
  if (summary.stopped === 'rate_limited') say(`Arrêt après deux réponses 429 : relancez la même commande après ${(summary.resumeAt ?? new Date()).toLocaleTimeString('fr-FR', { timeZone: 'Europe/Paris' })} pour reprendre.`);
  if (summary.stopped === 'token_refused') say('Arrêt : le jeton API Particulier est refusé.');
  if (summary.stopped) return 3;
  return summary.total > 0 && summary.ok === 0 ? 4 : 0;
}

function monthAsked(annee: string | undefined, mois: string | undefined): string {
  if (annee && mois) return `celui demandé (${mois.padStart(2, '0')}/${annee})`;
  return annee ? `l’année demandée (${annee})` : `le mois demandé (${mois ?? ''})`;
}

function bar(p: RefreshProgress): string {
  const width = 30;
  const filled = p.total === 0 ? width : Math.round((p.done / p.total) * width);
  const rate = p.elapsedMs > 0 ? (p.requests / p.elapsedMs) * 1000 : 0;
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${p.done}/${p.total} ${Math.min(rate, p.limit).toFixed(1)} req/s 429 : ${p.rateLimited}`;
}

async function qfLookup(args: string[], env: Record<string, string | undefined>, say: (t: string) => void, warn: (t: string) => void): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      'nom-naissance': { type: 'string' },
      'nom-usage': { type: 'string' },
      prenoms: { type: 'string', multiple: true },
      sexe: { type: 'string' },
      'date-naissance': { type: 'string' },
      'annee-naissance': { type: 'string' },
      'mois-naissance': { type: 'string' },
      'jour-naissance': { type: 'string' },
      'pays-naissance': { type: 'string' },
      'commune-naissance': { type: 'string' },
      'nom-commune-naissance': { type: 'string' },
      'departement-naissance': { type: 'string' },
      annee: { type: 'string' },
      mois: { type: 'string' },
      'sans-cache': { type: 'boolean' },
      json: { type: 'boolean' },
      'api-particulier-url': { type: 'string' },
      recipient: { type: 'string' },
    },
    strict: true,
  });
  const date = values['date-naissance'] ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(values['date-naissance']) : null;
  if (values['date-naissance'] && !date) throw new UsageError('--date-naissance s’écrit AAAA-MM-JJ.', 'qf lookup');
  // The same reading as the Guichet QF's form: places by code or by name ("Majastres (04)", "Algérie").
  const reading = readIdentityFields({
    'nom-naissance': values['nom-naissance'],
    'nom-usage': values['nom-usage'],
    prenoms: (values.prenoms ?? []).join(' '),
    sexe: values.sexe,
    'annee-naissance': date ? date[1] : values['annee-naissance'],
    'mois-naissance': date ? date[2] : values['mois-naissance'],
    'jour-naissance': date ? date[3] : values['jour-naissance'],
    'pays-naissance': values['pays-naissance'],
    'commune-naissance': values['commune-naissance'],
    'nom-commune-naissance': values['nom-commune-naissance'],
    'departement-naissance': values['departement-naissance'],
    annee: values.annee,
    mois: values.mois,
  });
  const partial: Partial<LookupQuery> = {
    token: env.API_PARTICULIER_TOKEN,
    recipient: values.recipient ?? env.RECIPIENT,
    apiUrl: values['api-particulier-url'] ?? env.API_PARTICULIER_URL ?? 'http://localhost:3001/api-particulier',
    ...(reading.ok ? reading.identity : {}),
    ...(values['sans-cache'] ? { bypassCache: true } : {}),
  };
  const problems = [...checkLookupQuery(partial).filter((p) => p.field === 'recipient' || p.field === 'api-particulier-token'), ...(reading.ok ? [] : reading.problems)];
  if (problems.length > 0 || !reading.ok) {
    for (const p of problems) warn(`--${p.field} : ${p.message}`);
    if (!reading.ok && reading.communeChoices.length > 0) warn(`Communes possibles : ${reading.communeChoices.slice(0, 20).map((c) => `${c.name} (${c.code})`).join(', ')}.`);
    return 2;
  }
  const outcome = await lookupQuotientFamilial(partial as LookupQuery);
  if (outcome.kind !== 'answer') {
    warn(describePacingStop(outcome));
    return 3;
  }
  const result = outcome.result;
  if (!result.ok) {
    warn(describeLookupError(result.error));
    for (const p of problemsOfRefusal(result.error)) warn(`--${p.field} : ${p.message}`);
    const hint = result.error.kind === 'not_found' || result.error.kind === 'invalid_request' ? birthplaceHint(partial.codeCogInseeCommuneNaissance) : null;
    if (hint) warn(hint);
    return 1;
  }
  if (values.json) {
    say(JSON.stringify(result.data, null, 2));
    return 0;
  }
  const qf = result.data.quotient_familial;
  if (!qf) say('API Particulier n’a pas renvoyé de QF (le jeton n’a pas ce droit).');
  else {
    say(`Quotient familial ${qf.fournisseur} : ${qf.valeur} € (${String(qf.mois).padStart(2, '0')}/${qf.annee}, calculé en ${String(qf.mois_calcul).padStart(2, '0')}/${qf.annee_calcul}).`);
    const otherYear = partial.annee !== undefined && qf.annee !== partial.annee;
    const otherMonth = partial.mois !== undefined && qf.mois !== partial.mois;
    if (otherYear || otherMonth) warn(`ATTENTION : ce QF est celui de ${String(qf.mois).padStart(2, '0')}/${qf.annee}, pas de ${monthAsked(values.annee, values.mois).replace(/^(celui demandé|l’année demandée|le mois demandé) /, '')} : l’organisme a répondu pour le mois qu’il connaît.`);
  }
  const enfants = result.data.enfants;
  if (enfants) say(enfants.length === 0 ? 'Aucun enfant déclaré.' : `${plural(enfants.length, 'enfant déclaré', 'enfants déclarés')}.`);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main(process.argv.slice(2));
}
