import { EspaceLayout, type EspaceFrame } from './EspaceLayout.tsx';

export interface KitPageProps {
  frame: EspaceFrame;
  directUrl: string;
  snippet: string;
  /** The link builder's fields and result; `error` when the return link is not allowed. */
  builder: { externalId: string; redirectUri: string; link: string | null; error: string | null };
  allowedPrefixes: readonly string[];
}

function CopyField(props: { id: string; label: string; value: string; multiline?: boolean }) {
  return (
    <div class="fr-input-group">
      <label class="fr-label" for={props.id}>
        {props.label}
      </label>
      {props.multiline ? (
        <textarea class="fr-input" id={props.id} rows={3} readonly>
          {props.value}
        </textarea>
      ) : (
        <input class="fr-input" id={props.id} type="url" value={props.value} readonly />
      )}
    </div>
  );
}

/** The kit to spread the commune's link (what used to be "Partager cette démarche" on the families' page). */
export function KitPage(props: KitPageProps) {
  const { frame, builder } = props;
  return (
    <EspaceLayout title="Kit de diffusion" section="kit" frame={frame} isError={builder.error !== null}>
      <p>Tout ce qu’il faut pour que les familles de {frame.collectivityName} trouvent la démarche.</p>

      <h2>Le lien direct</h2>
      <p>Il mène à la page de la démarche pour {frame.collectivityName}, sans recherche à faire.</p>
      <CopyField id="lien-direct" label="Lien de la démarche" value={props.directUrl} />

      <h2>Le QR code</h2>
      <img class="fqf-qr" src="/espace/kit/qr.svg" alt={`QR code menant à la démarche pour ${frame.collectivityName}`} width="192" height="192" />
      <ul class="fr-links-group">
        <li>
          <a class="fr-link fr-icon-download-line fr-link--icon-left" href="/espace/kit/qr.png" download>
            Télécharger le QR code (PNG, pour l’impression)
          </a>
        </li>
        <li>
          <a class="fr-link fr-icon-download-line fr-link--icon-left" href="/espace/kit/qr.svg" download>
            Télécharger le QR code (SVG, pour le web)
          </a>
        </li>
      </ul>

      <h2>L’affiche</h2>
      <p>Une affiche A4 avec le QR code et un court texte, pour le panneau de la mairie, l’école ou la cantine.</p>
      <p>
        <a class="fr-link fr-icon-download-line fr-link--icon-left" href="/espace/kit/affiche.pdf" download>
          Télécharger l’affiche (PDF, A4)
        </a>
      </p>

      <h2>Pour le site de la commune</h2>
      <p>Ce code HTML affiche un lien vers la démarche ; il ne charge rien depuis nos serveurs.</p>
      <CopyField id="extrait-html" label="Code HTML à coller dans une page" value={props.snippet} multiline />

      <h2 id="constructeur">Lien pour un portail famille</h2>
      <p>
        Le portail famille (ou le logiciel) de la commune peut ajouter à ce lien deux informations :
      </p>
      <ul>
        <li>
          <strong>external_id</strong> : votre numéro de dossier famille ; il vous est retransmis avec la démarche, pour la
          rattacher au bon dossier. 255 caractères au plus.
        </li>
        <li>
          <strong>redirect_uri</strong> : l’adresse où la famille revient à la fin (« Retourner sur le site de la commune »). Elle
          doit commencer par l’une des adresses autorisées dans les <a href="/espace/parametres">paramètres</a>
          {props.allowedPrefixes.length === 0 ? ' (aucune pour l’instant)' : ''}.
        </li>
      </ul>
      <form method="get" action="/espace/kit#constructeur">
        <div class="fr-input-group">
          <label class="fr-label" for="external_id">
            Numéro de dossier (external_id)
            <span class="fr-hint-text">Facultatif ; par exemple {'{'}numero_dossier{'}'} que le portail remplace.</span>
          </label>
          <input class="fr-input" id="external_id" name="external_id" maxlength={255} value={builder.externalId} />
        </div>
        <div class={builder.error ? 'fr-input-group fr-input-group--error' : 'fr-input-group'}>
          <label class="fr-label" for="redirect_uri">
            Adresse de retour (redirect_uri)
            <span class="fr-hint-text">Facultative ; https://…</span>
          </label>
          <input
            class={builder.error ? 'fr-input fr-input--error' : 'fr-input'}
            id="redirect_uri"
            name="redirect_uri"
            type="url"
            value={builder.redirectUri}
            aria-describedby="redirect_uri-messages"
            aria-invalid={builder.error ? 'true' : undefined}
          />
          <div class="fr-messages-group" id="redirect_uri-messages" aria-live="polite">
            {builder.error ? <p class="fr-message fr-message--error">{builder.error}</p> : null}
          </div>
        </div>
        <button class="fr-btn fr-btn--secondary" type="submit">
          Construire le lien
        </button>
      </form>
      {builder.link ? <CopyField id="lien-construit" label="Lien pour votre portail" value={builder.link} /> : null}
    </EspaceLayout>
  );
}
