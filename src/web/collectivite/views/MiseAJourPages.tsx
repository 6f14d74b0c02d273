import type { BatchCounts, QfRefreshBatch } from '../../../db/repositories/qf-refresh-batches.ts';
import { CSV_COLUMNS } from '../../../editeur/identities.ts';
import type { CheckedFamily } from '../../../usecases/mise-a-jour/upload-check.ts';
import { assetUrl } from '../../views/assets.ts';
import { Alert } from '../../views/components/Alert.tsx';
import { EspaceLayout, type EspaceFrame } from './EspaceLayout.tsx';
import { Table } from './Table.tsx';

/** The pages of the Mise à jour annuelle: the upload, its check, the job's progress, its result. */
export interface TokenState {
  lastFour: string;
  savedAt: Date;
}

const COLUMN_HELP: Record<(typeof CSV_COLUMNS)[number], string> = {
  id: 'Votre identifiant de la famille (numéro de dossier) : il revient tel quel dans le résultat. Facultatif.',
  nomNaissance: 'Nom de naissance de l’allocataire. Obligatoire.',
  nomUsage: 'Nom d’usage, s’il diffère. Facultatif.',
  prenoms: 'Un à trois prénoms, séparés par des espaces, dans l’ordre de l’état civil. Obligatoire.',
  sexeEtatCivil: 'M ou F. Obligatoire.',
  anneeDateNaissance: 'Année de naissance, par exemple 1962.',
  moisDateNaissance: 'Mois de naissance, de 1 à 12.',
  jourDateNaissance: 'Jour de naissance, de 1 à 31.',
  codeCogInseePaysNaissance: 'Code COG du pays de naissance : 99100 pour la France. Obligatoire.',
  codeCogInseeCommuneNaissance: 'Code COG de la commune de naissance (personnes nées en France), par exemple 75107.',
  nomCommuneNaissance: 'À défaut du code : le nom de la commune de naissance, avec le département et l’année de naissance.',
  codeCogInseeDepartementNaissance: 'Département de naissance (2 ou 3 caractères), avec le nom de la commune.',
};

export const OUTCOME_LABELS: Record<string, string> = {
  ok: 'QF obtenu',
  not_found: 'Inconnue de la CAF et de la MSA',
  qf_masque: 'QF non communiqué (droits du jeton)',
  invalid_request: 'Identité refusée par API Particulier',
  provider_unavailable: 'CAF ou MSA indisponible',
  provider_timeout: 'CAF ou MSA indisponible',
  timeout: 'API Particulier injoignable',
  unreachable: 'API Particulier injoignable',
  unexpected: 'Réponse inattendue d’API Particulier',
  interrompu: 'Interrompue par un arrêt du service',
  ligne_incomplete: 'Refusée avant envoi (ligne incomplète)',
  ligne_invalide: 'Refusée avant envoi (valeur invalide)',
  identite_inutilisable: 'Refusée avant envoi (identité inutilisable)',
  fichier_illisible: 'Refusée avant envoi (fichier illisible)',
};

const dateTime = (d: Date) => d.toLocaleString('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'long', timeStyle: 'short' });
const monthLabel = (annee: number | null, mois: number | null) =>
  annee !== null && mois !== null ? new Date(Date.UTC(annee, mois - 1, 1)).toLocaleDateString('fr-FR', { month: 'long', year: 'numeric', timeZone: 'UTC' }) : 'le mois en cours';

const STATE_LABELS: Record<QfRefreshBatch['state'], string> = {
  checked: 'Vérifié, en attente de votre confirmation',
  running: 'En cours',
  paused: 'En pause',
  cancelled: 'Annulée',
  done: 'Terminée',
};

function RetentionNotice() {
  return (
    <p class="fr-text--sm">
      Les fichiers déposés et les résultats sont chiffrés. Ils sont supprimés dès que vous confirmez avoir reçu le résultat, et au plus tard
      7 jours après le dépôt.
    </p>
  );
}

function TokenNotice(props: { token: TokenState | null }) {
  return props.token ? (
    <p>
      Les demandes utilisent le jeton API Particulier de la commune se terminant par <strong>…{props.token.lastFour}</strong>, enregistré le{' '}
      {dateTime(props.token.savedAt)}, à 20 demandes par seconde au plus.
    </p>
  ) : (
    <Alert type="warning" small title="Aucun jeton API Particulier n’est enregistré pour la commune : vous pouvez vérifier un fichier, mais rien ne sera envoyé.">
      <p>
        Un administrateur de l’espace l’enregistre dans les <a href="/espace/parametres">Paramètres</a>.
      </p>
    </Alert>
  );
}

export function MiseAJourPage(props: {
  frame: EspaceFrame;
  token: TokenState | null;
  batches: QfRefreshBatch[];
  month: string;
  errors?: { where: string; message: string }[];
  deleted?: boolean;
}) {
  const errors = props.errors ?? [];
  return (
    <EspaceLayout title="Mise à jour annuelle" section="mise-a-jour" frame={props.frame} isError={errors.length > 0}>
      {props.deleted ? <Alert type="success" small live title="Le résultat et le fichier déposé sont supprimés." /> : null}
      {errors.length > 0 ? (
        <Alert type="error" live title="Le fichier n’a pas été accepté : rien n’a été enregistré ni envoyé.">
          <ul>
            {errors.map((e) => (
              <li>
                <strong>{e.where}</strong> : {e.message}
              </li>
            ))}
          </ul>
        </Alert>
      ) : null}
      <p>
        Déposez la liste des familles dont la commune veut le quotient familial à jour : la plateforme le demande à API Particulier pour
        chacune, en arrière-plan, et vous donne un fichier de résultats. Rien n’est envoyé avant que vous ayez vu la vérification du fichier et
        confirmé.
      </p>
      <TokenNotice token={props.token} />
      <RetentionNotice />

      <h2>Déposer un fichier</h2>
      <form method="post" action="/espace/mise-a-jour" enctype="multipart/form-data" class="fr-mb-6w">
        <input type="hidden" name="_csrf" value={props.frame.csrfToken} />
        <div class="fr-upload-group">
          <label class="fr-label" for="fichiers">
            Fichier des familles
            <span class="fr-hint-text">
              Un CSV au format du modèle, ou les fichiers FormulaireQF.json des transmissions de l’an dernier (un ou plusieurs, ou l’archive zip
              téléchargée depuis le portail HubEE). 20 Mo au plus.
            </span>
          </label>
          <input class="fr-upload" type="file" id="fichiers" name="fichiers" multiple accept=".csv,.json,.zip,text/csv,application/json,application/zip" required />
        </div>
        <div class="fr-input-group fr-mt-3w">
          <label class="fr-label" for="mois">
            Mois du QF demandé
            <span class="fr-hint-text">Au format AAAA-MM, par exemple 2026-01 ; au plus deux ans en arrière.</span>
          </label>
          <input class="fr-input" type="month" id="mois" name="mois" value={props.month} required />
        </div>
        <button type="submit" class="fr-btn fr-mt-2w">
          Vérifier le fichier
        </button>
      </form>

      <h2>Le modèle de fichier CSV</h2>
      <p>
        <a class="fr-link fr-icon-download-line fr-link--icon-left" href="/espace/mise-a-jour/modele.csv" download>
          Télécharger le modèle CSV vide
        </a>
      </p>
      <p>
        Une ligne par allocataire, séparée par des virgules ou des points-virgules, encodée en UTF-8 (ou Windows-1252, comme l’enregistre un
        tableur). Ce sont les colonnes que lit aussi la commande <code>formulaire-qf qf refresh</code>.
      </p>
      <Table caption="Les colonnes du modèle">
          <thead>
            <tr>
              <th scope="col">Colonne</th>
              <th scope="col">Contenu</th>
            </tr>
          </thead>
          <tbody>
            {CSV_COLUMNS.map((column) => (
              <tr>
                <td>
                  <code>{column}</code>
                </td>
                <td>{COLUMN_HELP[column]}</td>
              </tr>
            ))}
          </tbody>
      </Table>

      {props.batches.length > 0 ? (
        <>
          <h2>Vos mises à jour</h2>
          <ul>
            {props.batches.map((b) => (
              <li>
                <a href={`/espace/mise-a-jour/${b.id}`}>
                  Dépôt du {dateTime(b.createdAt)} ({b.families} famille{b.families > 1 ? 's' : ''}, QF de {monthLabel(b.annee, b.mois)})
                </a>{' '}
                : {STATE_LABELS[b.state]}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </EspaceLayout>
  );
}

export interface BatchView {
  batch: QfRefreshBatch;
  counts: BatchCounts;
  invalid: CheckedFamily[];
  token: TokenState | null;
  message?: string;
}

export function BatchPage(props: BatchView & { frame: EspaceFrame }) {
  const { batch, counts } = props;
  const running = batch.state === 'running';
  const sendable = counts.toSend;
  return (
    <EspaceLayout
      title={`Mise à jour du ${dateTime(batch.createdAt)}`}
      section="mise-a-jour"
      frame={props.frame}
      isError={props.message !== undefined}
      head={running ? <noscript><meta http-equiv="refresh" content="5" /></noscript> : undefined}
      scripts={running ? [assetUrl('mise-a-jour.js')] : []}
    >
      {props.message ? <Alert type="error" small live title={props.message} /> : null}
      <p>
        QF de <strong>{monthLabel(batch.annee, batch.mois)}</strong> — {batch.families} famille{batch.families > 1 ? 's' : ''} dans le fichier.
        État : <strong>{STATE_LABELS[batch.state]}</strong>.
      </p>
      <RetentionNotice />
      {batch.state === 'checked' ? <CheckSection {...props} /> : null}
      {batch.state !== 'checked' ? <ProgressSection {...props} sendable={sendable} /> : null}
      <p class="fr-mt-4w">
        <a href="/espace/mise-a-jour">Retour à la Mise à jour annuelle</a>
      </p>
    </EspaceLayout>
  );
}

function CheckSection(props: BatchView & { frame: EspaceFrame }) {
  const { counts, invalid } = props;
  return (
    <>
      <h2>Vérification du fichier</h2>
      <p>
        <strong>{counts.toSend}</strong> famille{counts.toSend > 1 ? 's' : ''} peuvent être demandées à API Particulier
        {counts.invalid > 0 ? (
          <>
            {' '}
            ; <strong>{counts.invalid}</strong> ligne{counts.invalid > 1 ? 's' : ''} ne le peuvent pas et ne seront pas envoyées (elles figureront
            dans le résultat avec leur raison)
          </>
        ) : null}
        . Rien n’a encore été envoyé.
      </p>
      {invalid.length > 0 ? (
        <Table caption={`Les lignes refusées${counts.invalid > invalid.length ? ` (les ${invalid.length} premières)` : ''}`}>
            <thead>
              <tr>
                <th scope="col">Où</th>
                <th scope="col">Ce qui ne va pas</th>
              </tr>
            </thead>
            <tbody>
              {invalid.map((f) => (
                <tr>
                  <td>{f.where}</td>
                  <td>{f.identity.messages.join(' ')}</td>
                </tr>
              ))}
            </tbody>
        </Table>
      ) : null}
      <TokenNotice token={props.token} />
      <ul class="fr-btns-group fr-btns-group--inline-md">
        {counts.toSend > 0 && props.token ? (
          <li>
            <form method="post" action={`/espace/mise-a-jour/${props.batch.id}/confirmer`}>
              <input type="hidden" name="_csrf" value={props.frame.csrfToken} />
              <button type="submit" class="fr-btn">
                Confirmer et demander {counts.toSend} QF
              </button>
            </form>
          </li>
        ) : null}
        <li>
          <form method="post" action={`/espace/mise-a-jour/${props.batch.id}/supprimer`}>
            <input type="hidden" name="_csrf" value={props.frame.csrfToken} />
            <button type="submit" class="fr-btn fr-btn--secondary">
              Abandonner ce fichier
            </button>
          </form>
        </li>
      </ul>
    </>
  );
}

function ProgressSection(props: BatchView & { frame: EspaceFrame; sendable: number }) {
  const { batch, counts, sendable } = props;
  const id = batch.id;
  const action = (path: string, label: string, secondary = true) => (
    <li>
      <form method="post" action={`/espace/mise-a-jour/${id}/${path}`}>
        <input type="hidden" name="_csrf" value={props.frame.csrfToken} />
        <button type="submit" class={secondary ? 'fr-btn fr-btn--secondary' : 'fr-btn'}>
          {label}
        </button>
      </form>
    </li>
  );
  const finished = batch.state === 'done' || batch.state === 'cancelled';
  const errors = Object.entries(counts.byStatut).filter(([kind]) => kind !== 'ok');
  return (
    <>
      <h2>Avancement</h2>
      <div data-progress-url={batch.state === 'running' ? `/espace/mise-a-jour/${id}/etat` : undefined}>
        <label for="avancement">QF demandés</label>
        <progress id="avancement" class="fqf-progress" max={Math.max(sendable, 1)} value={Math.min(counts.done, sendable)}>
          {counts.done} sur {sendable}
        </progress>
        <p id="avancement-texte" aria-live="polite">
          {counts.done} sur {sendable} famille{sendable > 1 ? 's' : ''}.
        </p>
      </div>
      {batch.state === 'running' ? (
        <p class="fr-text--sm">
          Cette page s’actualise toute seule. <a href={`/espace/mise-a-jour/${id}`}>Actualiser maintenant</a>
        </p>
      ) : null}
      {batch.state === 'paused' ? <PauseNotice batch={batch} /> : null}
      {batch.state === 'cancelled' ? <p>Vous avez annulé cette mise à jour : les familles qui n’avaient pas encore été demandées ne le seront pas.</p> : null}

      {finished || counts.done > 0 ? (
        <>
          <h2>Résumé</h2>
          <ul>
            <li>QF obtenus : {counts.byStatut.ok ?? 0}</li>
            {counts.invalid > 0 ? <li>Lignes refusées avant envoi : {counts.invalid}</li> : null}
            {errors.map(([kind, n]) => (
              <li>
                {OUTCOME_LABELS[kind] ?? kind} : {n}
              </li>
            ))}
          </ul>
        </>
      ) : null}

      <ul class="fr-btns-group fr-btns-group--inline-md">
        {batch.state === 'running' ? action('pause', 'Mettre en pause') : null}
        {batch.state === 'paused' ? action('reprendre', 'Reprendre', false) : null}
        {batch.state === 'running' || batch.state === 'paused' ? action('annuler', 'Annuler la mise à jour') : null}
      </ul>
      {finished ? (
        <>
          <h2>Résultat</h2>
          <p>
            <a class="fr-link fr-icon-download-line fr-link--icon-left" href={`/espace/mise-a-jour/${id}/resultat.csv`} download>
              Télécharger le résultat (CSV)
            </a>
          </p>
          <p class="fr-text--sm">
            Une ligne par famille, dans l’ordre du fichier : le nouveau QF, ou la raison pour laquelle il n’a pas pu être obtenu (colonne{' '}
            <code>raison</code>). Mêmes colonnes que la commande <code>qf refresh</code>.
          </p>
          {batch.downloadedAt ? (
            <form method="post" action={`/espace/mise-a-jour/${id}/supprimer`}>
              <input type="hidden" name="_csrf" value={props.frame.csrfToken} />
              <p>Vous avez téléchargé le résultat le {dateTime(batch.downloadedAt)}. Une fois que vous l’avez bien enregistré :</p>
              <button type="submit" class="fr-btn">
                J’ai bien reçu le résultat : le supprimer
              </button>
            </form>
          ) : (
            <p>Après le téléchargement, vous pourrez supprimer le résultat tout de suite ; sinon il l’est le {dateTime(batch.expiresAt)}.</p>
          )}
        </>
      ) : null}
    </>
  );
}

function PauseNotice(props: { batch: QfRefreshBatch }) {
  const { batch } = props;
  switch (batch.pauseReason) {
    case 'rate_limited':
      return (
        <Alert type="warning" small title={`API Particulier a répondu deux fois « trop de demandes » : la mise à jour est arrêtée pour protéger l’accès de la commune. Vous pourrez la reprendre à partir du ${batch.resumeAt ? dateTime(batch.resumeAt) : 'moment indiqué'}.`} />
      );
    case 'token_refused':
      return (
        <Alert type="error" small title="API Particulier refuse le jeton de la commune (invalide, expiré ou sans accès au quotient familial) : la mise à jour est en pause.">
          <p>
            Un administrateur enregistre un nouveau jeton dans les <a href="/espace/parametres">Paramètres</a>, puis vous reprenez.
          </p>
        </Alert>
      );
    case 'no_token':
      return (
        <Alert type="warning" small title="Aucun jeton API Particulier n’est enregistré pour la commune : la mise à jour est en pause.">
          <p>
            Un administrateur l’enregistre dans les <a href="/espace/parametres">Paramètres</a>, puis vous reprenez.
          </p>
        </Alert>
      );
    default:
      return <p>La mise à jour est en pause : aucune famille n’est demandée tant que vous ne la reprenez pas.</p>;
  }
}
